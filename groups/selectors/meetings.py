"""A group's meetings as the coordinator sees them, and who is told when one changes."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from groups.models import Apology, Enrolment, Group, Meeting
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


# --- Online meetings: the video link and who sees it when -----------------------------------


def video_link_opens_at(meeting: Meeting) -> dt.datetime:
    """From when a meeting's video link shows on the manage page (it shows until the end)."""
    return meeting.starts_at - dt.timedelta(hours=settings.VIDEO_LINK_SHOWN_HOURS_BEFORE)


def video_link_shown(
    *, enrolment: Enrolment, meetings: Iterable[Meeting], now: dt.datetime | None = None
) -> tuple[Meeting, str] | None:
    """The meeting whose video link the person sees now, and the link: only with a confirmed
    place, from VIDEO_LINK_SHOWN_HOURS_BEFORE before the meeting until its end (the earliest
    such meeting). `meetings` are the group's, as loaded (their group is the enrolment's)."""
    if enrolment.status != Enrolment.Status.CONFIRMED:
        return None
    now = now or timezone.now()
    for meeting in sorted(meetings, key=lambda meeting: meeting.starts_at):
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        link = meeting.video_link or enrolment.group.video_link
        if link and video_link_opens_at(meeting) <= now < meeting.ends_at:
            return meeting, link
    return None


def video_link_for_message(*, enrolment_id: int, meeting_id: int) -> str:
    """The link a reminder or a changed-link notice carries when it is sent (never stored in
    the outbox row): the meeting's own or its group's, while the person's place is confirmed
    and the meeting not cancelled; else empty. One query."""
    meeting = (
        Meeting.objects.select_related("group")
        .filter(
            pk=meeting_id,
            group__enrolments__pk=enrolment_id,
            group__enrolments__status=Enrolment.Status.CONFIRMED,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .first()
    )
    return meeting.video_link_in_use if meeting else ""


def video_link_changes_reach(*, meetings: QuerySet[Meeting], now: dt.datetime) -> QuerySet[Meeting]:
    """Of `meetings`, those whose link someone may already hold: not ended, not cancelled, and
    either its link shows on the manage page or its reminder (a day before) may have gone.
    A meeting further ahead needs no notice: its reminder carries the new link."""
    horizon = max(dt.timedelta(hours=settings.VIDEO_LINK_SHOWN_HOURS_BEFORE), dt.timedelta(1))
    return (
        meetings.filter(ends_at__gt=now, starts_at__lte=now + horizon)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )


def people_told_of_video_links(*, group: Group) -> QuerySet[Enrolment]:
    """Who is told of a changed video link: people with a confirmed place, by e-mail and/or
    text message as they chose (the text message leads to the manage page showing the link)."""
    return (
        group.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .exclude(email="", phone="")
        .select_related("group__course", "group__centre")
        # A text message's link ends with the manage link, after the last meeting.
        .prefetch_related("group__meetings")
        .order_by("pk")
    )


# --- "I can't come this time" --------------------------------------------------------------


def apology_exists(*, meeting_ref: str = "meeting", enrolment_ref: str = "pk") -> Exists:
    """Whether the person sent apologies for the meeting, for an annotation: `meeting_ref` and
    `enrolment_ref` name the outer query's fields."""
    return Exists(
        Apology.objects.filter(meeting=OuterRef(meeting_ref), enrolment=OuterRef(enrolment_ref))
    )


def apologised_meeting_ids(*, enrolment: Enrolment) -> set[int]:
    """The meetings this person has told us they cannot come to."""
    return set(enrolment.apologies.values_list("meeting_id", flat=True))


def apology_for(*, enrolment: Enrolment, meeting: Meeting) -> Apology | None:
    return Apology.objects.filter(enrolment=enrolment, meeting=meeting).first()
