"""A group's meetings as the coordinator sees them, and who is told when one changes."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.utils import timezone

from groups.models import Enrolment, Group, Meeting
from groups.scope import centre_scope

HELSINKI = ZoneInfo("Europe/Helsinki")  # the groups' wall clock (services/schedule.py)


def meetings_for_user(*, user, queryset: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings of the groups of the user's centres (`groups.scope`), failing closed."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    return centre_scope(queryset, user=user).select_related(
        "group__course", "group__centre", "group__venue"
    )


def group_meeting_rows(*, group: Group) -> QuerySet[Meeting]:
    """Every meeting of the group in order, with how many attendance rows it has."""
    return group.meetings.annotate(attendance_count=Count("attendances")).order_by(
        "starts_at", "pk"
    )


def people_to_tell(*, group: Group) -> QuerySet[Enrolment]:
    """Who hears of a change to the group's meetings: people holding a place, by e-mail or
    text message as they chose (an erased person has neither). The preview counts these; the
    outbox writes to these."""
    return (
        group.enrolments.filter(status__in=Enrolment.HOLDS_PLACE)
        .exclude(email="", phone="")
        .select_related("group__course", "group__centre")
        # A text message's link ends with the manage link, after the last meeting.
        .prefetch_related("group__meetings")
        .order_by("pk")
    )


def schedule_moves_meetings(
    *, group: Group, meetings: list[tuple[dt.datetime, dt.datetime]], now: dt.datetime | None = None
) -> bool:
    """Whether saving a schedule giving `meetings` ((start, end) pairs) would change a coming
    meeting of the group: one added, removed or at another time. Moved, cancelled and extra
    meetings stay as the coordinator left them, so they are not compared."""
    now = now or timezone.now()
    current = set(
        group.meetings.filter(
            is_extra=False, status=Meeting.Status.SCHEDULED, starts_at__gte=now
        ).values_list("starts_at", "ends_at")
    )
    kept_dates = set(
        group.meetings.filter(is_extra=False)
        .exclude(status=Meeting.Status.SCHEDULED)
        .values_list("planned_on", flat=True)
    )
    wanted = {
        (start, end)
        for start, end in meetings
        if start >= now and start.astimezone(HELSINKI).date() not in kept_dates
    }
    return current != wanted
