"""Merging groups: the groups a group could be merged into."""

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone

from groups.capacity import groups_with_places
from groups.models import Group, Meeting


def groups_merge_targets(*, group: Group) -> QuerySet[Group]:
    """Groups of the same course that `group` could be merged into: open or full, not started.
    Annotated with places (see `groups_with_places`); same language first, then soonest."""
    started = Meeting.objects.filter(group=OuterRef("pk"), starts_at__lte=timezone.now()).exclude(
        status=Meeting.Status.CANCELLED
    )
    return (
        groups_with_places(
            Group.objects.filter(
                course_id=group.course_id, status__in=[Group.Status.OPEN, Group.Status.FULL]
            )
            .exclude(pk=group.pk)
            .exclude(Exists(started))
        )
        .annotate(
            other_language=Case(
                When(language=group.language, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("course", "centre", "venue")
        .order_by("other_language", "starts_on", "pk")
    )
