"""Go/no-go: at its go/no-go date a group under its minimum size needs a coordinator's decision
(extend enrolment, merge with another group, or cancel)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from groups.capacity import group_lock, place_counts
from groups.exceptions import ScheduleError
from groups.models import Group

COORDINATORS_GROUP = "Coordinators"


def coordinators() -> list[tuple[int, str, str]]:
    """Id, e-mail address and preferred language of every active coordinator (and superuser)."""
    users = (
        get_user_model()
        .objects.filter(Q(groups__name=COORDINATORS_GROUP) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .distinct()
    )
    languages = {code for code, _name in settings.LANGUAGES}
    found = []
    for user in users:
        profile = getattr(user, "wagtail_userprofile", None)
        preferred = profile.preferred_language if profile else ""
        language = preferred if preferred in languages else settings.LANGUAGE_CODE
        found.append((user.pk, user.email, language))
    return sorted(found)


def group_go_no_go_check(*, group_id: int, today: dt.date | None = None) -> Group:
    """Flag the group and alert the coordinators once if it is due and under its minimum."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # The group row only (PostgreSQL): the joined course page stays free for editors.
        group = group_lock(group_id)
        due = (
            group.go_no_go_date is not None
            and group.go_no_go_date <= today
            and group.status in (Group.Status.OPEN, Group.Status.FULL)
            and group.under_minimum_since is None
        )
        if not due:
            return group
        confirmed = place_counts(group).taken
        if confirmed >= group.min_size:
            return group
        group.under_minimum_since = timezone.now()
        group.save(update_fields=["under_minimum_since", "updated_at"])
        log(group, "groups.group.under_minimum", data={"confirmed": confirmed})
        transaction.on_commit(lambda: go_no_go_alert_send(group.pk, confirmed))
    return group


def go_no_go_alert_send(group_id: int, confirmed: int) -> None:
    """Queue the alert in the outbox: one message per coordinator, in their admin language."""
    from cms.links import absolute_url
    from groups.services.outbox import staff_message_queue

    group = Group.objects.get(pk=group_id)
    since = group.under_minimum_since.isoformat() if group.under_minimum_since else ""
    context = {
        "group": str(group),
        "confirmed": confirmed,
        "min": group.min_size,
        "dashboard_url": absolute_url(reverse("wagtailadmin_home")),
    }
    with transaction.atomic():
        for user_id, email, language in coordinators():
            staff_message_queue(
                recipient=email,
                language=language,
                template="go_no_go_alert",
                context=context,
                idempotency_key=f"{group.pk}:{since}:{user_id}",
            )


def group_enrolment_extend(
    *, group: Group, go_no_go_date: dt.date, enrolment_closes: dt.datetime | None = None, user=None
) -> Group:
    """Give a group under its minimum more time: a later go/no-go date (checked again then)."""
    with transaction.atomic():
        group = group_lock(group.pk)
        if go_no_go_date <= timezone.localdate():
            raise ScheduleError(_("The new go/no-go date must be in the future."), code="past")
        group.go_no_go_date = go_no_go_date
        group.under_minimum_since = None
        fields = ["go_no_go_date", "under_minimum_since", "updated_at"]
        if enrolment_closes is not None:
            group.enrolment_closes = enrolment_closes
            fields.append("enrolment_closes")
        group.save(update_fields=fields)
        log(group, "groups.group.enrolment_extended", user=user)
    return group
