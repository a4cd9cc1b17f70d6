"""The centre boundary: which crisis centres' rows a staff user may see, change or export.

The one mechanism. Every admin list, inspect, edit, delete, action, export, report, chooser and
dashboard panel gets its rows from `centre_scope(queryset, user=...)` (admin listings through
`CentreScopedViewSet` in `groups/admin/viewsets.py`, function views through `scoped_object`).
`CENTRE_LOOKUPS` says once, per model, which field leads from a row to its crisis centre; a
model missing from it is refused, so a new screen cannot forget the boundary by accident.

It fails closed. Only a superuser, a member of the Administrators role, or a coordinator whose
profile is marked "whole network" sees every centre; a coordinator sees the centres on their
profile; anybody else (no profile, a profile whose centres were all deleted, an editor) sees
none. Residential courses are scoped like every group: by the centre that organises them
(`Group.centre`), not by the venue they stay at.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from cms.models import CrisisCentre
from groups.models import (
    Attendance,
    CoordinatorProfile,
    Enrolment,
    FacilitatorProfile,
    FeedbackAnswer,
    FollowUp,
    Group,
    Interest,
    InterestTown,
    Meeting,
    OutboxMessage,
    PlaceHold,
    Stay,
    Venue,
)
from groups.services.roles import ADMINISTRATORS

# From each model to the crisis centre whose coordinators may see its rows.
CENTRE_LOOKUPS: dict[type[Model], str] = {
    CrisisCentre: "pk",
    Group: "centre",
    Meeting: "group__centre",
    Enrolment: "group__centre",
    Attendance: "enrolment__group__centre",
    Stay: "enrolment__group__centre",
    OutboxMessage: "enrolment__group__centre",
    FollowUp: "enrolment__group__centre",
    FeedbackAnswer: "group__centre",
    Venue: "centre",
    # An interest belongs to the crisis centre of each town it names (an online-only one to
    # the whole network's coordinators): docs/interest.md.
    Interest: "towns__centre",
    InterestTown: "centre",
    PlaceHold: "group__centre",
    FacilitatorProfile: "home_centre",
    # Users as facilitators (choosers, the load report): by their profile's home centre.
    get_user_model(): "facilitator_profile__home_centre",
}


def user_sees_whole_network(user) -> bool:
    """A superuser, an administrator, or a coordinator marked for the whole network."""
    return user_centre_ids(user) is None


def user_centre_ids(user) -> list[int] | None:
    """The crisis centres whose rows the user may see; None means every centre, [] none.

    Cached on the user object: one query per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, "_vt_centre_ids"):
        user._vt_centre_ids = _centre_ids(user)
    return user._vt_centre_ids


def _centre_ids(user) -> list[int] | None:
    if user.groups.filter(name=ADMINISTRATORS).exists():
        return None
    profile = CoordinatorProfile.objects.filter(user=user).first()
    if profile is None:
        return []
    if profile.network_wide:
        return None
    return list(profile.centres.values_list("pk", flat=True))


def centre_lookup(model: type[Model]) -> str:
    for klass in model.__mro__:
        if klass in CENTRE_LOOKUPS:
            return CENTRE_LOOKUPS[klass]
    raise ImproperlyConfigured(
        f"{model.__name__} has no centre lookup in groups.scope.CENTRE_LOOKUPS: add one "
        "before showing its rows to staff."
    )


def centre_scope(queryset: QuerySet, *, user, also: Q | None = None) -> QuerySet:
    """`queryset` narrowed to the rows of the user's centres (nothing at all for a user with
    none). `also` lets in a few more rows a form must keep showing (say, the facilitator an
    existing group already has), never rows in general."""
    centre_ids = user_centre_ids(user)
    if centre_ids is None:
        return queryset
    allowed = Q(**{f"{centre_lookup(queryset.model)}__in": centre_ids})
    if also is not None:
        allowed |= also
    return queryset.filter(allowed)


def scoped_object(queryset: QuerySet, *, user, **lookup):
    """The one row of `queryset` the lookup names, if it is in the user's centres; else 404
    (another centre's row looks like no row at all)."""
    return get_object_or_404(centre_scope(queryset, user=user), **lookup)


CHOOSER_MODELS = (CrisisCentre, Venue, Group, Enrolment)


def form_choosers_scope(form, *, user) -> None:
    """Every select of crisis centres, venues, groups or enrolments in `form` offers only the
    user's centres' rows, plus the value the row already has (an edit must not fail on it).
    A user tied to centres must choose one of theirs where a centre is asked for."""
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or queryset.model not in CHOOSER_MODELS:
            continue
        current = getattr(form.instance, f"{name}_id", None) if form.instance.pk else None
        field.queryset = centre_scope(queryset, user=user, also=Q(pk=current) if current else None)
        if queryset.model is CrisisCentre and not user_sees_whole_network(user):
            field.required = True


def groups_for_user(*, user, queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    queryset = Group.objects.all() if queryset is None else queryset
    return centre_scope(queryset, user=user)


def enrolments_for_user(
    *, user, queryset: QuerySet[Enrolment] | None = None
) -> QuerySet[Enrolment]:
    queryset = Enrolment.objects.all() if queryset is None else queryset
    return centre_scope(queryset, user=user)
