"""Every write of the expert network: one function per action, each logged for the audit."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from courses.experts.exceptions import ExpertStateError
from courses.experts.models import Expert, SupervisionAttendance, SupervisionSession
from courses.experts.selectors import experts_due_reminder, keeping_up_counts

ANONYMOUS_NAME = "Anonymised"
MAIL_LANGUAGES = ("fi", "sv", "en")


def expert_pause(*, expert: Expert, user: AbstractBaseUser | None = None) -> Expert:
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.status != Expert.Status.ACTIVE:
            raise ExpertStateError(_("Only an active expert can be paused."), code="not_active")
        expert.status = Expert.Status.PAUSED
        expert.save(update_fields=["status"])
        log(expert, "courses.expert.paused", user=user)
    return expert


def expert_resume(*, expert: Expert, user: AbstractBaseUser | None = None) -> Expert:
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.status != Expert.Status.PAUSED:
            raise ExpertStateError(_("Only a paused expert can resume."), code="not_paused")
        expert.status = Expert.Status.ACTIVE
        expert.save(update_fields=["status"])
        log(expert, "courses.expert.resumed", user=user)
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
        log(expert, "courses.expert.left", user=user)
    return expert


def expert_consent_give(
    *, expert: Expert, show_email: bool = False, user: AbstractBaseUser | None = None
) -> Expert:
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.status == Expert.Status.LEFT:
            raise ExpertStateError(_("An expert who left cannot be listed."), code="left")
        expert.public_listing_consent = True
        expert.public_listing_consented_at = timezone.now()
        expert.public_email_consent = show_email
        expert.save(
            update_fields=[
                "public_listing_consent",
                "public_listing_consented_at",
                "public_email_consent",
            ]
        )
        log(expert, "courses.expert.consent_given", user=user)
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
        log(expert, "courses.expert.consent_withdrawn", user=user)
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
        # Earlier audit entries carry the name as their label; the trail stays, the name goes.
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Expert), object_id=str(expert.pk)
        ).update(label=ANONYMOUS_NAME)
        log(expert, "courses.expert.anonymised", user=None)
    return expert


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


def supervision_attendance_record(
    *, session: SupervisionSession, experts: list[Expert], user: AbstractBaseUser | None = None
) -> SupervisionSession:
    with transaction.atomic():
        SupervisionAttendance.objects.bulk_create(
            [SupervisionAttendance(session=session, expert=expert) for expert in experts],
            ignore_conflicts=True,
        )
        log(session, "courses.supervision.attendance_recorded", user=user)
    return session


def expert_mail_send(*, to: list[str], subject: str, body: str) -> None:
    """The one place the expert network sends mail; it moves to the outbox when that exists."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def supervision_reminders_send(*, today: dt.date | None = None) -> int:
    """Monthly: the coordinator gets the summary, each due expert a reminder. Returns mails."""
    from cms.selectors import helplines_for

    today = today or timezone.localdate()
    due = list(experts_due_reminder(today=today).only("name", "email", "languages"))
    sent = 0
    with translation.override("fi"):
        coordinator = settings.EXPERT_NETWORK_COORDINATOR_EMAIL
        if coordinator:
            body = render_to_string(
                "courses/experts/email/coordinator_summary.txt",
                {
                    "counts": keeping_up_counts(today=today),
                    "due": due,
                    "today": today,
                    "helplines": helplines_for(language="fi"),
                },
            )
            expert_mail_send(
                to=[coordinator],
                subject=translation.gettext("Linity/ASSIP network: monthly supervision summary"),
                body=body,
            )
            sent += 1
    for expert in due:
        language = next((code for code in expert.languages or [] if code in MAIL_LANGUAGES), "fi")
        with translation.override(language):
            body = render_to_string(
                "courses/experts/email/supervision_reminder.txt",
                {"expert": expert, "helplines": helplines_for(language=language)},
            )
            expert_mail_send(
                to=[expert.email],
                subject=translation.gettext("Reminder: Linity/ASSIP supervision"),
                body=body,
            )
        sent += 1
    return sent
