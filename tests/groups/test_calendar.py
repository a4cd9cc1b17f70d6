import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from groups.models import Group, Meeting
from tests.factories import CoursePageFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_group_feed_has_every_meeting_with_stable_uids_in_helsinki_time(client, site_tree):
    group = GroupFactory(course=CoursePageFactory(title="Sururyhmä"))
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    meetings = [
        MeetingFactory(group=group, starts_at=start + dt.timedelta(weeks=week)) for week in range(3)
    ]
    meetings[1].status = Meeting.Status.CANCELLED
    meetings[1].save(update_fields=["status"])

    calendar = parse(client.get(f"/fi/calendar/group/{group.pk}.ics"))
    again = parse(client.get(f"/fi/calendar/group/{group.pk}.ics"))

    events = calendar.walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [
        f"meeting-{m.pk}@vertaistuki" for m in meetings
    ]
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]
    assert [str(event["STATUS"]) for event in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert str(events[0]["SUMMARY"]) == "Sururyhmä"
    assert events[0].decoded("DTSTART") == start
    assert str(events[0]["DTSTART"].params["TZID"]) == "Europe/Helsinki"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]


def test_course_feed_has_the_meetings_of_all_its_groups(client, site_tree):
    course = CoursePageFactory()
    MeetingFactory(group=GroupFactory(course=course))
    MeetingFactory(group=GroupFactory(course=course))
    MeetingFactory(group=GroupFactory(course=course, status=Group.Status.DRAFT))
    MeetingFactory()  # another course

    calendar = parse(client.get(f"/sv/calendar/course/{course.pk}.ics"))

    assert len(calendar.walk("VEVENT")) == 2


def test_draft_group_has_no_public_feed(client, site_tree):
    group = GroupFactory(status=Group.Status.DRAFT)

    assert client.get(f"/fi/calendar/group/{group.pk}.ics").status_code == 404
