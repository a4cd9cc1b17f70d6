"""Completed participants of a training group become Linity/ASSIP experts in one action.

It reads the training group's enrolments: `network` builds on `groups`, never the other way.

Who counts as having completed the training: an enrolment marked *completed*, or one still
*confirmed* in a group that has ended (status completed, or its last meeting date has passed),
because facilitators often do not mark every participant completed one by one. Pending,
waitlisted, offered, cancelled and declined enrolments never count.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from groups.contacts import normalise_email
from groups.models import Enrolment, Group
from network.exceptions import TrainingCertifyError
from network.models import VARIANT_FIELDS, Certification, Expert, Training, Variant


@dataclass
class CertifyCounts:
    created: int = 0  # new expert and certification
    updated: int = 0  # existing expert (same work e-mail), new certification
    unchanged: int = 0  # already certified for this training
    skipped_without_email: int = 0
    experts: list[Expert] = field(default_factory=list)


OUTCOME_LABELS = {
    "created": _("New expert"),
    "updated": _("Existing expert (same work e-mail)"),
    "unchanged": _("Already certified"),
    "no_email": _("Skipped: no e-mail address"),
}


def group_has_ended(group: Group, *, today: dt.date) -> bool:
    return group.status == Group.Status.COMPLETED or (
        group.ends_on is not None and group.ends_on < today
    )


def training_participants(*, training: Training, today: dt.date | None = None) -> QuerySet:
    """The enrolments of the training's group that count as having completed it."""
    today = today or timezone.localdate()
    if training.group_id is None:
        return Enrolment.objects.none()
    statuses = [Enrolment.Status.COMPLETED]
    if group_has_ended(training.group, today=today):
        statuses.append(Enrolment.Status.CONFIRMED)
    return (
        Enrolment.objects.filter(group_id=training.group_id, status__in=statuses)
        .filter(anonymised_at__isnull=True)
        .order_by("display_name", "pk")
    )


def training_participants_preview(
    *, training: Training, today: dt.date | None = None
) -> list[dict]:
    """Each participant with what certifying would do: new / existing / certified / no e-mail."""
    enrolments = list(training_participants(training=training, today=today))
    emails = {normalise_email(e.email) for e in enrolments} - {""}
    experts = {x.email: x for x in Expert.objects.filter(email__in=emails)}
    certified = set(
        Certification.objects.filter(training=training, expert__email__in=emails).values_list(
            "expert__email", flat=True
        )
    )
    rows = []
    for enrolment in enrolments:
        email = normalise_email(enrolment.email)
        if not email:
            outcome = "no_email"
        elif email in certified:
            outcome = "unchanged"
        elif email in experts:
            outcome = "updated"
        else:
            outcome = "created"
        rows.append(
            {
                "name": enrolment.display_name,
                "outcome": outcome,
                "label": OUTCOME_LABELS[outcome],
            }
        )
    return rows


def training_participants_certify(
    *,
    training_id: int,
    county: str,
    variant: str = Variant.ASSIP,
    user: AbstractBaseUser | None = None,
    today: dt.date | None = None,
) -> CertifyCounts:
    """Create or update an Expert per completed participant (matched on the enrolment e-mail)
    and certify them for the training. Safe to run twice: the second run creates nothing.

    New experts get `county` and `variant` (enrolments carry neither), are active, and are not
    on the public directory until they consent themselves."""
    today = today or timezone.localdate()
    certifier = ""
    if user is not None:
        certifier = (user.get_full_name() or user.get_username())[:200]
    counts = CertifyCounts()
    with transaction.atomic():
        training = (
            Training.objects.select_for_update(of=("self",))
            .select_related("group")
            .get(pk=training_id)
        )
        if training.group_id is None:
            raise TrainingCertifyError(
                _("This training has no training group to certify."), code="no_group"
            )
        for enrolment in training_participants(training=training, today=today):
            email = normalise_email(enrolment.email)
            if not email:
                counts.skipped_without_email += 1
                continue
            expert = Expert.objects.filter(email=email).first()
            new_expert = expert is None
            if new_expert:
                expert = Expert(
                    name=enrolment.display_name,
                    email=email,
                    county=county,
                    languages=[enrolment.language],
                    status=Expert.Status.ACTIVE,
                    **{VARIANT_FIELDS[Variant(variant)]: True},
                )
                expert.full_clean()
                expert.save()
                log(expert, "network.expert.created_from_training", user=user)
            _certification, created = Certification.objects.get_or_create(
                expert=expert,
                training=training,
                defaults={"certified_on": today, "certifier": certifier},
            )
            if not created:
                counts.unchanged += 1
                continue
            if new_expert:
                counts.created += 1
            else:
                counts.updated += 1
                log(expert, "network.expert.certified", user=user)
            counts.experts.append(expert)
        log(
            training,
            "network.training.participants_certified",
            user=user,
            data={
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "skipped_without_email": counts.skipped_without_email,
            },
        )
    return counts
