"""Go/no-go: at its go/no-go date a group under its minimum size needs a coordinator's decision
(extend enrolment, merge with another group, or cancel)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.selectors import helplines_for
from groups.exceptions import ScheduleError
from groups.models import Enrolment, Group

COORDINATORS_GROUP = "Coordinators"


def coordinator_emails() -> list[str]:
    users = get_user_model().objects.filter(
        Q(groups__name=COORDINATORS_GROUP) | Q(is_superuser=True), is_active=True
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def group_go_no_go_check(*, group_id: int, today: dt.date | None = None) -> Group:
    """Flag the group and alert the coordinators once if it is due and under its minimum."""
    today = today or timezone.localdate()
    with transaction.atomic():
        group = Group.objects.select_for_update().select_related("course").get(pk=group_id)
        due = (
            group.go_no_go_date is not None
            and group.go_no_go_date <= today
            and group.status in (Group.Status.OPEN, Group.Status.FULL)
            and group.under_minimum_since is None
        )
        if not due:
            return group
        confirmed = group.enrolments.filter(status__in=Enrolment.HOLDS_PLACE).count()
        if confirmed >= group.min_size:
            return group
        group.under_minimum_since = timezone.now()
        group.save(update_fields=["under_minimum_since", "updated_at"])
        log(group, "groups.group.under_minimum", data={"confirmed": confirmed})
        transaction.on_commit(lambda: go_no_go_alert_send(group.pk, confirmed))
    return group


def go_no_go_alert_send(group_id: int, confirmed: int) -> None:
    group = Group.objects.select_related("course", "centre").get(pk=group_id)
    recipients = coordinator_emails()
    if not recipients:
        return
    with translation.override("fi"), timezone.override("Europe/Helsinki"):
        body = render_to_string(
            "groups/email/go_no_go_alert.txt",
            {"group": group, "confirmed": confirmed, "helplines": helplines_for(language="fi")},
        )
        send_mail(_("A group is under its minimum size"), body, None, recipients)


def group_enrolment_extend(
    *, group: Group, go_no_go_date: dt.date, enrolment_closes: dt.datetime | None = None, user=None
) -> Group:
    """Give a group under its minimum more time: a later go/no-go date (checked again then)."""
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
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
