"""The coordinators' dashboard: what needs attention (groups under their minimum or without
facilitators, risk calls, expiring offers, failing e-mails)."""

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from groups.capacity import groups_with_places
from groups.models import Enrolment, Group, OutboxMessage
from groups.scope import centre_scope, enrolments_for_user, groups_for_user
from groups.selectors.privacy import ERASED_ERROR


def groups_under_minimum(*, user=None) -> QuerySet[Group]:
    """Groups the go/no-go check flagged and nobody has decided on yet, for the dashboard
    (with a user: of their centres only)."""
    queryset = Group.objects.filter(
        under_minimum_since__isnull=False,
        status__in=[Group.Status.OPEN, Group.Status.FULL],
    )
    if user is not None:
        queryset = groups_for_user(user=user, queryset=queryset)
    return (
        groups_with_places(queryset)
        .select_related("course", "centre")
        .order_by("go_no_go_date", "pk")
    )


DASHBOARD_ROWS = 10


OFFER_EXPIRY_WARNING = dt.timedelta(hours=24)


def groups_missing_facilitator(*, user) -> QuerySet[Group]:
    """Groups that will run or are running with fewer than two facilitators."""
    return (
        groups_for_user(
            user=user,
            queryset=Group.objects.filter(
                Q(facilitator_1__isnull=True) | Q(facilitator_2__isnull=True),
                status__in=[
                    Group.Status.DRAFT,
                    Group.Status.OPEN,
                    Group.Status.FULL,
                    Group.Status.RUNNING,
                ],
            ),
        )
        .select_related("course", "centre")
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def risk_calls_waiting(*, user) -> QuerySet[Enrolment]:
    """Active enrolments whose intake had a risk answer and whose call is not marked done."""
    return (
        enrolments_for_user(
            user=user,
            queryset=Enrolment.objects.filter(
                risk_flagged=True, risk_call_done_at__isnull=True, status__in=Enrolment.ACTIVE
            ),
        )
        .select_related("group__course")
        .order_by("created_at", "pk")
    )


def offers_expiring(*, user, now: dt.datetime | None = None) -> QuerySet[Enrolment]:
    """Open offers that lapse within a day: a nudge by phone may still save the place."""
    now = now or timezone.now()
    return (
        enrolments_for_user(
            user=user,
            queryset=Enrolment.objects.filter(
                status=Enrolment.Status.OFFERED, offer_expires_at__lte=now + OFFER_EXPIRY_WARNING
            ),
        )
        .select_related("group__course")
        .order_by("offer_expires_at", "pk")
    )


def outbox_failing(*, user) -> QuerySet:
    """Messages (e-mail or text) given up on after every retry or refused by the gateway (not
    those withheld because a person was erased)."""
    return (
        centre_scope(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).exclude(
                last_error=ERASED_ERROR
            ),
            user=user,
        )
        .only("pk", "channel", "template", "language", "attempts", "created_at", "last_error")
        .order_by("-created_at", "-pk")
    )
