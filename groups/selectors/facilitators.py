"""Facilitators: who may lead groups, their load per month and their clashing meetings."""

from django.db.models import Count, Q

from groups.models import Group, Meeting

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


def facilitator_load(*, since, until, users=None) -> list[dict]:
    """The facilitators' (`users`, by default all) groups and meetings per month between two
    dates, in two queries.

    Returns rows {"user", "groups", "months": {date(first of month): meetings}} ordered by name.
    """
    from django.db.models.functions import TruncMonth

    users = facilitators() if users is None else users
    users = list(users.select_related("facilitator_profile__home_centre"))
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
