"""A group that keeps places for interests and then does not run (cancelled, or merged into
another): the kept places go at once, each person is told once that their interest waits on,
and a merge target's free places go on to the next matching interests."""

import datetime as dt

import pytest
import recurrence
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from groups.models import Group, Interest, OutboxMessage, PlaceHold
from groups.services.interest import holds_give, holds_release_group_gone, interest_create
from groups.services.merge import group_merge
from groups.services.schedule import group_cancel
from tests.factories import CoursePageFactory, CrisisCentreFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def joensuu(site_tree):
    return CrisisCentreFactory(name="Joensuun kriisikeskus", city="Joensuu")


def _group(centre, course=None, **fields) -> Group:
    group = GroupFactory(centre=centre, course=course or CoursePageFactory(), **fields)
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=10))
    return group


def _interest(group: Group, n: int, **fields) -> Interest:
    values = {
        "topic_key": group.course.topic.translation_key,
        "towns": ["Joensuu"],
        "online": False,
        "language": group.language,
        "display_name": f"Kiinnostunut {n}",
        "email": f"interest{n}@example.invalid",
        "consent_text_version": "2026-1",
        "now": timezone.now() - dt.timedelta(days=10 - n),
    }
    values.update(fields)
    return interest_create(**values)


def _gone() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="interest_group_gone").order_by("pk"))


def test_a_cancelled_group_lets_its_kept_places_go_and_tells_each_person_once(
    joensuu, smsoutbox, django_capture_on_commit_callbacks
):
    group = _group(joensuu, capacity=5, min_size=2)
    by_email = _interest(group, 0)
    by_phone = _interest(group, 1, email="", phone="040 765 4321")
    holds_give(group_id=group.pk)
    mail.outbox.clear()
    smsoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        group_cancel(group=group)

    assert not PlaceHold.objects.filter(status=PlaceHold.Status.OPEN).exists()
    assert [(row.interest_id, row.channel) for row in _gone()] == [
        (by_email.pk, "email"),
        (by_phone.pk, "sms"),
    ]
    (email,) = [message for message in mail.outbox if message.to == [by_email.email]]
    assert "ei toteudukaan" in email.body and "Kiinnostuksesi odottaa edelleen" in email.body
    # The link in the person's language, whatever an earlier test left active.
    with translation.override(by_email.language):
        manage_path = reverse("interest:manage", kwargs={"token": by_email.manage_token})
    assert manage_path in email.body
    (text,) = smsoutbox
    assert text.to == "+358407654321"
    assert text.body.startswith("Joensuun kriisikeskus: valitettavasti ryhmä")
    assert group.course.title not in text.body
    # The interests wait on, free for another group.
    assert Interest.objects.count() == 2

    # Exactly once: the holds are released, so nothing is told again.
    with django_capture_on_commit_callbacks(execute=True):
        assert holds_release_group_gone(group_id=group.pk) == []
    assert len(_gone()) == 2 and len(smsoutbox) == 1


def test_a_person_is_told_in_their_own_language(joensuu, django_capture_on_commit_callbacks):
    group = _group(joensuu, language="sv", capacity=5, min_size=2)
    interest = _interest(group, 0)
    holds_give(group_id=group.pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        group_cancel(group=group)

    (email,) = [message for message in mail.outbox if message.to == [interest.email]]
    assert email.subject == "Gruppen där en plats hölls för dig blir inte av"
    assert "Ditt intresse väntar kvar" in email.body


def test_a_group_set_to_cancelled_in_the_form_lets_its_kept_places_go(
    admin_client, joensuu, django_capture_on_commit_callbacks
):
    from tests.demo.test_groups import _FormValues

    group = _group(
        joensuu,
        capacity=5,
        min_size=2,
        schedule=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10"),
        schedule_from=timezone.localdate() + dt.timedelta(days=14),
    )
    _interest(group, 0)
    holds_give(group_id=group.pk)
    url = reverse("groups_group:edit", args=[group.pk])
    form = _FormValues(url)
    form.feed(admin_client.get(url).content.decode())
    data = {}
    for name, value in form.values:
        data.setdefault(name, []).append(value)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {**data, "status": [Group.Status.CANCELLED]})

    assert response.status_code == 302, response.context["form"].errors
    assert not PlaceHold.objects.filter(status=PlaceHold.Status.OPEN).exists()
    assert len(_gone()) == 1


def test_a_merged_group_lets_its_kept_places_go_and_the_target_keeps_its_places_for_interests(
    joensuu, django_capture_on_commit_callbacks
):
    course = CoursePageFactory()
    small = _group(joensuu, course, name="Pieni", capacity=5, min_size=5)
    target = _group(joensuu, course, name="Iso", capacity=3, min_size=2, status=Group.Status.DRAFT)
    people = [_interest(small, n) for n in range(4)]
    holds_give(group_id=small.pk)  # four places kept in the small group
    # The target opens: its places go to interests holding no other place (none left).
    Group.objects.filter(pk=target.pk).update(status=Group.Status.OPEN)
    assert holds_give(group_id=target.pk) == []

    with django_capture_on_commit_callbacks(execute=True):
        group_merge(source=small, target=target)

    # Each person of the small group is told once that it will not run ...
    assert sorted(row.interest_id for row in _gone()) == [person.pk for person in people]
    assert not PlaceHold.objects.filter(group=small, status=PlaceHold.Status.OPEN).exists()
    # ... and the target's free places are kept for the oldest of them.
    kept = PlaceHold.objects.filter(group=target, status=PlaceHold.Status.OPEN)
    assert sorted(hold.interest_id for hold in kept) == [person.pk for person in people[:3]]
    assert OutboxMessage.objects.filter(template="interest_place_kept").count() == 4 + 3
