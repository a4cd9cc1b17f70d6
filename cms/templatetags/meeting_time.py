"""`{{ meeting.starts_at|meeting_datetime }}` -> "ti 14.1. klo 17.30" / "tis 14.1 kl. 17.30" /
"Tue 14 Jan, 5:30 pm" in the active language, Europe/Helsinki time (cms/formats)."""

import datetime as dt

from django import template

from cms.formats import meeting_format

register = template.Library()


@register.filter
def meeting_datetime(value, start_time: dt.time | None = None) -> str:
    """A datetime with weekday, date and time; a date alone gets its weekday and date, or with
    a wall-clock time as the argument (`group.starts_on|meeting_datetime:group.start_time`)
    the whole meeting format."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if not start_time:
            return meeting_format(value, "MEETING_DATE_FORMAT")
        value = dt.datetime.combine(value, start_time)
    return meeting_format(value, "MEETING_DATETIME_FORMAT")


@register.filter
def meeting_date(value) -> str:
    return meeting_format(value, "MEETING_DATE_FORMAT")


@register.filter
def meeting_time(value) -> str:
    return meeting_format(value, "MEETING_TIME_FORMAT")
