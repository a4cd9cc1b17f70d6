"""The facilitator portal: a facilitator's groups, rosters, registers and who to reach out to."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import Apology, Attendance, Enrolment, FollowUp, Group, Meeting
from groups.selectors.facilitators import FACILITATORS_GROUP
from groups.selectors.meetings import apology_exists

PORTAL_GROUP_STATUSES = (Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING)
# People who take part in a group's meetings (the register lists them).


ROSTER_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)


def user_is_facilitator(*, user) -> bool:
    """Member of the Facilitators role, or named facilitator of any group."""
    if not user.is_authenticated:
        return False
    if user.groups.filter(name=FACILITATORS_GROUP).exists():
        return True
    return Group.objects.filter(Q(facilitator_1=user) | Q(facilitator_2=user)).exists()


def groups_facilitated_by(*, user) -> QuerySet[Group]:
    """Every group this user facilitates, whatever its status: the portal's permission scope."""
    return Group.objects.filter(Q(facilitator_1=user) | Q(facilitator_2=user)).select_related(
        "course", "centre", "venue"
    )


def portal_groups(*, user) -> QuerySet[Group]:
    """'My groups': upcoming and running, the one meeting next first, with roster size."""
    now = timezone.now()
    next_meeting = Meeting.objects.filter(
        group=OuterRef("pk"), status=Meeting.Status.SCHEDULED, ends_at__gte=now
    ).order_by("starts_at")
    return (
        groups_facilitated_by(user=user)
        .filter(status__in=PORTAL_GROUP_STATUSES)
        .annotate(
            next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
            next_meeting_id=Subquery(next_meeting.values("pk")[:1]),
            roster_size=Count("enrolments", filter=Q(enrolments__status__in=ROSTER_STATUSES)),
        )
        .order_by(F("next_meeting_at").asc(nulls_last=True), "starts_on", "pk")
    )


def group_roster(*, group: Group) -> QuerySet[Enrolment]:
    """The people taking part, by name; contact fields are left to the caller to show or not."""
    return group.enrolments.filter(status__in=ROSTER_STATUSES).order_by("display_name", "pk")


def group_meetings(*, group: Group) -> QuerySet[Meeting]:
    """The group's meetings with how many attendance rows and apologies each has."""
    apologies = (
        Apology.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return group.meetings.annotate(
        attendance_count=Count("attendances"),
        apology_count=Coalesce(Subquery(apologies), 0),
    ).order_by("starts_at")


def meetings_facilitated_by(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        Q(group__facilitator_1=user) | Q(group__facilitator_2=user)
    ).select_related("group", "group__course")


def place_given_at(prefix: str = "") -> Coalesce:
    """When a person got their place: the one rule of who is expected at which meeting.

    A person counts from the first meeting that ends after their place was given (confirmed,
    offer accepted, placed from the waiting list); a row from before `placed_at` was kept
    falls back to the enrolment time. The registers, every report, the certificates and the
    reach-out list all ask this. `prefix` leads from the queried model to the enrolment
    (e.g. "enrolment__").
    """
    return Coalesce(F(f"{prefix}placed_at"), F(f"{prefix}created_at"))


def meeting_register(*, meeting: Meeting) -> QuerySet[Enrolment]:
    """Who is on this meeting's register, with the status recorded so far (`attendance_status`)
    and whether they sent apologies before it (`apologised`).

    Someone who got their place after the meeting ended (a late joiner, or someone placed from
    the waiting list) is not on it, so they are never counted absent before their time.
    """
    recorded = Attendance.objects.filter(meeting=meeting, enrolment=OuterRef("pk"))
    return (
        group_roster(group=meeting.group)
        .alias(place_given=place_given_at())
        .filter(place_given__lt=meeting.ends_at)
        .annotate(
            attendance_status=Subquery(recorded.values("status")[:1]),
            apologised=Exists(Apology.objects.filter(meeting=meeting, enrolment=OuterRef("pk"))),
        )
    )


@dataclass(frozen=True)
class ReachOut:
    """Two or more absences in a row: the facilitator may want to get in touch."""

    enrolment: Enrolment
    gap_start: Meeting
    absences: int


def reach_out_list(*, group: Group, include_contacted: bool = False) -> list[ReachOut]:
    """One entry per run of at least two consecutive absences (cancelled meetings skipped).

    Only recorded attendance at meetings after the person got their place counts: a meeting
    without a row for someone (before they joined, or not yet taken) neither starts nor breaks
    a run. An absence the person sent apologies for is explained, like "excused": it breaks
    the run. Runs already marked contacted are left out unless asked for.
    """
    rows = (
        Attendance.objects.filter(meeting__group=group, enrolment__status__in=ROSTER_STATUSES)
        .alias(place_given=place_given_at("enrolment__"))
        .filter(meeting__ends_at__gt=F("place_given"))
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .annotate(apologised=apology_exists(meeting_ref="meeting", enrolment_ref="enrolment"))
        .select_related("meeting", "enrolment")
        .order_by("enrolment_id", "meeting__starts_at")
    )
    contacted = set(
        FollowUp.objects.filter(enrolment__group=group).values_list("enrolment_id", "gap_start_id")
    )
    runs: list[ReachOut] = []
    current: dict[str, object] = {}

    def close_run() -> None:
        if current and current["count"] >= 2:
            key = (current["enrolment"].pk, current["start"].pk)
            if include_contacted or key not in contacted:
                runs.append(ReachOut(current["enrolment"], current["start"], current["count"]))
        current.clear()

    for row in rows:
        if current and current["enrolment"].pk != row.enrolment_id:
            close_run()
        if row.status == Attendance.Status.ABSENT and not row.apologised:
            if current:
                current["count"] += 1
            else:
                current.update(enrolment=row.enrolment, start=row.meeting, count=1)
        else:
            close_run()
    close_run()
    return sorted(runs, key=lambda run: (run.enrolment.display_name, run.gap_start.starts_at))


# --- Residential courses ---------------------------------------------------------------------

# Whose stays the coordinator plans rooms, meals and arrivals for.
