import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from cms import page_cache
from groups.services.enrolment import enrolment_create, enrolment_log
from tests.factories import (
    AttendanceFactory,
    CoursePageFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_page_view_comes_from_the_cache(client, site_tree, django_assert_num_queries):
    course = CoursePageFactory(summary="Ensimmäinen versio.")
    client.get(course.url)

    with django_assert_num_queries(0):
        response = client.get(course.url)

    assert "Ensimmäinen versio." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_edit_shows_after_publishing_not_before(client, site_tree):
    """With real commits: pages are cleared after the commit of a change."""
    course = CoursePageFactory(summary="Vanha kuvaus.")
    assert "Vanha kuvaus." in client.get(course.url).content.decode()

    course.summary = "Uusi kuvaus."
    revision = course.save_revision()
    assert "Vanha kuvaus." in client.get(course.url).content.decode()

    revision.publish()
    html = client.get(course.url).content.decode()
    assert "Uusi kuvaus." in html
    assert "Vanha kuvaus." not in html


@pytest.mark.django_db(transaction=True)
def test_a_new_group_shows_at_once_in_the_catalogue(client, site_tree):
    course = CoursePageFactory()
    catalogue = course.get_parent()
    assert 'class="group-card"' not in client.get(catalogue.url).content.decode()

    GroupFactory(course=course)

    assert 'class="group-card"' in client.get(catalogue.url).content.decode()


def test_signed_in_people_never_get_the_cached_page(
    client, site_tree, django_assert_max_num_queries
):
    course = CoursePageFactory()
    client.get(course.url)
    client.force_login(UserFactory())

    response = client.get(course.url)

    assert response.status_code == 200
    assert not response.has_header("Age")
    # Rendered for this request: it ran queries (a cached page runs none).

    with CaptureQueriesContext(connection) as queries:
        client.get(course.url)
    assert len(queries) > 0


def test_a_long_address_makes_a_short_cache_key(client, site_tree):
    from django.test import RequestFactory

    from cms.page_cache import _key

    request = RequestFactory().get("/fi/" + "Å" * 3000)
    other = RequestFactory().get("/fi/" + "Å" * 2999)

    assert len(_key(request)) < 120
    assert _key(request) != _key(other)


@pytest.fixture
def cached_catalogue(client, site_tree, monkeypatch):
    """A course whose catalogue page is in the cache, and the list of cache clears since."""
    course = CoursePageFactory()
    catalogue = course.get_parent()
    client.get(catalogue.url)
    clear = page_cache.page_cache_clear
    clears = []
    monkeypatch.setattr(page_cache, "page_cache_clear", lambda: (clears.append(1), clear()))
    return course, catalogue, clears


def _group_cards(client, page) -> int:
    return client.get(page.url).content.decode().count('class="group-card"')


@pytest.mark.django_db(transaction=True)
def test_a_change_in_a_transaction_clears_the_pages_once_after_its_commit(client, cached_catalogue):
    """A page rendered while the change is uncommitted shows the old rows; the clear after the
    commit leaves it behind. One cache write however many rows the transaction saves."""
    course, catalogue, clears = cached_catalogue

    with transaction.atomic():
        GroupFactory(course=course)
        GroupFactory(course=course)
        assert clears == []

    assert clears == [1]
    assert _group_cards(client, catalogue) == 2


@pytest.mark.django_db(transaction=True)
def test_a_change_after_a_rolled_back_savepoint_still_clears_the_pages(client, cached_catalogue):
    """The clear registered inside a savepoint goes with its rollback; the next change in the
    same transaction registers it again."""
    course, catalogue, clears = cached_catalogue

    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            GroupFactory(course=course)
            raise RuntimeError
        GroupFactory(course=course)

    assert clears == [1]
    assert _group_cards(client, catalogue) == 1


def _enrol(group, n: int):
    return enrolment_create(
        group_id=group.pk,
        display_name=f"Osallistuja {n}",
        email=f"osallistuja{n}@example.invalid",
        consent_text_version="2026-1",
    )


@pytest.mark.django_db(transaction=True)
def test_joining_the_waiting_list_leaves_the_cached_pages_alone(client, cached_catalogue):
    """A full group's card reads the same whoever joins its queue: a campaign's hundreds of
    waiting-list enrolments cost no cache write and no page rendered again."""
    course, catalogue, clears = cached_catalogue
    group = GroupFactory(course=course, capacity=1, min_size=1)
    _enrol(group, 1)
    full_page = client.get(catalogue.url).content.decode()
    assert "Täynnä: voit ilmoittautua jonotuslistalle" in full_page
    clears.clear()

    waiting = _enrol(group, 2)

    assert waiting.status == "waitlisted"
    assert clears == []
    assert client.get(catalogue.url).content.decode() == full_page


@pytest.mark.django_db(transaction=True)
def test_a_place_taken_or_given_back_shows_at_once(client, cached_catalogue):
    course, catalogue, _clears = cached_catalogue
    group = GroupFactory(course=course, capacity=3, min_size=1)
    assert "3 paikkaa jäljellä" in client.get(catalogue.url).content.decode()

    confirmed = _enrol(group, 1)
    assert "2 paikkaa jäljellä" in client.get(catalogue.url).content.decode()

    confirmed.delete()
    assert "3 paikkaa jäljellä" in client.get(catalogue.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_rows_no_public_page_shows_never_clear_the_cache(cached_catalogue):
    """Attendance, audit entries, mail and queued or ended enrolments removed: no public page
    shows them.
    A changed enrolment still clears (it may have given up its place)."""
    course, _catalogue, clears = cached_catalogue
    group = GroupFactory(course=course)
    meeting = MeetingFactory(group=group)
    present = EnrolmentFactory(group=group)
    waiting = EnrolmentFactory(group=group, status="waitlisted")
    clears.clear()

    AttendanceFactory(meeting=meeting, enrolment=present)
    enrolment_log(present, "groups.enrolment.needs_updated")  # an audit entry, saved with signals
    ModelLogEntry.objects.filter(object_id=str(present.pk)).get().save()
    waiting.delete()
    EnrolmentFactory(group=group, status="cancelled").delete()
    assert clears == []

    present.status = "cancelled"
    present.save(update_fields=["status"])
    assert clears == [1]
