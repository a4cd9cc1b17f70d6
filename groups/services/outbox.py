"""E-mail through an outbox: every message is a row first, a task sends it after commit.

Why every message goes out once, even when a worker is killed (SIGKILL, OOM, a host reboot):

1. Claim: in its own committed transaction, under a row lock, a queued row becomes `sending`
   with a lease (`next_attempt_at` = now + OUTBOX_SENDING_LEASE_SECONDS, longer than the q2
   task timeout, so the worker holding it is certainly dead or done when it ends). A second
   task for the same row sees `sending` and stops: a rerun repeats only this check.
2. Send: the mail carries a Message-ID derived from the row (`outbox_message_id`), fixed before
   the first attempt and the same on every later one.
3. Record: `sent` is committed right after the SMTP server accepted the message.

A crash before or during 2 leaves the row `sending`; when the lease ends, `messages_send_due`
(every five minutes) puts it back in the queue and sends it: that is its first delivery. A crash
in the milliseconds between the server's acceptance and the commit of 3 is the only place where
SMTP (which cannot be asked "did you get this?") can deliver a second copy, and that copy has
the same Message-ID, which mail clients and archives treat as the same message. Marking `sent`
before sending would close that gap only by losing mail instead, which is worse for someone
waiting to hear about their place. A failure puts the row back in the queue with a growing
delay, up to OUTBOX_MAX_ATTEMPTS.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cms.links import absolute_url
from cms.selectors import helplines_for
from cms.services.tasks import task_on_commit
from courses.models import CourseFormat
from groups.calendars import meeting_location
from groups.links import enrol_url
from groups.models import Enrolment, Group, Meeting, OutboxMessage, Stay, group_label
from groups.selectors.enrolment import group_of_enrolment_for_mail
from groups.selectors.meetings import people_to_tell

logger = logging.getLogger(__name__)

SUBJECTS = {
    "received": _("We received your enrolment"),
    "confirmed": _("Your place in the group is confirmed"),
    "waitlisted": _("You are on the waiting list"),
    "offer": _("A place has become free for you"),
    "offer_expired": _("Your offer of a place has expired"),
    "cancelled": _("Your enrolment has been cancelled"),
    "declined": _("About your enrolment"),
    "meeting_changed": _("A meeting of your group has changed"),
    "schedule_changed": _("Your group's meeting times have changed"),
    "reminder": _("Reminder: your group meets tomorrow"),
    "group_cancelled": _("Your group is cancelled"),
    "group_merged": _("Your group has been joined with another group"),
    "go_no_go_alert": _("A group is under its minimum size"),
    "feedback_invite": _("How was the group? Tell us anonymously"),
    "stay_reminder": _("Your course starts in a week: travel details"),
    "interest_received": _("We will tell you when a group opens"),
    "interest_place_kept": _("A group that suits you has opened: a place is kept for you"),
    "interest_ending": _("Your interest in a group ends soon"),
}
# Mailed directly, never stored: an outbox row is tied to a person (see services/feedback.py).
NOT_FOR_THE_OUTBOX = {"feedback_invite"}
# Mails of a residential course that carry the venue, arrival instructions and programme.
RESIDENTIAL_TEMPLATES = ("confirmed", "stay_reminder")
# E-mails of apps built on this one (the expert network), registered when their app is ready:
# {template: (subject, template path without .txt/.html)}. Queued, sent and retried like ours.
REGISTERED_KINDS: dict[str, tuple[str, str]] = {}


def message_kind_register(*, template: str, subject: str, path: str) -> None:
    """Let an app that builds on `groups` send its own e-mail through the outbox: `path` names
    its `.txt` and `.html` templates; `message_queue` then takes `template`."""
    REGISTERED_KINDS[template] = (subject, path)


def message_kind_label(template: str) -> str:
    """What a message is about, in the reader's language (its subject line), for the admin's
    list of outgoing e-mails; an unknown kind shows as stored."""
    if template in SUBJECTS:
        return str(SUBJECTS[template])
    if template in REGISTERED_KINDS:
        return str(REGISTERED_KINDS[template][0])
    return template


def message_queue(
    *,
    recipient: str,
    language: str,
    template: str,
    context: dict,
    idempotency_key: str,
    enrolment: Enrolment | None = None,
    key_is_new: bool = False,
) -> OutboxMessage:
    """Store a message and send it by a task once the surrounding transaction commits.

    Queuing the same idempotency key twice returns the first row and sends nothing more.
    `key_is_new`: the caller knows no row can hold the key yet (it names a row inserted in
    the same transaction), so one INSERT replaces get_or_create's SELECT, SAVEPOINT, INSERT and
    RELEASE; the unique key still refuses a second row.
    """
    fields = _message_fields(
        recipient=recipient, language=language, template=template, context=context,
        enrolment=enrolment,
    )  # fmt: skip
    if key_is_new:
        message = OutboxMessage.objects.create(idempotency_key=idempotency_key, **fields)
        created = True
    else:
        message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=fields
        )
    if created:
        message_send_on_commit(message)
    return message


def _message_fields(
    *, recipient: str, language: str, template: str, context: dict, enrolment: Enrolment | None
) -> dict:
    """The fields of a message due now, of a template the outbox may hold."""
    if (template not in SUBJECTS and template not in REGISTERED_KINDS) or (
        template in NOT_FOR_THE_OUTBOX
    ):
        raise ValueError(f"Unknown e-mail template {template!r}")
    return {
        "recipient": recipient,
        "language": language,
        "template": template,
        "context": context,
        "enrolment": enrolment,
        "next_attempt_at": timezone.now(),
    }


def message_send_on_commit(message: OutboxMessage) -> None:
    """Send a message just stored, by a task, once the surrounding transaction commits."""
    task_on_commit("groups.tasks.outbox_send", message.pk)


def _residential_context(enrolment: Enrolment) -> dict:
    """Where to go, how to get there, the programme and the person's own travel details."""
    group = enrolment.group
    venue = group.venue
    # From the group's meetings as loaded: the reminder task prefetches them for every person.
    sessions = sorted(
        (meeting for meeting in group.meetings.all() if meeting.status != Meeting.Status.CANCELLED),
        key=lambda meeting: meeting.starts_at,
    )
    context = {
        "residential": True,
        "programme": [
            {
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
                "title": session.title_in(enrolment.language),
                "title_is_fallback": session.title_is_fallback_in(enrolment.language),
            }
            for session in sessions
        ],
    }
    if venue is not None:
        context["venue"] = {
            "name": venue.name,
            "address": ", ".join(part for part in (venue.address, venue.city) if part),
            "contact": venue.contact,
            "arrival_instructions": venue.arrival_instructions_in(enrolment.language),
        }
    # The stay as loaded with the enrolment (the reminder task selects it), else one query.
    if Enrolment.stay.is_cached(enrolment):
        stay = Enrolment.stay.related.get_cached_value(enrolment)
    else:
        stay = Stay.objects.filter(enrolment=enrolment).first()
    if stay is not None:
        context["stay"] = {
            "arrives_on": stay.arrives_on.isoformat(),
            "departs_on": stay.departs_on.isoformat(),
            "travel_mode": stay.travel_mode,
            "arrival_time": stay.arrival_time.strftime("%H:%M") if stay.arrival_time else "",
            "pickup_wanted": stay.pickup_wanted,
        }
    return context


def enrolment_context(enrolment: Enrolment, template: str = "") -> dict:
    group = enrolment.group
    with translation.override(enrolment.language):
        manage_path = reverse("groups:manage", kwargs={"token": enrolment.manage_token})
    context = {
        "display_name": enrolment.display_name,
        "group": str(group),
        "course": group.course.title,
        "manage_url": absolute_url(manage_path),
        "decline_message": enrolment.decline_message,
    }
    if template in RESIDENTIAL_TEMPLATES and group.course.format == CourseFormat.RESIDENTIAL:
        context.update(_residential_context(enrolment))
    if enrolment.offer_expires_at:
        context["offer_expires_at"] = enrolment.offer_expires_at.isoformat()
        with translation.override(enrolment.language):
            offer_path = reverse("groups:offer", kwargs={"token": enrolment.manage_token})
        context["accept_url"] = absolute_url(offer_path)
    return context


def enrolment_message_queue(
    *,
    enrolment: Enrolment,
    template: str,
    key_suffix: str = "",
    extra: dict | None = None,
    key_is_new: bool = False,
) -> OutboxMessage | None:
    """Queue one of the enrolment e-mails; people who gave only a phone number get none."""
    if not enrolment.email:
        return None
    suffix = key_suffix or enrolment.updated_at.isoformat()
    return message_queue(
        recipient=enrolment.email,
        language=enrolment.language,
        template=template,
        context={**enrolment_context(enrolment, template), **(extra or {})},
        idempotency_key=f"{template}:{enrolment.pk}:{suffix}"[:120],
        enrolment=enrolment,
        key_is_new=key_is_new,
    )


def interest_message_queue(
    *,
    interest,
    template: str,
    key: str,
    extra: dict | None = None,
    key_is_new: bool = False,
) -> OutboxMessage | None:
    """Queue a message to someone who left an interest (groups/services/interest.py), in their
    language, with their private link; erased with the interest."""
    if not interest.email:
        return None
    with translation.override(interest.language):
        manage_path = reverse("interest:manage", kwargs={"token": interest.manage_token})
    context = {
        "display_name": interest.display_name,
        "manage_url": absolute_url(manage_path),
        **(extra or {}),
    }
    fields = _message_fields(
        recipient=interest.email, language=interest.language, template=template,
        context=context, enrolment=None,
    )  # fmt: skip
    fields["interest"] = interest
    idempotency_key = f"{template}:i{interest.pk}:{key}"[:120]
    if key_is_new:
        message = OutboxMessage.objects.create(idempotency_key=idempotency_key, **fields)
    else:
        message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=fields
        )
        if not created:
            return message
    message_send_on_commit(message)
    return message


def interest_messages_queue_new(*, items: list[tuple]) -> list[OutboxMessage]:
    """Queue many messages to interests at once, each (interest, template, key, extra) with a
    key no row can hold yet (it names a row inserted in the same transaction): one INSERT."""
    messages = []
    for interest, template, key, extra in items:
        if not interest.email:
            continue
        with translation.override(interest.language):
            manage_path = reverse("interest:manage", kwargs={"token": interest.manage_token})
        fields = _message_fields(
            recipient=interest.email, language=interest.language, template=template,
            context={
                "display_name": interest.display_name,
                "manage_url": absolute_url(manage_path),
                **extra,
            },
            enrolment=None,
        )  # fmt: skip
        messages.append(
            OutboxMessage(
                idempotency_key=f"{template}:i{interest.pk}:{key}"[:120],
                interest=interest,
                **fields,
            )
        )
    messages = OutboxMessage.objects.bulk_create(messages)
    for message in messages:
        message_send_on_commit(message)
    return messages


def _meeting_context(meeting: Meeting, *, language: str) -> dict:
    """A meeting as an e-mail in `language` tells of it (a session's title in that language)."""
    return {
        "meeting_starts_at": meeting.starts_at.isoformat(),
        "meeting_ends_at": meeting.ends_at.isoformat(),
        "meeting_status": meeting.status,
        "meeting_note": meeting.note,
        "meeting_title": meeting.title_in(language),
        "meeting_title_is_fallback": meeting.title_is_fallback_in(language),
        "meeting_is_extra": meeting.is_extra,
    }


def meeting_changed_notify(*, meeting_id: int) -> int:
    """Tell everyone holding a place that a meeting moved, was cancelled or was added (once per
    change: the key names the meeting's time and status)."""
    meeting = Meeting.objects.select_related("group__course").get(pk=meeting_id)
    count = 0
    with transaction.atomic():
        for enrolment in people_to_tell(group=meeting.group):
            queued = enrolment_message_queue(
                enrolment=enrolment,
                template="meeting_changed",
                key_suffix=f"{meeting.pk}:{meeting.starts_at.isoformat()}:{meeting.status}",
                extra=_meeting_context(meeting, language=enrolment.language),
            )
            count += queued is not None
    return count


def schedule_changed_notify(*, group_id: int, now: dt.datetime | None = None) -> int:
    """Tell everyone holding a place the group's coming meetings after its schedule changed:
    one e-mail per person per new schedule, however many meetings moved."""
    group = Group.objects.select_related("course").filter(pk=group_id).first()
    if group is None:
        return 0
    now = now or timezone.now()
    meeting_times = [
        start.isoformat()
        for start in group.meetings.filter(starts_at__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
        .values_list("starts_at", flat=True)
    ]
    digest = hashlib.sha256(repr(meeting_times).encode()).hexdigest()[:16]
    count = 0
    with transaction.atomic():
        for enrolment in people_to_tell(group=group):
            queued = enrolment_message_queue(
                enrolment=enrolment,
                template="schedule_changed",
                key_suffix=f"schedule:{digest}",
                extra={"meeting_times": meeting_times},
            )
            count += queued is not None
    return count


def group_cancelled_notify(*, group_id: int) -> int:
    """Tell everyone still enrolled that the group will not run, and offer the course's other
    open groups with links to enrol, each person in their own language."""
    from groups.selectors.catalogue import groups_same_course_open

    group = Group.objects.select_related("course").filter(pk=group_id).first()
    if group is None:
        return 0
    alternatives = list(groups_same_course_open(group=group))
    enrolments = group.enrolments.filter(status__in=Enrolment.ACTIVE).select_related(
        "group__course"
    )
    by_language: dict[str, list[dict]] = {}
    count = 0
    with transaction.atomic():
        for enrolment in enrolments:
            if enrolment.language not in by_language:
                by_language[enrolment.language] = _alternatives_in(
                    alternatives, language=enrolment.language
                )
            queued = enrolment_message_queue(
                enrolment=enrolment,
                template="group_cancelled",
                key_suffix=f"group:{group.pk}",
                extra={"alternatives": by_language[enrolment.language]},
            )
            count += queued is not None
    return count


def _alternatives_in(groups: list[Group], *, language: str) -> list[dict]:
    """Other groups as an e-mail in `language` offers them: the course's title and the place
    (a crisis centre's name) in that language, a link to the enrol page in it. One query per
    course for its title in the language."""
    titles: dict[int, str] = {}
    rows = []
    with translation.override(language):
        for other in groups:
            if other.course_id not in titles:
                titles[other.course_id] = other.course.localized.title
            rows.append(
                {
                    "name": group_label(titles[other.course_id], other.name, other.starts_on),
                    "place": meeting_location(other),
                    "starts_on": other.starts_on.isoformat() if other.starts_on else "",
                    "enrol_url": absolute_url(enrol_url(group_id=other.pk, language=language)),
                }
            )
    return rows


def staff_message_queue(
    *, recipient: str, language: str, template: str, context: dict, idempotency_key: str
) -> OutboxMessage:
    """Queue a message to a member of staff (not tied to an enrolment)."""
    return message_queue(
        recipient=recipient,
        language=language,
        template=template,
        context=context,
        idempotency_key=f"{template}:{idempotency_key}"[:120],
    )


def meeting_reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Remind confirmed participants of meetings starting in the next 24 hours (once each).

    A residential course's sessions are left out: its people are there already, and they had
    their own reminder with travel details a week before (`stay_reminders_queue`)."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(1),
        )
        .exclude(group__course__format=CourseFormat.RESIDENTIAL)
        .select_related("group__course")
    )
    enrolments = Enrolment.objects.filter(
        group__in={meeting.group_id for meeting in meetings},
        status=Enrolment.Status.CONFIRMED,
    ).exclude(email="")
    by_group: dict[int, list[Enrolment]] = {}
    for enrolment in enrolments.select_related("group__course"):
        by_group.setdefault(enrolment.group_id, []).append(enrolment)
    count = 0
    with transaction.atomic():
        for meeting in meetings:
            for enrolment in by_group.get(meeting.group_id, []):
                enrolment_message_queue(
                    enrolment=enrolment,
                    template="reminder",
                    key_suffix=f"{meeting.pk}",
                    extra=_meeting_context(meeting, language=enrolment.language),
                )
                count += 1
    return count


def message_render(message: OutboxMessage) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a message, in the recipient's language. A participant's
    message describes their group as it is when sent: the course's title in their language
    and the facts of the group (meetings, weekday and time, dates, place, language, roles)."""
    context = dict(message.context)
    if message.enrolment_id and message.template in SUBJECTS:
        group = group_of_enrolment_for_mail(message.enrolment_id)
        if group is not None:
            with translation.override(message.language):
                title = group.course.localized.title
                context["course"] = title
                context["group"] = group_label(
                    title,
                    group.name,
                    group.starts_on,
                )
                context["facts_place"] = meeting_location(group)
            context["facts_group"] = group
    elif context.get("group_id") and message.template in SUBJECTS:
        # A place kept for an interest: the group as it is when the message is sent.
        group = Group.objects.select_related("course").filter(pk=context["group_id"]).first()
        if group is not None:
            with translation.override(message.language):
                title = group.course.localized.title
                context["course"] = title
                context["group"] = group_label(title, group.name, group.starts_on)
                context["facts_place"] = meeting_location(group)
            context["facts_group"] = group
    return mail_render(template=message.template, language=message.language, context=context)


def mail_render(*, template: str, language: str, context: dict) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one of the e-mail templates, in `language`."""
    with translation.override(language):
        context = dict(context)
        for key in ("offer_expires_at", "hold_expires_at", "meeting_starts_at", "meeting_ends_at"):
            if context.get(key):
                context[key] = timezone.localtime(dt.datetime.fromisoformat(context[key]))
        context["meeting_times"] = [
            timezone.localtime(dt.datetime.fromisoformat(value))
            for value in context.get("meeting_times", [])
        ]
        context["alternatives"] = [
            {
                **other,
                "starts_on": dt.date.fromisoformat(other["starts_on"])
                if other.get("starts_on")
                else None,
            }
            for other in context.get("alternatives", [])
        ]
        context["programme"] = [
            {
                "title": session.get("title", ""),
                "title_is_fallback": session.get("title_is_fallback", False),
                "starts_at": timezone.localtime(dt.datetime.fromisoformat(session["starts_at"])),
                "ends_at": timezone.localtime(dt.datetime.fromisoformat(session["ends_at"])),
            }
            for session in context.get("programme", [])
        ]
        if context.get("stay"):
            stay = dict(context["stay"])
            for key in ("arrives_on", "departs_on"):
                stay[key] = dt.date.fromisoformat(stay[key])
            stay["travel_mode_label"] = (
                Stay.Travel(stay["travel_mode"]).label if stay.get("travel_mode") else ""
            )
            context["stay"] = stay
        context["helplines"] = helplines_for(language=language)
        context["template"] = template
        context["LANGUAGE_CODE"] = language
        subject, path = REGISTERED_KINDS.get(template) or (
            SUBJECTS[template],
            f"groups/email/{template}",
        )
        subject = str(subject)
        context["subject"] = subject
        text = render_to_string(f"{path}.txt", context)
        html = render_to_string(f"{path}.html", context)
    return subject, text, html


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2**attempts, 24 * 60))


def outbox_message_id(message: OutboxMessage) -> str:
    """The Message-ID header of a row: fixed by the row, so a repeated delivery is the same
    message to the recipient's mail client (RFC 5322 §3.6.4)."""
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:16]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "vertaistuki.invalid"
    return f"<outbox.{message.pk}.{digest}@{domain}>"


def message_send(*, message_id: int) -> OutboxMessage:
    """Send one queued message if it is due; safe to call any number of times (see above)."""
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboxMessage.Status.QUEUED or (
            message.next_attempt_at and message.next_attempt_at > now
        ):
            return message
        message.status = OutboxMessage.Status.SENDING
        message.attempts += 1
        message.next_attempt_at = now + dt.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
    try:
        subject, text, html = message_render(message)
        mail = EmailMultiAlternatives(
            subject,
            text,
            to=[message.recipient],
            headers={"Message-ID": outbox_message_id(message)},
        )
        mail.attach_alternative(html, "text/html")
        mail.send()
    except Exception as error:
        failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        message.status = OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.QUEUED
        message.next_attempt_at = None if failed else timezone.now() + _backoff(message.attempts)
        # The error's class only: its text could carry the address.
        message.last_error = type(error).__name__
        message.save(update_fields=["status", "next_attempt_at", "last_error"])
        logger.warning("Outbox message %s failed (attempt %s)", message.pk, message.attempts)
        return message
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.next_attempt_at = None
    message.save(update_fields=["status", "sent_at", "next_attempt_at"])
    return message


def messages_reclaim_stale(*, now: dt.datetime | None = None) -> int:
    """Put back in the queue every message whose worker died while sending it (its lease has
    ended); one that has used all its attempts is marked failed for a person to look at."""
    now = now or timezone.now()
    stale = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, next_attempt_at__lte=now
    )
    given_up = stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        status=OutboxMessage.Status.FAILED, next_attempt_at=None, last_error="WorkerLost"
    )
    requeued = stale.update(
        status=OutboxMessage.Status.QUEUED, next_attempt_at=now, last_error="WorkerLost"
    )
    if requeued or given_up:
        logger.warning("Outbox: %s messages requeued after a lost worker", requeued)
    return requeued


def messages_send_due() -> int:
    """Send every queued message whose retry time has come, after taking back the ones a lost
    worker left half-way (run by a scheduled task)."""
    messages_reclaim_stale()
    due = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:200]
    )
    for message_id in due:
        message_send(message_id=message_id)
    return len(due)
