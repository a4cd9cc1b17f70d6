"""The centre boundary: which crisis centres' data a staff user may see. Every staff queryset
of groups, enrolments and their rows goes through `centre_scope`, failing closed."""

from django.db.models import QuerySet

from groups.models import CoordinatorProfile, Enrolment, Group


def user_centre_ids(user) -> list[int] | None:
    """The crisis centres whose groups the user may see in the admin; None means every centre.

    Superusers, and coordinators without a profile or with no centres on it, see the whole
    network. Cached on the user object: one query per request."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, "_vt_centre_ids"):
        ids = list(
            CoordinatorProfile.centres.through.objects.filter(
                coordinatorprofile__user=user
            ).values_list("crisiscentre_id", flat=True)
        )
        user._vt_centre_ids = ids or None
    return user._vt_centre_ids


def centre_scope(queryset: QuerySet, *, user, centre_lookup: str) -> QuerySet:
    """`queryset` narrowed to the user's centres; `centre_lookup` leads from the model to its
    crisis centre (`centre`, `group__centre`, `enrolment__group__centre`)."""
    centre_ids = user_centre_ids(user)
    if centre_ids is None:
        return queryset
    return queryset.filter(**{f"{centre_lookup}__in": centre_ids})


def groups_for_user(*, user, queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    queryset = Group.objects.all() if queryset is None else queryset
    return centre_scope(queryset, user=user, centre_lookup="centre")


def enrolments_for_user(
    *, user, queryset: QuerySet[Enrolment] | None = None
) -> QuerySet[Enrolment]:
    queryset = Enrolment.objects.all() if queryset is None else queryset
    return centre_scope(queryset, user=user, centre_lookup="group__centre")
