"""Every write of the expert network: one function per action, each logged for the audit."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from cms.services.audit import log_entries_relabel
from groups.models import OutboxMessage
from groups.selectors.privacy import ERASED_ERROR
from groups.services.outbox import message_queue
from network.exceptions import ExpertStateError
from network.models import Certification, Expert, SupervisionAttendance
from network.selectors import experts_due_reminder, keeping_up_counts
from network.services.mail import (
    KINDS,
    MAIL_LANGUAGES,
    SUPERVISION_REMINDER,
    SUPERVISION_SUMMARY,
)

# The coordinator's monthly summary is written in Finnish.
SUMMARY_LANGUAGE = "fi"

ANONYMOUS_NAME = "Anonymised"


def expert_pause(*, expert: Expert, user: AbstractBaseUser | None = None) -> Expert:
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.status != Expert.Status.ACTIVE:
            raise ExpertStateError(_("Only an active expert can be paused."), code="not_active")
        expert.status = Expert.Status.PAUSED
        expert.save(update_fields=["status"])
        log(expert, "network.expert.paused", user=user)
    return expert


def expert_mark_left(
    *, expert: Expert, user: AbstractBaseUser | None = None, now: dt.datetime | None = None
) -> Expert:
    """The expert leaves the network: off the directory at once, anonymised after retention."""
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.status == Expert.Status.LEFT:
            return expert
        expert.status = Expert.Status.LEFT
        expert.left_at = now or timezone.now()
        expert.public_listing_consent = False
        expert.public_email_consent = False
        expert.save(
            update_fields=["status", "left_at", "public_listing_consent", "public_email_consent"]
        )
        log(expert, "network.expert.left", user=user)
    return expert


def expert_consent_withdraw(*, expert: Expert, user: AbstractBaseUser | None = None) -> Expert:
    """Off the public directory with the next page view (the directory is never cached)."""
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        expert.public_listing_consent = False
        expert.public_email_consent = False
        expert.public_listing_consented_at = None
        expert.save(
            update_fields=[
                "public_listing_consent",
                "public_email_consent",
                "public_listing_consented_at",
            ]
        )
        log(expert, "network.expert.consent_withdrawn", user=user)
    return expert


def expert_anonymise(*, expert: Expert, now: dt.datetime | None = None) -> Expert:
    """Erase who the expert was; county, languages, variants and history stay for the counts."""
    now = now or timezone.now()
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.anonymised_at is not None:
            return expert
        if expert.status != Expert.Status.LEFT:
            raise ExpertStateError(_("Only an expert who left can be anonymised."), code="not_left")
        _outbox_erase(email=expert.email, name=expert.name)
        expert.name = ANONYMOUS_NAME
        expert.title = ""
        expert.organisation = ""
        expert.city = ""
        expert.email = f"anonymised-{expert.pk}@anonymised.invalid"
        expert.phone = ""
        expert.anonymised_at = now
        expert.save(
            update_fields=[
                "name",
                "title",
                "organisation",
                "city",
                "email",
                "phone",
                "anonymised_at",
            ]
        )
        # Entries written before audit labels were numbers carry the name (also those of the
        # expert's certifications and supervision attendance); the trail stays, the name goes.
        log_entries_relabel(model=Expert, object_ids=[expert.pk])
        log_entries_relabel(
            model=Certification,
            object_ids=expert.certifications.values_list("pk", flat=True),
        )
        log_entries_relabel(
            model=SupervisionAttendance,
            object_ids=expert.supervision_attendances.values_list("pk", flat=True),
        )
        log(expert, "network.expert.anonymised", user=None)
    return expert


def _outbox_erase(*, email: str, name: str) -> None:
    """The network's e-mails to the expert: address and context go, unsent ones never go
    (as `groups.services.privacy` does for a participant's). The coordinator's summaries
    keep the line but not the name."""
    messages = OutboxMessage.objects.filter(recipient=email, template__in=KINDS)
    messages.filter(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]).update(
        status=OutboxMessage.Status.FAILED, next_attempt_at=None, last_error=ERASED_ERROR
    )
    messages.update(recipient="", context={})
    summaries = OutboxMessage.objects.filter(template=SUPERVISION_SUMMARY).only("context")
    for summary in summaries:
        due = summary.context.get("due", [])
        if name in due:
            summary.context["due"] = [ANONYMOUS_NAME if each == name else each for each in due]
            summary.save(update_fields=["context"])


def experts_anonymise_expired(*, now: dt.datetime | None = None) -> int:
    """Anonymise every expert who left more than EXPERT_RETENTION_DAYS ago. Safe to rerun."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPERT_RETENTION_DAYS)
    expired = Expert.objects.filter(
        status=Expert.Status.LEFT, left_at__lte=cutoff, anonymised_at__isnull=True
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(expired):
        expert_anonymise(expert=Expert(pk=pk), now=now)
        count += 1
    return count


def supervision_reminders_queue(*, today: dt.date | None = None) -> int:
    """Monthly: the coordinator gets the summary, each due expert a reminder, through the
    outbox (sent once, retried). Returns how many messages were queued: a second run in the
    same month queues none."""
    today = today or timezone.localdate()
    month = f"{today:%Y-%m}"
    due = list(experts_due_reminder(today=today).only("name", "email", "languages"))
    queued = 0
    with transaction.atomic():
        coordinator = settings.EXPERT_NETWORK_COORDINATOR_EMAIL
        if coordinator:
            with translation.override(SUMMARY_LANGUAGE):
                date = date_format(today, "SHORT_DATE_FORMAT")
            queued += _queue_once(
                recipient=coordinator,
                language=SUMMARY_LANGUAGE,
                template=SUPERVISION_SUMMARY,
                context={
                    "counts": keeping_up_counts(today=today),
                    "due": [expert.name for expert in due],
                    "date": date,
                },
                idempotency_key=f"{SUPERVISION_SUMMARY}:{month}",
            )
        for expert in due:
            language = next(
                (code for code in expert.languages or [] if code in MAIL_LANGUAGES), "fi"
            )
            queued += _queue_once(
                recipient=expert.email,
                language=language,
                template=SUPERVISION_REMINDER,
                context={"name": expert.name},
                idempotency_key=f"{SUPERVISION_REMINDER}:{expert.pk}:{month}",
            )
    return queued


def _queue_once(*, idempotency_key: str, **fields) -> int:
    """1 if the message is new, 0 if this month's was queued already."""
    if OutboxMessage.objects.filter(idempotency_key=idempotency_key).exists():
        return 0
    message_queue(idempotency_key=idempotency_key, **fields)
    return 1
