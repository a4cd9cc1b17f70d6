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


def group_for_enrolment(group_id: int) -> Group | None:
    """The group shown on the enrolment form, with its course and intake questions."""
    return (
        Group.objects.select_related("course")
        .prefetch_related("course__intake_questions")
        .filter(pk=group_id)
        .first()
    )


def enrolment_for_token(token: str) -> Enrolment | None:
    """The enrolment behind a private manage link, with its group and meetings."""
    if not token or len(token) > 64:
        return None
    return (
        Enrolment.objects.select_related("group__course", "group__centre", "group__venue")
        .prefetch_related("group__meetings")
        .filter(manage_token=token)
        .first()
    )


def enrolments_for_roster(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return queryset.select_related("group__course").order_by("group_id", "status", "created_at")


# A manage link keeps working this long after the group's last meeting, then expires.
MANAGE_LINK_DAYS_AFTER_END = 14


def manage_link_expired(enrolment: Enrolment, *, today=None) -> bool:
    import datetime as dt

    from django.utils import timezone

    ends_on = enrolment.group.ends_on
    if ends_on is None:
        return False
    today = today or timezone.localdate()
    return today > ends_on + dt.timedelta(days=MANAGE_LINK_DAYS_AFTER_END)


def risk_flagged_waiting_count() -> int:
    """Active enrolments with a risk answer whose call is not yet marked done."""
    return Enrolment.objects.filter(
        risk_flagged=True, risk_call_done_at__isnull=True, status__in=Enrolment.ACTIVE
    ).count()


def groups_with_free_places_and_queue() -> list[int]:
    """Groups where a place is free while people wait: a lost offer task is caught up."""
    offering = [Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING]
    return list(
        groups_with_places(Group.objects.filter(status__in=offering))
        .filter(places_left__gt=0, waitlist_length__gt=0)
        .values_list("pk", flat=True)
    )
