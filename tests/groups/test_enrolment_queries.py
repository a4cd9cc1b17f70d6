"""The enrolment POST is the hot path of a campaign: its locked transaction stays short."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, ReferenceIndex

from cms import page_cache
from cms.services import tasks
from groups.models import Enrolment
from groups.services.enrolment import enrolment_create, enrolment_log
from tests.factories import EnrolmentFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

# The savepoint, the lock (the group with its course), one count of places, queue and the
# newcomer's earlier enrolments, the insert, the audit entry, the outbox row and the release.
# The reference index used to add eight more; get_or_create for the outbox row three more, the
# model's constraint check three more, and Wagtail's check of the audit entry one more.
MAX_QUERIES = 7
# On PostgreSQL a newcomer who finds a place free under the shared lock starts again under the
# exclusive one: the savepoint, the shared read and count, their rollback and release, then the
# seven above (before the ORM-only enrolment path: ten, the three inserts in one statement).
MAX_QUERIES_PLACE_AFTER_SHARED_READ = 12


def _enrol(group, n: int = 0):
    return enrolment_create(
        group_id=group.pk,
        display_name=f"Kiireinen Kaisa {n}",
        email=f"kaisa{n}@example.invalid",
        consent_text_version="2026-1",
    )


def test_an_enrolment_is_written_in_a_few_queries_without_touching_the_reference_index(
    django_assert_max_num_queries,
):
    group = GroupFactory(status="open", capacity=10)
    ContentType.objects.get_for_model(Enrolment)  # cached for the process after its first use
    references = ReferenceIndex.objects.count()
    restarts = connection.features.has_select_for_update_of

    with django_assert_max_num_queries(
        MAX_QUERIES_PLACE_AFTER_SHARED_READ if restarts else MAX_QUERIES
    ):
        enrolment = _enrol(group)

    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.outbox_messages.count() == 1
    assert ReferenceIndex.objects.count() == references


def test_joining_a_full_groups_queue_is_written_in_a_few_queries(django_assert_max_num_queries):
    group = GroupFactory(status="open", capacity=5, min_size=1)
    for n in range(5):
        _enrol(group, n)
    ContentType.objects.get_for_model(Enrolment)

    with django_assert_max_num_queries(MAX_QUERIES):
        enrolment = _enrol(group, 5)

    assert enrolment.status == Enrolment.Status.WAITLISTED


def test_the_locked_read_gives_the_group_and_course_the_enrolment_needs():
    group = GroupFactory(status="open", capacity=10, name="Torstairyhmä")

    enrolment = enrolment_create(
        group_id=group.pk,
        display_name="Kiireinen Kaisa",
        phone="040 123 4567",
        consent_text_version="2026-1",
    )

    with CaptureQueriesContext(connection) as queries:
        assert str(enrolment.group) == f"{group.course.title}: Torstairyhmä"
        assert enrolment.group.course.format == group.course.format
        assert enrolment.group.capacity == 10
    assert len(queries) == 0
    assert enrolment.phone == "+358401234567"


def test_the_audit_entry_is_the_one_wagtail_would_write():
    enrolment = EnrolmentFactory()
    user = UserFactory()

    enrolment_log(enrolment, "groups.enrolment.confirmed", user=user, data={"status": "x"})
    log(enrolment, "groups.enrolment.confirmed", user=user, title=f"#{enrolment.pk}", data={})

    ours, wagtails = ModelLogEntry.objects.filter(object_id=str(enrolment.pk)).order_by("pk")
    for name in ("content_type_id", "object_id", "label", "action", "user_id"):
        assert getattr(ours, name) == getattr(wagtails, name), name
    assert ours.data == {"status": "x"}
    assert ours.label == f"#{enrolment.pk}"  # never the display name


def test_an_unregistered_audit_action_is_refused():
    with pytest.raises(ValueError, match="Unregistered log action"):
        enrolment_log(EnrolmentFactory(), "groups.enrolment.no_such_action")


@pytest.mark.django_db(transaction=True)
def test_an_enrolment_clears_the_page_cache_once_after_its_commit(monkeypatch):
    group = GroupFactory(status="open", capacity=10)
    clears = []
    monkeypatch.setattr(
        page_cache, "page_cache_clear", lambda: clears.append(connection.in_atomic_block)
    )
    monkeypatch.setattr(tasks, "task_enqueue", lambda *args: None)  # no mail sent meanwhile

    enrolment_create(
        group_id=group.pk,
        display_name="Kiireinen Kaisa",
        email="kaisa@example.invalid",
        consent_text_version="2026-1",
    )

    # The enrolment and its outbox row are saved in one transaction: one clear, after it.
    assert clears == [False]


def test_tasks_share_one_broker_per_process(monkeypatch):
    made = []
    monkeypatch.setattr(tasks, "get_broker", lambda: made.append(1) or object())
    tasks._broker.cache_clear()
    try:
        first, second = tasks._broker(), tasks._broker()
    finally:
        tasks._broker.cache_clear()
    assert first is second
    assert made == [1]
