"""Merging groups: the groups a group could be merged into."""

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

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


# Merging people into a group that meets on another day, at another hour or weeks later asks
# them to change their week: the coordinator is warned before choosing it.
FAR_APART_MINUTES = 60
FAR_APART_DAYS = 14


def group_when(group: Group) -> str:
    """When a group meets, in the admin's language: "tiistai 17.30, alkaa 12.1.2027"."""
    parts = []
    if group.starts_on:
        parts.append(date_format(group.starts_on, "l"))
    if group.start_time:
        parts.append(time_format(group.start_time, "TIME_FORMAT"))
    when = " ".join(parts)
    if group.starts_on:
        starts = _("starts %(date)s") % {"date": date_format(group.starts_on, "SHORT_DATE_FORMAT")}
        when = f"{when}, {starts}" if when else starts
    return when


def merge_far_apart(*, source: Group, target: Group) -> list[str]:
    """Why the people of `source` might not make it to `target`'s meetings: another weekday,
    a start time an hour or more apart, a first meeting two weeks or more apart."""
    warnings = []
    if source.starts_on and target.starts_on:
        if source.starts_on.weekday() != target.starts_on.weekday():
            warnings.append(
                _("The chosen group meets on another weekday (%(target)s, not %(source)s).")
                % {
                    "target": date_format(target.starts_on, "l"),
                    "source": date_format(source.starts_on, "l"),
                }
            )
        days = abs((target.starts_on - source.starts_on).days)
        if days >= FAR_APART_DAYS:
            warnings.append(
                _("The chosen group starts %(days)d days apart from this one.") % {"days": days}
            )
    if source.start_time and target.start_time:
        minutes = abs(
            (target.start_time.hour * 60 + target.start_time.minute)
            - (source.start_time.hour * 60 + source.start_time.minute)
        )
        if minutes >= FAR_APART_MINUTES:
            warnings.append(
                _("The chosen group meets at another time (%(target)s, not %(source)s).")
                % {
                    "target": time_format(target.start_time, "TIME_FORMAT"),
                    "source": time_format(source.start_time, "TIME_FORMAT"),
                }
            )
    return warnings
