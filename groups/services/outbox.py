"""E-mail and text messages through an outbox: every message is a row first (one per message
and channel), a task sends it after commit. The API is described in docs/messages.md.

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
the same Message-ID, which mail clients and archives treat as the same message. A text message
goes through the same three steps: the gateway is told the row's fixed reference
(`outbox_reference`), and `sent` is committed right after the gateway accepted it. Marking `sent`
before sending would close that gap only by losing mail instead, which is worse for someone
waiting to hear about their place. A failure puts the row back in the queue with a growing
delay, up to OUTBOX_MAX_ATTEMPTS; a refusal the gateway will repeat whatever we do (a number
it does not take) fails at once. A failed row shows on the dashboard (OutboxFailingPanel).

A text message never carries health information: no course, no group name, no name of the
person; only the centre's neutral name, a time, a deadline and a short link (cms.sms,
cms.services.short_links), with the always-open helpline when it still fits in one message.
"""

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cms.links import absolute_url
from cms.models import ShortLink, text_in_language
from cms.selectors import helplines_for
from cms.services.short_links import short_link_for, short_link_url, short_links_batched
from cms.services.tasks import task_on_commit
from cms.sms import SmsError, sms_fits_one, sms_plain, sms_send
from courses.models import CourseFormat
from groups.calendars import meeting_location
from groups.contacts import message_channels
from groups.links import enrol_url
from groups.models import Enrolment, Group, Meeting, OutboxMessage, Stay, group_label
from groups.selectors.enrolment import (
    group_for_mail,
    group_of_enrolment_for_mail,
    manage_link_expires_on,
)
from groups.selectors.meetings import (
    people_to_tell,
    people_told_of_video_links,
    video_link_for_message,
)

logger = logging.getLogger(__name__)

SUBJECTS = {
    "received": _("We received your enrolment"),
    "confirmed": _("Your place in the group is confirmed"),
    "waitlisted": _("You are on the waiting list"),
    "offer": _("A place has become free for you"),
    "offer_expiring": _("Your offer of a place expires soon"),
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
    "video_link_changed": _("The video link of your meeting has changed"),
    "interest_received": _("We will tell you when a group opens"),
    "interest_place_kept": _("A group that suits you has opened: a place is kept for you"),
    "interest_ending": _("Your interest in a group ends soon"),
    "interest_group_gone": _("The group where a place was kept for you will not run"),
}
# Messages that carry a meeting's video link: looked up when the message is sent, never
# stored in the row (`video_link_for_message`).
VIDEO_LINK_TEMPLATES = ("reminder", "video_link_changed")
# Mailed directly, never stored: an outbox row is tied to a person (see services/feedback.py).
NOT_FOR_THE_OUTBOX = {"feedback_invite"}
# Mails of a residential course that carry the venue, arrival instructions and programme.
RESIDENTIAL_TEMPLATES = ("confirmed", "stay_reminder")
# The participant messages that also go as a text message: groups/sms/<template>.txt.
SMS_KINDS = {
    "received",
    "confirmed",
    "waitlisted",
    "offer",
    "offer_expiring",
    "offer_expired",
    "cancelled",
    "declined",
    "meeting_changed",
    "schedule_changed",
    "reminder",
    "group_cancelled",
    "group_merged",
    "stay_reminder",
    "video_link_changed",
    "interest_received",
    "interest_place_kept",
    "interest_ending",
    "interest_group_gone",
}
# What a text message's template may read: never a course, a group's name or a person's.
# Nor a video link: too long for a text message and confidential, it is on the page the short
# link opens (`meeting_online` only says there is one). `apology_url` is the short link of the
# reminder's meeting page: "I can't come this time" until it starts, the video link until it
# ends (then the link expires); the reminder carries only that link, to stay one message.
SMS_CONTEXT_KEYS = (
    "centre",
    "short_url",
    "offer_expires_at",
    "meeting_starts_at",
    "meeting_status",
    "meeting_online",
    "apology_url",
)
# E-mails of apps built on this one (the expert network), registered when their app is ready:
# {template: (subject, template path without .txt/.html)}. Queued, sent and retried like ours.
REGISTERED_KINDS: dict[str, tuple[str, str]] = {}
# Their text messages: {template: (path of the message's .txt template, the context keys it
# reads besides SMS_CONTEXT_KEYS)}.
REGISTERED_SMS_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {}


def message_kind_register(
    *, template: str, subject: str, path: str, sms_path: str = "", sms_keys: tuple = ()
) -> None:
    """Let an app that builds on `groups` send its own messages through the outbox: `path`
    names its e-mail's `.txt` and `.html` templates, `sms_path` (optional) the `.txt` template
    of its text message and `sms_keys` the context keys that template reads besides
    SMS_CONTEXT_KEYS (none may carry health information); `message_queue` then takes
    `template` (with `channel="sms"` too when `sms_path` is given)."""
    REGISTERED_KINDS[template] = (subject, path)
    if sms_path:
        REGISTERED_SMS_KINDS[template] = (sms_path, tuple(sms_keys))


def message_kind_label(template: str) -> str:
    """What a message is about, in the reader's language (its subject line), for the admin's
    list of outgoing e-mails; an unknown kind shows as stored."""
    if template in SUBJECTS:
        return str(SUBJECTS[template])
    if template in REGISTERED_KINDS:
        return str(REGISTERED_KINDS[template][0])
    return template


class _MessageBatch:
    """Messages queued inside `messages_batched`, by idempotency key, not yet written."""

    def __init__(self):
        self.rows: dict[str, OutboxMessage] = {}


_message_batch: ContextVar[_MessageBatch | None] = ContextVar("outbox_batch", default=None)


@contextmanager
def messages_batched(*, enrolments: Iterable[Enrolment] = ()) -> Iterator[None]:
    """Queue many messages in a constant number of queries: inside, `message_queue` only
    collects the rows (and `short_link_for` the links of `enrolments`, read at once:
    cms.services.short_links.short_links_batched); on leaving, the keys already queued are read
    in one query, the other rows written in one INSERT and sent after the commit. Use it inside
    the caller's transaction, around a loop that tells many people. A row another worker wrote
    meanwhile is kept (its key is unique); sending it twice is harmless (see the module's
    docstring: the second task finds it claimed or sent)."""
    if _message_batch.get() is not None:
        yield
        return
    batch = _MessageBatch()
    token = _message_batch.set(batch)
    try:
        with short_links_batched(owners=enrolments):
            yield
    finally:
        _message_batch.reset(token)
    if not batch.rows:
        return
    keys = list(batch.rows)
    queued = set(
        OutboxMessage.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    new = [row for key, row in batch.rows.items() if key not in queued]
    if not new:
        return
    OutboxMessage.objects.bulk_create(new, ignore_conflicts=True)
    for pk in OutboxMessage.objects.filter(
        idempotency_key__in=[row.idempotency_key for row in new], status=OutboxMessage.Status.QUEUED
    ).values_list("pk", flat=True):
        task_on_commit("groups.tasks.outbox_send", pk)


def message_queue(
    *,
    recipient: str,
    language: str,
    template: str,
    context: dict,
    idempotency_key: str,
    enrolment: Enrolment | None = None,
    key_is_new: bool = False,
    channel: str = OutboxMessage.Channel.EMAIL,
) -> OutboxMessage:
    """Store a message and send it by a task once the surrounding transaction commits.

    `channel`: "email" (`recipient` an address) or "sms" (`recipient` a number in E.164 from
    groups.contacts.normalise_phone; `context` only what the text message shows, see
    `sms_render`). Queuing the same idempotency key twice returns the first row and sends
    nothing more: give each channel its own key.
    `key_is_new`: the caller knows no row can hold the key yet (it names a row inserted in
    the same transaction), so one INSERT replaces get_or_create's SELECT, SAVEPOINT, INSERT and
    RELEASE; the unique key still refuses a second row.
    """
    fields = _message_fields(
        recipient=recipient, language=language, template=template, context=context,
        enrolment=enrolment, channel=channel,
    )  # fmt: skip
    batch = _message_batch.get()
    if batch is not None:
        # Written when the batch ends (`messages_batched`); the first row of a key stands.
        return batch.rows.setdefault(
            idempotency_key, OutboxMessage(idempotency_key=idempotency_key, **fields)
        )
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
    *,
    recipient: str,
    language: str,
    template: str,
    context: dict,
    enrolment: Enrolment | None,
    channel: str,
) -> dict:
    """The fields of a message due now, of a template the outbox may hold."""
    if channel == OutboxMessage.Channel.SMS:
        if template not in SMS_KINDS and template not in REGISTERED_SMS_KINDS:
            raise ValueError(f"Unknown text message template {template!r}")
    elif channel != OutboxMessage.Channel.EMAIL:
        raise ValueError(f"Unknown channel {channel!r}")
    elif (template not in SUBJECTS and template not in REGISTERED_KINDS) or (
        template in NOT_FOR_THE_OUTBOX
    ):
        raise ValueError(f"Unknown e-mail template {template!r}")
    return {
        "channel": channel,
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
    """Queue one of the enrolment messages on each of the person's channels (e-mail, text
    message or both: groups.contacts.message_channels), once per channel and event. Returns
    the first row queued (the e-mail when there is one), None for a person with no contact."""
    suffix = key_suffix or enrolment.updated_at.isoformat()
    key = f"{template}:{enrolment.pk}:{suffix}"
    channels = message_channels(
        email=enrolment.email, phone=enrolment.phone, preference=enrolment.message_channel
    )
    first = None
    for channel in channels:
        if channel == OutboxMessage.Channel.EMAIL:
            message = message_queue(
                recipient=enrolment.email,
                language=enrolment.language,
                template=template,
                context={**enrolment_context(enrolment, template), **(extra or {})},
                idempotency_key=key[:120],
                enrolment=enrolment,
                key_is_new=key_is_new,
            )
        elif template in SMS_KINDS:
            message = message_queue(
                channel=OutboxMessage.Channel.SMS,
                recipient=enrolment.phone,
                language=enrolment.language,
                template=template,
                context=enrolment_sms_context(enrolment, template, extra or {}),
                idempotency_key=f"sms:{key}"[:120],
                enrolment=enrolment,
                key_is_new=key_is_new,
            )
        else:
            continue
        first = first or message
    return first


def _centre_name(group: Group, language: str) -> str:
    """The neutral name a text message signs with: the group's crisis centre in `language`,
    else the site's name. Never the course: its title may say what the group is about."""
    if group.centre_id is None:
        return _site_name(language)
    return text_in_language(group.centre, "name", language)


def enrolment_sms_context(enrolment: Enrolment, template: str, extra: dict) -> dict:
    """What a text message to the person may say, stored on its row (SMS_CONTEXT_KEYS): the
    centre's name, times, and a short link to the offer page (for an offer, expiring with it)
    or to the manage page (expiring when the manage link does), owned by the enrolment so that
    erasing the person erases the link."""
    group = enrolment.group
    context = {"centre": _centre_name(group, enrolment.language)}
    with translation.override(enrolment.language):
        if template in ("offer", "offer_expiring") and enrolment.offer_expires_at:
            target = reverse("groups:offer", kwargs={"token": enrolment.manage_token})
            expires_at = enrolment.offer_expires_at
            context["offer_expires_at"] = enrolment.offer_expires_at.isoformat()
        else:
            target = reverse("groups:manage", kwargs={"token": enrolment.manage_token})
            last_day = manage_link_expires_on(enrolment) + dt.timedelta(days=1)
            expires_at = timezone.make_aware(dt.datetime.combine(last_day, dt.time()))
    link = short_link_for(target=target, expires_at=expires_at, owner=enrolment)
    context["short_url"] = short_link_url(link)
    for key in ("meeting_starts_at", "meeting_status", "meeting_online"):
        if key in extra:
            context[key] = extra[key]
    if template == "reminder" and extra.get("meeting_id"):
        with translation.override(enrolment.language):
            target = reverse(
                "groups:apology",
                kwargs={"token": enrolment.manage_token, "meeting_id": extra["meeting_id"]},
            )
        # The meeting's page: "I can't come" until it starts, its video link until it ends.
        ends_at = dt.datetime.fromisoformat(extra["meeting_ends_at"])
        apology = short_link_for(target=target, expires_at=ends_at, owner=enrolment)
        context["apology_url"] = short_link_url(apology)
    return context


@dataclass(frozen=True)
class InterestMessage:
    """One message to someone who left an interest (groups/services/interest.py): its kind, a
    key unique to the event, the page its link leads to (the private page, or a kept place)
    and until when, the e-mail's extra context, and what a text message may say."""

    interest: object
    template: str
    key: str
    link_path: str
    link_expires_at: dt.datetime
    extra: dict = field(default_factory=dict)
    centre: str = ""
    offer_expires_at: str = ""


def interest_messages_queue(*, messages: list[InterestMessage]) -> list[OutboxMessage]:
    """Queue messages to interests, in each person's language and on their channel (e-mail, or
    a text message with a short link for a person who gave only a phone number: one contact,
    one channel), in two INSERTs whatever their number (the short links, the rows; nothing
    read): a newly opened group tells all its matches at once. Keys name new events, so no
    row holds them yet; the rows and links are erased with the interest."""
    from groups.models import Interest

    owner_type = ContentType.objects.get_for_model(Interest)
    rows: list[OutboxMessage] = []
    links: list[ShortLink] = []
    for item in messages:
        interest = item.interest
        channels = message_channels(email=interest.email, phone=interest.phone, preference="email")
        for channel in channels:
            if channel == OutboxMessage.Channel.EMAIL:
                with translation.override(interest.language):
                    manage_path = reverse(
                        "interest:manage", kwargs={"token": interest.manage_token}
                    )
                context = {
                    "display_name": interest.display_name,
                    "manage_url": absolute_url(manage_path),
                    **item.extra,
                }
                recipient, key = interest.email, f"{item.template}:i{interest.pk}:{item.key}"
            else:
                link = ShortLink(
                    target=item.link_path,
                    expires_at=item.link_expires_at,
                    owner_type=owner_type,
                    owner_id=interest.pk,
                )
                links.append(link)
                context = {"centre": item.centre or _site_name(interest.language), "link": link}
                if item.offer_expires_at:
                    context["offer_expires_at"] = item.offer_expires_at
                recipient = interest.phone
                key = f"sms:{item.template}:i{interest.pk}:{item.key}"
            fields = _message_fields(
                recipient=recipient, language=interest.language, template=item.template,
                context=context, enrolment=None, channel=channel,
            )  # fmt: skip
            rows.append(OutboxMessage(idempotency_key=key[:120], interest=interest, **fields))
    ShortLink.objects.bulk_create(links)
    for row in rows:
        link = row.context.pop("link", None)
        if link is not None:
            row.context["short_url"] = short_link_url(link)
    rows = OutboxMessage.objects.bulk_create(rows)
    for row in rows:
        message_send_on_commit(row)
    return rows


def _site_name(language: str) -> str:
    with translation.override(language):
        return str(_("Vertaistuki"))


def _meeting_context(meeting: Meeting, *, language: str) -> dict:
    """A meeting as an e-mail in `language` tells of it (a session's title in that language)."""
    return {
        "meeting_id": meeting.pk,
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
    people = people_to_tell(group=meeting.group)
    count = 0
    with transaction.atomic(), messages_batched(enrolments=people):
        for enrolment in people:
            queued = enrolment_message_queue(
                enrolment=enrolment,
                template="meeting_changed",
                key_suffix=f"{meeting.pk}:{meeting.starts_at.isoformat()}:{meeting.status}",
                extra=_meeting_context(meeting, language=enrolment.language),
            )
            count += queued is not None
    return count


def apology_url(*, enrolment: Enrolment, meeting: Meeting) -> str:
    """The "I can't come this time" page of a meeting, reached from the private link."""
    with translation.override(enrolment.language):
        path = reverse(
            "groups:apology", kwargs={"token": enrolment.manage_token, "meeting_id": meeting.pk}
        )
    return absolute_url(path)


def video_link_changed_notify(*, meeting_id: int, change_key: str) -> int:
    """Send the meeting's new video link to everyone with a confirmed place, once per person
    per change (`change_key` names the change; the link itself is added when sent)."""
    meeting = Meeting.objects.select_related("group__course").get(pk=meeting_id)
    people = people_told_of_video_links(group=meeting.group)
    count = 0
    with transaction.atomic(), messages_batched(enrolments=people):
        for enrolment in people:
            queued = enrolment_message_queue(
                enrolment=enrolment,
                template="video_link_changed",
                key_suffix=f"{meeting.pk}:{change_key}",
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
    people = people_to_tell(group=group)
    count = 0
    with transaction.atomic(), messages_batched(enrolments=people):
        for enrolment in people:
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
    enrolments = (
        group.enrolments.filter(status__in=Enrolment.ACTIVE)
        .select_related("group__course", "group__centre")
        .prefetch_related("group__meetings")
    )
    by_language: dict[str, list[dict]] = {}
    count = 0
    with transaction.atomic(), messages_batched(enrolments=enrolments):
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
    ).exclude(email="", phone="")
    by_group: dict[int, list[Enrolment]] = {}
    # The group's meetings: a text message's link lasts as long as the manage link, which
    # ends after the last meeting (`manage_link_expires_on`).
    for enrolment in enrolments.select_related("group__course", "group__centre").prefetch_related(
        "group__meetings"
    ):
        by_group.setdefault(enrolment.group_id, []).append(enrolment)
    everyone = [enrolment for people in by_group.values() for enrolment in people]
    count = 0
    with transaction.atomic(), messages_batched(enrolments=everyone):
        for meeting in meetings:
            for enrolment in by_group.get(meeting.group_id, []):
                enrolment_message_queue(
                    enrolment=enrolment,
                    template="reminder",
                    key_suffix=f"{meeting.pk}",
                    extra={
                        **_meeting_context(meeting, language=enrolment.language),
                        "meeting_online": bool(meeting.video_link_in_use),
                        "apology_url": apology_url(enrolment=enrolment, meeting=meeting),
                    },
                )
                count += 1
    return count


def offer_expiry_reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Remind people whose offer of a place lapses within OFFER_REMINDER_HOURS, once per offer
    (the key names its deadline), by e-mail and text message as they chose. An offer open no
    longer than that in all gets none: the offer itself gave the deadline."""
    now = now or timezone.now()
    hours = settings.OFFER_REMINDER_HOURS
    if hours <= 0 or hours >= settings.OFFER_HOURS:
        return 0
    enrolments = Enrolment.objects.filter(
        status=Enrolment.Status.OFFERED,
        offer_expires_at__gt=now,
        offer_expires_at__lte=now + dt.timedelta(hours=hours),
    ).select_related("group__course", "group__centre")
    count = 0
    with transaction.atomic(), messages_batched(enrolments=enrolments):
        for enrolment in enrolments:
            queued = enrolment_message_queue(
                enrolment=enrolment,
                template="offer_expiring",
                key_suffix=enrolment.offer_expires_at.isoformat(),
            )
            count += queued is not None
    return count


def message_render(message: OutboxMessage) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a message, in the recipient's language. A participant's
    message describes their group as it is when sent: the course's title in their language
    and the facts of the group (meetings, weekday and time, dates, place, language, roles)."""
    context = dict(message.context)
    group = None
    if message.template in SUBJECTS:
        if message.enrolment_id:
            group = group_of_enrolment_for_mail(message.enrolment_id)
        elif context.get("group_id"):
            # A place kept for an interest: the group as it is when the message is sent.
            group = group_for_mail(context["group_id"])
    if group is not None:
        with translation.override(message.language):
            title = group.course.localized.title
            context["course"] = title
            context["group"] = group_label(title, group.name, group.starts_on)
            context["facts_place"] = meeting_location(group)
        context["facts_group"] = group
    if (
        message.enrolment_id
        and message.template in VIDEO_LINK_TEMPLATES
        and context.get("meeting_id")
    ):
        context["video_link"] = video_link_for_message(
            enrolment_id=message.enrolment_id, meeting_id=context["meeting_id"]
        )
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


def sms_render(*, template: str, language: str, context: dict) -> str:
    """A text message in `language`: its template on one line (groups/sms/<template>.txt, or
    a registered kind's), then the always-open crisis helpline and the emergency number when
    they still fit in one message (160 GSM-7 characters). Only SMS_CONTEXT_KEYS reach the
    template, so no template can write what the row should not carry."""
    path, own_keys = REGISTERED_SMS_KINDS.get(template) or (f"groups/sms/{template}.txt", ())
    with translation.override(language):
        keys = (*SMS_CONTEXT_KEYS, *own_keys)
        values = {key: context[key] for key in keys if context.get(key)}
        for key in ("offer_expires_at", "meeting_starts_at"):
            if values.get(key):
                values[key] = timezone.localtime(dt.datetime.fromisoformat(values[key]))
        values["LANGUAGE_CODE"] = language
        values["helplines"] = helplines_for(language=language)
        body = sms_plain(render_to_string(path, values))
        helplines = sms_plain(
            render_to_string("includes/helplines.txt", {**values, "variant": "sms"})
        )
    with_helplines = f"{body} {helplines}"
    return with_helplines if sms_fits_one(with_helplines) else body


def outbox_reference(message: OutboxMessage) -> str:
    """The reference a gateway is given for a row: fixed by the row, the same on every
    attempt (the text message's twin of `outbox_message_id`)."""
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:16]
    return f"vt-{message.pk}-{digest}"


def _deliver(message: OutboxMessage) -> None:
    """Hand the row's message to its channel's backend; raises when it did not go."""
    if message.channel == OutboxMessage.Channel.SMS:
        body = sms_render(
            template=message.template, language=message.language, context=message.context
        )
        sms_send(to=message.recipient, body=body, reference=outbox_reference(message))
        return
    subject, text, html = message_render(message)
    mail = EmailMultiAlternatives(
        subject,
        text,
        to=[message.recipient],
        headers={"Message-ID": outbox_message_id(message)},
    )
    mail.attach_alternative(html, "text/html")
    mail.send()


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
        _deliver(message)
    except Exception as error:
        permanent = isinstance(error, SmsError) and error.permanent
        failed = permanent or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        message.status = OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.QUEUED
        message.next_attempt_at = None if failed else timezone.now() + _backoff(message.attempts)
        # The error's class only, its text could carry the address; an SmsError's text is the
        # gateway's status and code, which never does (cms.sms).
        message.last_error = (
            f"SmsError: {error}"[:200] if isinstance(error, SmsError) else type(error).__name__
        )
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
