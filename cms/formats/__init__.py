"""Date, time and number formats per language (Django's FORMAT_MODULE_PATH), and the one
format Django's own format characters cannot spell: a meeting's time as people write it in each
language ("ti 14.1. klo 17.30", "tis 14.1 kl. 17.30", "Tue 14 Jan, 5:30 pm").

Every format module adds MEETING_DATETIME_FORMAT, MEETING_DATE_FORMAT and MEETING_TIME_FORMAT;
`meeting_format` renders them in Europe/Helsinki wall-clock time in the active language, so a
template (or an e-mail rendered under `translation.override`) needs no logic of its own.
"""

import datetime as dt

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import pgettext


class MeetingDateFormat(dateformat.DateFormat):
    def a(self):
        """'am'/'pm' as British English writes them ("5:30 pm"); Django's own is AP-style
        "p.m."."""
        if self.data.hour < 12:
            return pgettext("time of day", "am")
        return pgettext("time of day", "pm")


def meeting_format(value, format_name: str) -> str:
    """`value` (an aware datetime, a naive wall-clock datetime, a date or a time) in one of the
    MEETING_* formats of the active language."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(2000, 1, 1), value)
    return MeetingDateFormat(value).format(get_format(format_name))
