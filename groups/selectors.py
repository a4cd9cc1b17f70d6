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
