"""The schedule service: rules, materialisation, DST, exceptions and idempotency."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.core import mail
from wagtail.models import ModelLogEntry

from cms.page_cache import page_cache_clear
from courses.models import CourseFormat
from groups.exceptions import ScheduleError
from groups.models import Group, Meeting, OutboxMessage
from groups.services.outbox import group_cancelled_notify
from groups.services.schedule import (
    group_cancel,
    meeting_add_extra,
    meeting_cancel,
    meeting_move,
    meetings_schedule,
    schedule_dates,
    schedule_preview,
)
from tests.factories import (
    AttendanceFactory,
    CoursePageFactory,
    EnrolmentFactory,
    GroupFactory,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.UTC


def notifications(callbacks):
    """The notifications a schedule change enqueued (not the page-cache clearing every write
    does, nor the outbox messages a notification queues in turn)."""
    return [
        callback
        for callback in callbacks
        if callback is not page_cache_clear and callback.__module__ == "groups.services.schedule"
    ]


pytestmark = pytest.mark.django_db


def weekly(text: str) -> recurrence.Recurrence:
    """A rule as the admin widget sends it (excluded dates as UTC instants of local midnight)."""
    return recurrence.deserialize(text)


def tuesday_group(rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12", since=dt.date(2027, 1, 12), **kw):
    return GroupFactory(
        schedule=weekly(rule), schedule_from=since, start_time=dt.time(17, 30), **kw
    )


def local_times(group):
    return [
        meeting.starts_at.astimezone(HELSINKI).strftime("%a %Y-%m-%d %H:%M")
        for meeting in group.meetings.order_by("starts_at")
    ]


# --- rules -------------------------------------------------------------------------------


def test_twelve_tuesdays_skipping_a_holiday_give_twelve_dates():
    # 12 Tuesdays from 13.10.2026; 8.12.2026 (around Independence Day) is skipped, so the
    # twelfth meeting is a week later: the count is the number of meetings held.
    rule = weekly("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12\nEXDATE:20261207T220000Z")
    dates = schedule_dates(schedule=rule, schedule_from=dt.date(2026, 10, 13))
    assert len(dates) == 12
    assert dt.date(2026, 12, 8) not in dates
    assert dates[0] == dt.date(2026, 10, 13)
    assert dates[-1] == dt.date(2027, 1, 5)
    assert all(day.weekday() == 1 for day in dates)


def test_rule_ending_on_a_date_counts_its_dates():
    rule = weekly("RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20270331T215959Z")
    dates = schedule_dates(schedule=rule, schedule_from=dt.date(2027, 1, 1))
    assert dates[0] == dt.date(2027, 1, 6)
    assert dates[-1] == dt.date(2027, 3, 31)
    assert len(dates) == 13


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("RRULE:FREQ=DAILY;COUNT=12", "not_weekly"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU", "no_end"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=9", "meeting_count"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=16", "meeting_count"),
        ("", "no_rule"),
    ],
)
def test_a_peer_group_needs_a_weekly_rule_of_ten_to_fifteen_meetings(text, code):
    with pytest.raises(ScheduleError) as error:
        schedule_dates(schedule=weekly(text), schedule_from=dt.date(2027, 1, 1))
    assert error.value.code == code
    assert error.value.message


def test_excluded_dates_do_not_count_against_the_meeting_number():
    rule = weekly("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10\nEXDATE:20270118T220000Z")
    dates = schedule_dates(schedule=rule, schedule_from=dt.date(2027, 1, 12))
    assert len(dates) == 10
    assert dt.date(2027, 1, 19) not in dates
    assert dates[-1] == dt.date(2027, 3, 23)


def test_a_training_may_have_fewer_meetings():
    rule = weekly("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=2")
    dates = schedule_dates(
        schedule=rule, schedule_from=dt.date(2027, 1, 1), course_format=CourseFormat.TRAINING
    )
    assert dates == [dt.date(2027, 1, 2), dt.date(2027, 1, 9)]


def test_start_date_is_needed():
    with pytest.raises(ScheduleError) as error:
        schedule_dates(schedule=weekly("RRULE:FREQ=WEEKLY;COUNT=12"), schedule_from=None)
    assert error.value.code == "no_schedule_from"


def test_preview_gives_local_start_and_end_without_saving():
    preview = schedule_preview(
        schedule=weekly("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
        schedule_from=dt.date(2027, 1, 12),
        start_time=dt.time(17, 30),
        duration_minutes=90,
    )
    assert len(preview) == 12
    start, end = preview[0]
    assert start == dt.datetime(2027, 1, 12, 17, 30, tzinfo=HELSINKI)
    assert end - start == dt.timedelta(minutes=90)
    assert not Meeting.objects.exists()


# --- materialisation -----------------------------------------------------------------------


def test_meetings_are_materialised_and_group_dates_kept():
    group = meetings_schedule(group=tuesday_group())
    assert group.meetings.count() == 12
    assert group.starts_on == dt.date(2027, 1, 12)
    assert group.ends_on == dt.date(2027, 3, 30)
    first = group.meetings.first()
    assert first.ends_at - first.starts_at == dt.timedelta(minutes=90)
    assert first.planned_on == dt.date(2027, 1, 12)
    assert first.status == Meeting.Status.SCHEDULED
    assert ModelLogEntry.objects.filter(action="groups.group.scheduled").exists()


def test_running_the_schedule_again_never_duplicates():
    group = tuesday_group()
    meetings_schedule(group=group)
    ids = set(group.meetings.values_list("pk", flat=True))
    meetings_schedule(group=group)
    meetings_schedule(group=group)
    assert set(group.meetings.values_list("pk", flat=True)) == ids


def test_new_start_time_moves_scheduled_meetings_but_keeps_their_rows():
    group = tuesday_group()
    meetings_schedule(group=group)
    ids = set(group.meetings.values_list("pk", flat=True))
    Group.objects.filter(pk=group.pk).update(start_time=dt.time(18, 0))
    meetings_schedule(group=group)
    assert set(group.meetings.values_list("pk", flat=True)) == ids
    assert all(time.endswith("18:00") for time in local_times(group))


def test_shorter_rule_removes_meetings_without_attendance_but_keeps_attended_ones():
    group = tuesday_group()
    meetings_schedule(group=group)
    last = group.meetings.order_by("starts_at").last()
    AttendanceFactory(meeting=last, enrolment=EnrolmentFactory(group=group))
    # Two weeks shorter: the 11th meeting goes, the 12th has attendance and stays.
    group.schedule = weekly("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10")
    group.save(update_fields=["schedule"])
    meetings_schedule(group=group)
    assert group.meetings.count() == 11
    assert group.meetings.filter(pk=last.pk).exists()
    assert last.attendances.count() == 1


def test_moved_and_cancelled_meetings_survive_rescheduling():
    group = tuesday_group()
    meetings_schedule(group=group)
    first, second = group.meetings.order_by("starts_at")[:2]
    meeting_move(meeting=first, starts_at=dt.datetime(2027, 1, 14, 18, 0, tzinfo=HELSINKI))
    meeting_cancel(meeting=second)
    meetings_schedule(group=group)
    assert group.meetings.count() == 12
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Meeting.Status.MOVED
    assert first.starts_at == dt.datetime(2027, 1, 14, 18, 0, tzinfo=HELSINKI)
    assert first.planned_on == dt.date(2027, 1, 12)
    assert second.status == Meeting.Status.CANCELLED


# --- daylight-saving time --------------------------------------------------------------------


def test_group_over_the_october_change_keeps_its_local_time():
    # Clocks go back on Sunday 25.10.2026.
    group = meetings_schedule(group=tuesday_group(since=dt.date(2026, 10, 1)))
    assert all(time.endswith("17:30") for time in local_times(group))
    utc_hours = [meeting.starts_at.astimezone(UTC).hour for meeting in group.meetings.all()]
    assert utc_hours[:3] == [14] * 3  # 6.-20.10 summer time (UTC+3)
    assert utc_hours[3:] == [15] * 9  # from 27.10 winter time (UTC+2)


def test_group_over_the_march_change_keeps_its_local_time():
    # Clocks go forward on Sunday 28.3.2027.
    group = meetings_schedule(group=tuesday_group(since=dt.date(2027, 2, 2)))
    assert all(time.endswith("17:30") for time in local_times(group))
    utc_hours = [meeting.starts_at.astimezone(UTC).hour for meeting in group.meetings.all()]
    assert utc_hours[:8] == [15] * 8  # until 23.3 winter time
    assert utc_hours[8:] == [14] * 4  # from 30.3 summer time


# --- exceptions ------------------------------------------------------------------------------


def test_cancelling_a_meeting_tells_the_participants(django_capture_on_commit_callbacks):
    group = tuesday_group()
    meetings_schedule(group=group)
    EnrolmentFactory(group=group, email="anna@example.invalid", language="fi")
    EnrolmentFactory(group=group, email="bo@example.invalid", language="sv")
    meeting = group.meetings.first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        meeting_cancel(meeting=meeting, note="Sairastuminen")
    assert len(notifications(callbacks)) == 1
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.invalid",
        "bo@example.invalid",
    ]
    assert any("0111" in message.body or "0112" in message.body for message in mail.outbox)
    assert ModelLogEntry.objects.filter(action="groups.meeting.cancelled").count() == 1
    with pytest.raises(ScheduleError):
        meeting_cancel(meeting=meeting)


def test_cancelled_first_meeting_moves_the_group_start():
    group = meetings_schedule(group=tuesday_group())
    meeting_cancel(meeting=group.meetings.order_by("starts_at").first())
    group.refresh_from_db()
    assert group.starts_on == dt.date(2027, 1, 19)


def test_moving_a_meeting_enqueues_the_notification(django_capture_on_commit_callbacks):
    group = meetings_schedule(group=tuesday_group())
    meeting = group.meetings.first()
    with django_capture_on_commit_callbacks() as callbacks:
        moved = meeting_move(
            meeting=meeting, starts_at=dt.datetime(2027, 1, 13, 17, 30), note="Sali varattu"
        )
    assert len(notifications(callbacks)) == 1
    assert moved.starts_at == dt.datetime(2027, 1, 13, 17, 30, tzinfo=HELSINKI)
    assert moved.ends_at - moved.starts_at == dt.timedelta(minutes=90)
    assert ModelLogEntry.objects.filter(action="groups.meeting.moved").count() == 1


def test_extra_meeting_is_added_and_kept(django_capture_on_commit_callbacks):
    group = meetings_schedule(group=tuesday_group())
    with django_capture_on_commit_callbacks() as callbacks:
        extra = meeting_add_extra(
            group=group, starts_at=dt.datetime(2027, 4, 6, 17, 30), title="Jälkitapaaminen"
        )
    assert len(notifications(callbacks)) == 1
    assert extra.is_extra
    meetings_schedule(group=group)
    assert group.meetings.count() == 13
    group.refresh_from_db()
    assert group.ends_on == dt.date(2027, 4, 6)


def test_cancelling_a_group_tells_everyone_and_offers_other_groups(
    django_capture_on_commit_callbacks,
):
    course = CoursePageFactory(format=CourseFormat.WEEKLY)
    group = meetings_schedule(group=tuesday_group(course=course))
    other = GroupFactory(
        course=course, name="Torstairyhmä", status=Group.Status.OPEN, starts_on=dt.date(2027, 3, 4)
    )
    GroupFactory(course=course, name="Luonnos", status=Group.Status.DRAFT)
    EnrolmentFactory(group=group, email="anna@example.invalid", language="fi")
    EnrolmentFactory(group=group, email="bo@example.invalid", language="sv")
    EnrolmentFactory(group=group, email="", phone="040 123 4567")
    with django_capture_on_commit_callbacks(execute=True):
        group_cancel(group=group)
    group.refresh_from_db()
    assert group.status == Group.Status.CANCELLED
    assert not group.meetings.exclude(status=Meeting.Status.CANCELLED).exists()
    messages = OutboxMessage.objects.filter(template="group_cancelled").order_by("recipient")
    assert [(m.channel, m.recipient, m.language, m.status) for m in messages] == [
        ("sms", "040 123 4567", "fi", OutboxMessage.Status.SENT),  # the phone-only person
        ("email", "anna@example.invalid", "fi", OutboxMessage.Status.SENT),
        ("email", "bo@example.invalid", "sv", OutboxMessage.Status.SENT),
    ]
    assert len(mail.outbox) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    finnish, swedish = by_recipient["anna@example.invalid"], by_recipient["bo@example.invalid"]
    assert finnish.subject == "Ryhmäsi on peruttu"
    assert "Torstairyhmä" in finnish.body and "Luonnos" not in finnish.body
    assert "4.3.2027" in finnish.body
    assert f"http://127.0.0.1:8000/fi/enrol/{other.pk}/" in finnish.body
    assert f"http://127.0.0.1:8000/sv/enrol/{other.pk}/" in swedish.body
    html = swedish.alternatives[0][0]
    assert '<html lang="sv">' in html
    assert f'href="http://127.0.0.1:8000/sv/enrol/{other.pk}/"' in html
    assert "0111" in finnish.body or "0112" in finnish.body
    assert "tel:" in html

    # Telling them again (a rerun task) sends nothing more.
    group_cancelled_notify(group_id=group.pk)
    assert len(mail.outbox) == 2
