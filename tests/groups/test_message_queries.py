"""Queuing messages to many people costs a constant number of queries: the reminders before a
meeting and the reminders of an offer about to lapse, by e-mail and by text message (a short
link each), whether 2 or 20 people are told."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import ShortLink
from groups.models import Enrolment, MessageChannel, OutboxMessage
from groups.services import outbox
from tests.factories import CrisisCentreFactory, EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _people(group, count: int, **fields) -> list[Enrolment]:
    """Half by text message only, half by e-mail and text message, in all three languages."""
    people = []
    for n in range(count):
        both = n % 2 == 0
        people.append(
            EnrolmentFactory(
                group=group,
                email=f"p{group.pk}-{n}@example.invalid" if both else "",
                phone=f"+3584012{group.pk:03d}{n:02d}",
                message_channel=MessageChannel.BOTH if both else MessageChannel.SMS,
                language=("fi", "sv", "en")[n % 3],
                **fields,
            )
        )
    return people


def _group_meeting_tomorrow(people: int):
    # No end date: the manage link's expiry is read from the group's meetings.
    group = GroupFactory(centre=CrisisCentreFactory(name="Kriisikeskus"), ends_on=None)
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=8))
    _people(group, people, status=Enrolment.Status.CONFIRMED)
    return meeting


def test_meeting_reminders_take_as_many_queries_for_20_people_as_for_2(
    site_tree, django_assert_max_num_queries
):
    _group_meeting_tomorrow(2)
    with CaptureQueriesContext(connection) as two:
        assert outbox.meeting_reminders_queue() == 2
    _group_meeting_tomorrow(20)

    with django_assert_max_num_queries(len(two)):
        # The first two were reminded already: nothing is queued for them twice.
        assert outbox.meeting_reminders_queue() == 22

    reminders = OutboxMessage.objects.filter(template="reminder")
    assert reminders.filter(channel="sms").count() == 22
    assert reminders.filter(channel="email").count() == 11
    assert ShortLink.objects.count() >= 22
    for message in reminders.filter(channel="sms"):
        assert message.context["short_url"].split("/s/")[1] in set(
            ShortLink.objects.values_list("code", flat=True)
        )


def test_offer_reminders_take_as_many_queries_for_20_people_as_for_2(
    site_tree, settings, django_assert_max_num_queries
):
    settings.OFFER_REMINDER_HOURS = 12
    expiring = {
        "status": Enrolment.Status.OFFERED,
        "offer_expires_at": timezone.now() + dt.timedelta(hours=6),
    }
    _people(GroupFactory(), 2, **expiring)
    with CaptureQueriesContext(connection) as two:
        assert outbox.offer_expiry_reminders_queue() == 2
    _people(GroupFactory(), 20, **expiring)

    with django_assert_max_num_queries(len(two)):
        outbox.offer_expiry_reminders_queue()

    assert OutboxMessage.objects.filter(template="offer_expiring", channel="sms").count() == 22


def test_a_meeting_change_and_a_cancelled_group_take_as_many_queries_for_20_people_as_for_2(
    site_tree, django_assert_max_num_queries
):
    small = _group_meeting_tomorrow(2)
    with CaptureQueriesContext(connection) as two_moved:
        assert outbox.meeting_changed_notify(meeting_id=small.pk) == 2
    with CaptureQueriesContext(connection) as two_cancelled:
        assert outbox.group_cancelled_notify(group_id=small.group_id) == 2
    large = _group_meeting_tomorrow(20)

    with django_assert_max_num_queries(len(two_moved)):
        assert outbox.meeting_changed_notify(meeting_id=large.pk) == 20
    with django_assert_max_num_queries(len(two_cancelled)):
        assert outbox.group_cancelled_notify(group_id=large.group_id) == 20
    assert OutboxMessage.objects.filter(template="group_cancelled", channel="sms").count() == 22


def test_a_changed_video_link_takes_as_many_queries_for_20_people_as_for_2(
    site_tree, django_assert_max_num_queries
):
    small = _group_meeting_tomorrow(2)
    with CaptureQueriesContext(connection) as two:
        assert outbox.video_link_changed_notify(meeting_id=small.pk, change_key="a") == 2
    large = _group_meeting_tomorrow(20)

    with django_assert_max_num_queries(len(two)):
        assert outbox.video_link_changed_notify(meeting_id=large.pk, change_key="a") == 20

    assert OutboxMessage.objects.filter(template="video_link_changed", channel="sms").count() == 22
