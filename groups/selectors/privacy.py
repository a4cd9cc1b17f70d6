"""Personal data: enrolments due for erasure, and a person's own enrolments on request."""

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from groups.contacts import normalise_email, phone_lookup_forms
from groups.models import Enrolment
from groups.scope import enrolments_for_user

# An e-mail withheld because its person was erased (not a failure a coordinator should chase).
ERASED_ERROR = "erased"


def retention_due_enrolments(*, today: dt.date | None = None) -> QuerySet[Enrolment]:
    """Enrolments not yet erased whose group ended (or, never scheduled, started) more than
    RETENTION_DAYS ago."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.RETENTION_DAYS)
    return Enrolment.objects.filter(anonymised_at__isnull=True).filter(
        Q(group__ends_on__lt=cutoff) | Q(group__ends_on__isnull=True, group__starts_on__lt=cutoff)
    )


def _contact_condition(*, email: str, phone: str) -> Q | None:
    """Rows holding exactly this contact, normalised the way enrolment and the interest list
    store it; None without an e-mail or phone."""
    email, phones = normalise_email(email), phone_lookup_forms(phone)
    condition = Q()
    if email:
        condition |= Q(email=email)
    if phones:
        condition |= Q(phone__in=phones)
    return condition or None


def person_enrolments(*, user, email: str = "", phone: str = "") -> QuerySet[Enrolment]:
    """A person's enrolments in the user's centres, by the exact contact they gave (normalised
    the way enrolment stores it). Nothing without an e-mail or phone."""
    condition = _contact_condition(email=email, phone=phone)
    if condition is None:
        return Enrolment.objects.none()
    return (
        enrolments_for_user(user=user, queryset=Enrolment.objects.filter(condition))
        .select_related("group__course", "group__centre", "stay__room")
        .prefetch_related("attendances__meeting", "outbox_messages")
        .order_by("created_at", "pk")
    )


def person_interests(*, user, email: str = "", phone: str = "") -> list:
    """A person's waiting interests (docs/interest.md) in the user's centres, by the exact
    contact they gave; an online-only one only for whole-network users (groups/scope.py)."""
    from groups.models import Interest
    from groups.scope import centre_scope

    condition = _contact_condition(email=email, phone=phone)
    if condition is None:
        return []
    ids = centre_scope(Interest.objects.filter(condition), user=user).values("pk")
    return list(
        Interest.objects.filter(pk__in=ids).prefetch_related("towns").order_by("created_at", "pk")
    )
