"""iCalendar files of meetings: stable UIDs so a subscribed calendar updates in place. Public
data only (no video links); the public feeds in `groups/views/public.py` serve them."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from cms.models import text_in_language
from courses.models import CoursePage
from groups.models import Enrolment, Group, Meeting

PRODID = "-//Vertaistuki//Peer-support groups//FI"
UID_DOMAIN = "vertaistuki"
HELSINKI = ZoneInfo("Europe/Helsinki")


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def meeting_location(group: Group) -> str:
    if group.mode == Group.Mode.REMOTE:
        return _("Remote meeting (the link is sent to participants)")
    # The venue or crisis centre by its name in the active language (the Finnish name where it
    # has none in it).
    place = group.venue or group.centre
    if place is None:
        return ""
    parts = [text_in_language(place, "name"), place.address, place.city]
    return ", ".join(part for part in parts if part)


def course_titles(meetings: list[Meeting]) -> dict[int, str]:
    """Course titles in the active language, by the course (Finnish page) id: one query."""
    courses = {meeting.group.course for meeting in meetings}
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    translated = dict(
        CoursePage.objects.live()
        .filter(
            translation_key__in=[course.translation_key for course in courses],
            locale__language_code=language,
        )
        .values_list("translation_key", "title")
    )
    return {course.pk: translated.get(course.translation_key, course.title) for course in courses}


def meetings_calendar(
    *,
    meetings: Iterable[Meeting],
    name: str,
    cancelled: bool = False,
    stamp: dt.datetime | None = None,
) -> bytes:
    """The meetings as an iCalendar file; titles and places in the active language. Every
    event is `CANCELLED` when `cancelled` (a cancelled enrolment), else a cancelled meeting or
    group's. `stamp`: when the file last changed (the group's last edit by default)."""
    meetings = list(meetings)
    titles = course_titles(meetings)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    for meeting in meetings:
        group = meeting.group
        event = Event()
        event.add("uid", meeting_uid(meeting))
        if meeting.title:
            # A session's title in the active language; the Finnish one says it is Finnish.
            language = {"language": "fi"} if meeting.title_is_fallback else None
            event.add("summary", meeting.localized_title, parameters=language)
        else:
            event.add("summary", titles[group.course_id])
        event.add("dtstart", meeting.starts_at.astimezone(HELSINKI))
        event.add("dtend", meeting.ends_at.astimezone(HELSINKI))
        event.add("dtstamp", stamp or meeting.group.updated_at)
        location = meeting_location(group)
        if location:
            event.add("location", location)
        if meeting.note:
            event.add("description", meeting.note)
        if (
            cancelled
            or meeting.status == Meeting.Status.CANCELLED
            or group.status == Group.Status.CANCELLED
        ):
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def enrolment_calendar(*, enrolment: Enrolment) -> bytes:
    """A participant's own calendar file (from the manage page), in their language whichever
    language the link was opened in: every meeting of the group with the same UIDs as the
    public feeds, all `CANCELLED` once the enrolment is cancelled. Never the video link."""
    group = enrolment.group
    meetings = group.meetings.select_related("group__course", "group__centre", "group__venue")
    with translation.override(enrolment.language):
        return meetings_calendar(
            meetings=meetings.order_by("starts_at", "pk"),
            name=group.course.localized.title,
            cancelled=enrolment.status == Enrolment.Status.CANCELLED,
            stamp=max(group.updated_at, enrolment.updated_at),
        )
