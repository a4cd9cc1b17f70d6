"""Inspect views that read as the coordinator's language: local (Helsinki) times, "—" for
nothing, "Yes"/"No", and a group's schedule in words instead of an RRULE."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from recurrence import Recurrence

from groups.exceptions import ScheduleError
from groups.models import Group
from groups.services.schedule import HELSINKI, group_schedule_dates

EMPTY = "—"


def readable_value(value):
    """A field's value as a person reads it; anything else is left to Wagtail."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if hasattr(value, "get_full_name"):  # a person (a facilitator): by name, not username
        return value.get_full_name() or value.get_username()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(HELSINKI).replace(tzinfo=None)
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, dt.time):
        return date_format(value, "TIME_FORMAT")
    return value


def schedule_description(group: Group) -> str:
    """The rule in words: weekday, time, how many meetings from when to when, skipped dates."""
    if not isinstance(group.schedule, Recurrence) or not group.schedule.rrules:
        return EMPTY
    try:
        dates = group_schedule_dates(group=group)
    except ScheduleError as error:
        return error.message
    text = ngettext(
        "Weekly on %(weekday)s at %(time)s: %(count)d meeting from %(first)s to %(last)s",
        "Weekly on %(weekday)s at %(time)s: %(count)d meetings from %(first)s to %(last)s",
        len(dates),
    ) % {
        "weekday": date_format(dates[0], "l"),
        "time": date_format(group.start_time, "TIME_FORMAT") if group.start_time else EMPTY,
        "count": len(dates),
        "first": date_format(dates[0], "SHORT_DATE_FORMAT"),
        "last": date_format(dates[-1], "SHORT_DATE_FORMAT"),
    }
    skipped = sorted(
        (value.astimezone(HELSINKI) if timezone.is_aware(value) else value).date()
        if isinstance(value, dt.datetime)
        else value
        for value in group.schedule.exdates
    )
    if skipped:
        text += "; " + _("skipped %(dates)s") % {
            "dates": ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in skipped)
        }
    return text


class ReadableInspectMixin:
    """For a Wagtail InspectView: every value readable, a schedule in words."""

    def get_field_display_value(self, field_name, field):
        if field_name == "schedule" and isinstance(self.object, Group):
            return schedule_description(self.object)
        return readable_value(super().get_field_display_value(field_name, field))
