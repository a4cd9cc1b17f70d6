"""django-q2 entry points: they take ids, call a service and are safe to run twice."""

from django.utils import timezone

from groups.models import Group
from groups.services.go_no_go import group_go_no_go_check


def go_no_go_check_due() -> int:
    """Check every open group whose go/no-go date has come; returns how many were checked."""
    due = Group.objects.filter(
        go_no_go_date__lte=timezone.localdate(),
        status__in=[Group.Status.OPEN, Group.Status.FULL],
        under_minimum_since__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for group_id in due:
        group_go_no_go_check(group_id=group_id)
        count += 1
    return count
