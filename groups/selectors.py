"""Read queries for groups: one place computes how many places a group has left."""

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from groups.models import Enrolment, Group


def groups_with_places(queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    """Annotate `places_taken` (confirmed + open offers), `places_left` and `waitlist_length`.

    This is the one definition of "taken" shown to visitors and coordinators; the enrolment
    service checks the same count under a lock before it gives a place.
    """
    queryset = Group.objects.all() if queryset is None else queryset
    return queryset.annotate(
        places_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDS_PLACE)),
        waitlist_length=Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)
        ),
    ).annotate(
        places_left=Greatest(
            Coalesce("capacity", Value(0)) - Coalesce("places_taken", Value(0)),
            Value(0),
            output_field=IntegerField(),
        )
    )


def groups_same_course_open(*, group: Group) -> QuerySet[Group]:
    """The other groups of the same course that still take enrolments, soonest first."""
    return (
        Group.objects.filter(course_id=group.course_id, status=Group.Status.OPEN)
        .exclude(pk=group.pk)
        .select_related("course", "centre")
        .order_by("starts_on", "pk")
    )


FACILITATORS_GROUP = "Facilitators"


def facilitators():
    """Users a coordinator may pick as facilitators: members of the "Facilitators" group."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name=FACILITATORS_GROUP, is_active=True)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def facilitator_load(*, since, until) -> list[dict]:
    """Every facilitator's groups and meetings per month between two dates, in two queries.

    Returns rows {"user", "groups", "months": {date(first of month): meetings}} ordered by name.
    """
    from django.db.models.functions import TruncMonth

    from groups.models import Meeting

    users = list(facilitators().select_related("facilitator_profile__home_centre"))
    rows = {user.pk: {"user": user, "groups": set(), "months": {}} for user in users}
    meetings = (
        Meeting.objects.filter(starts_at__gte=since, starts_at__lt=until)
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(group__status=Group.Status.CANCELLED)
        .annotate(month=TruncMonth("starts_at"))
        .values("group_id", "group__facilitator_1_id", "group__facilitator_2_id", "month")
        .annotate(count=Count("pk"))
    )
    for item in meetings:
        for user_id in (item["group__facilitator_1_id"], item["group__facilitator_2_id"]):
            if user_id in rows:
                month = item["month"].date() if hasattr(item["month"], "date") else item["month"]
                row = rows[user_id]
                row["groups"].add(item["group_id"])
                row["months"][month] = row["months"].get(month, 0) + item["count"]
    for row in rows.values():
        row["groups"] = len(row["groups"])
    return list(rows.values())


def facilitator_clashes(*, user_ids, intervals, exclude_group_id=None):
    """Meetings of other groups led by any of `user_ids` that overlap one of `intervals`
    (pairs of aware start and end)."""
    from groups.models import Meeting

    user_ids = [user_id for user_id in user_ids if user_id]
    if not user_ids or not intervals:
        return Meeting.objects.none()
    overlap = Q()
    for start, end in intervals:
        overlap |= Q(starts_at__lt=end, ends_at__gt=start)
    return (
        Meeting.objects.filter(overlap)
        .filter(Q(group__facilitator_1_id__in=user_ids) | Q(group__facilitator_2_id__in=user_ids))
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(group__status=Group.Status.CANCELLED)
        .exclude(group_id=exclude_group_id)
        .select_related("group__course", "group__facilitator_1", "group__facilitator_2")
        .order_by("starts_at")
    )


def groups_under_minimum() -> QuerySet[Group]:
    """Groups the go/no-go check flagged and nobody has decided on yet, for the dashboard."""
    return (
        groups_with_places(
            Group.objects.filter(
                under_minimum_since__isnull=False,
                status__in=[Group.Status.OPEN, Group.Status.FULL],
            )
        )
        .select_related("course", "centre")
        .order_by("go_no_go_date", "pk")
    )
