"""Every change to an enrolment: one function per transition of DESIGN.md §3.

Capacity rule: confirmed + open offers never exceed the group's capacity (and a residential
course's beds). Each function that could give or free a place takes the group lock
(`groups.capacity.group_lock`) and counts under it (`groups.capacity.place_counts`), so the
count cannot change before the commit; a newcomer who only joins the queue shares the lock
(`enrolment_create`). Side effects (e-mail, the next offer) run after commit.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cms.services.audit import audit_log_many
from cms.services.tasks import task_on_commit
from courses.models import CourseFormat
from groups.capacity import PlaceCounts, group_lock, place_counts, places_left, row_locks
from groups.contacts import (
    InvalidPhoneNumber,
    message_channel_kept,
    normalise_email,
    normalise_phone,
)
from groups.exceptions import CapacityError, EnrolmentError
from groups.models import Enrolment, Group, MessageChannel, PlaceHold
from groups.selectors.availability import ENROLLING, group_state
from groups.selectors.enrolment import enrolment_post_queryset
from groups.services.interest import hold_check_takeable, hold_taken
from groups.services.outbox import enrolment_message_queue
from groups.services.residential import stay_create

logger = logging.getLogger(__name__)

OPEN_STATUSES = (Group.Status.OPEN, Group.Status.FULL)
# A place freed after the start still goes to the queue: late joiners are welcome.
OFFERING_STATUSES = (*OPEN_STATUSES, Group.Status.RUNNING)


# The random keys of the private links: unique in the database, never checked by a query.
PRIVATE_KEYS = ("manage_token", "done_token", "certificate_token")


def enrolment_log(
    enrolment: Enrolment, action: str, *, user=None, data: dict | None = None
) -> None:
    """Audit an action on an enrolment. The title is the row number, never the display name:
    the audit log holds no personal data (every service that logs an enrolment uses this)."""
    enrolment_log_many(enrolment, [(action, data)], user=user)


def enrolment_log_many(
    enrolment: Enrolment, actions: list[tuple[str, dict | None]], *, user=None
) -> None:
    """Audit several actions on a saved enrolment in one INSERT (cms.services.audit)."""
    audit_log_many([(enrolment, action, data) for action, data in actions], user=user)


def _log(enrolment: Enrolment, action: str, *, user=None, data: dict | None = None) -> None:
    enrolment_log(enrolment, f"groups.enrolment.{action}", user=user, data=data)


def _enrolment_locked(enrolment_id: int) -> tuple[Enrolment, Group]:
    """Lock the group first, then the enrolment: one lock order everywhere, no deadlocks.

    A merge (services/merge.py) may move the enrolment to another group between the first
    read and the locks; then the new group is locked too, so capacity is counted where it is."""
    while True:
        group_id = Enrolment.objects.values_list("group_id", flat=True).get(pk=enrolment_id)
        group = group_lock(group_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.group_id == group.pk:
            enrolment.group = group
            return enrolment, group


def offer_next_on_commit(group_id: int) -> None:
    """Offer the group's free places to its waiting list once the transaction commits (every
    service that frees or adds places calls this)."""
    task_on_commit("groups.tasks.place_offer_next", group_id)


def group_check_enrolling(*, group: Group, places_left: int, course_public: bool) -> None:
    """Refuse an enrolment unless the group takes one, with the words the catalogue shows
    (the rule is `groups.selectors.availability.group_state`)."""
    state = group_state(group=group, places_left=places_left, course_public=course_public)
    if state not in ENROLLING:
        raise EnrolmentError(str(state.label), code=state.value)


DUPLICATE_MESSAGE = gettext_noop(
    "You are already enrolled in this group with this contact. Your earlier e-mail has a link "
    "where you can see and manage your place."
)


def _duplicate_error() -> EnrolmentError:
    return EnrolmentError(_(DUPLICATE_MESSAGE), code="duplicate")


# GOV.UK's pattern: say what to do, with an example of the format.
INVALID_PHONE_MESSAGE = gettext_noop("Enter a phone number, like 040 123 4567 or +358 40 123 4567")


def phone_checked(phone: str) -> str:
    """The number in E.164 (groups.contacts), or the error the person sees for it."""
    try:
        return normalise_phone(phone)
    except InvalidPhoneNumber:
        raise EnrolmentError(_(INVALID_PHONE_MESSAGE), code="invalid_phone") from None


def enrolment_create(
    *,
    group_id: int,
    display_name: str,
    email: str = "",
    phone: str = "",
    language: str = "fi",
    interpreter_language: str = "",
    accessibility_needs: str = "",
    intake_answers: dict | None = None,
    consent_text_version: str,
    risk_flagged: bool = False,
    stay: dict | None = None,
    consent_taken_by=None,
    hold_token: str = "",
    message_channel: str = MessageChannel.EMAIL,
) -> Enrolment:
    """A new enrolment: pending if the course needs approval, else confirmed while places are
    left, else waitlisted at the end of the queue. A residential course's enrolment gets its
    stay (`stay`: the fields of `groups.services.residential.stay_create`) in the same
    transaction.

    Two locks of the group row. When a popular group opens, most who enrol find it full and
    join its queue: they take the row's lock shared, and do not wait for one another. Every
    change that gives or frees a place (this one's exclusive turn, a cancellation, an offer,
    an edit of the group) locks the row exclusively, so a count under either lock stands until
    the commit. Someone who finds a place free under the shared lock starts again under the
    exclusive one (`_PlaceIsFree`): a shared lock cannot be raised to an exclusive one while
    others share it without a deadlock.

    `consent_taken_by`: the coordinator who took the enrolment by phone, to whom the person
    gave their consent orally (recorded on the enrolment and in its log entry).
    `message_channel`: how the person wants our messages when they give both contacts (with
    one, they get messages there: groups.contacts.message_channels).

    `hold_token`: the link of a place kept for the person's interest (groups/services/
    interest.py): the enrolment takes that place under the exclusive lock, whatever the queue,
    and the interest is erased."""
    email, phone = normalise_email(email), phone_checked(phone)
    if not email and not phone:
        raise EnrolmentError(_("Give an e-mail address or a phone number."), code="no_contact")
    fields = {
        "display_name": display_name.strip(),
        "email": email,
        "phone": phone,
        "language": language,
        "interpreter_language": interpreter_language.strip(),
        "accessibility_needs": accessibility_needs.strip(),
        "intake_answers": intake_answers or {},
        "consent_text_version": consent_text_version,
        "risk_flagged": risk_flagged,
        "consent_taken_by": consent_taken_by,
        "message_channel": message_channel_kept(
            email=email, phone=phone, preference=message_channel
        ),
    }
    try:
        if hold_token:
            return _enrolment_insert(
                group_id=group_id, fields=fields, stay=stay, lock="update", hold_token=hold_token
            )
        try:
            return _enrolment_insert(group_id=group_id, fields=fields, stay=stay, lock="share")
        except _PlaceIsFree:
            return _enrolment_insert(group_id=group_id, fields=fields, stay=stay, lock="update")
    except IntegrityError as error:
        # Two requests raced past the check below; the partial unique constraints caught it.
        raise _duplicate_error() from error
    except ValidationError as error:
        raise EnrolmentError(" ".join(error.messages), code="invalid") from error


class _PlaceIsFree(Exception):
    """A place is free, and the group row is locked only shared: `enrolment_create` starts
    again under the exclusive lock."""


def _enrolment_insert(
    *, group_id: int, fields: dict, stay: dict | None, lock: str, hold_token: str = ""
) -> Enrolment:
    with transaction.atomic(durable=True):
        group = group_lock(group_id, shared=lock == "share", queryset=enrolment_post_queryset())
        now = timezone.now()
        hold = None
        if hold_token:
            hold = PlaceHold.objects.select_for_update().filter(token=hold_token).first()
            hold_check_takeable(hold=hold, group=group, now=now)
        # The duplicate check rides on the capacity count, one query under the lock; the
        # partial unique constraints still refuse a double enrolment (IntegrityError).
        counts = place_counts(group, email=fields["email"], phone=fields["phone"])
        # The page's view restrictions were checked by the form's view; under the lock the
        # course must still be live. A kept place is counted as taken: it is this person's.
        group_check_enrolling(
            group=group,
            places_left=counts.left + (1 if hold else 0),
            course_public=group.course.live,
        )
        if counts.same_contact:
            raise _duplicate_error()
        enrolment = Enrolment(group=group, consented_at=now, **fields)
        if hold is not None and not group.course.requires_approval:
            enrolment.status = Enrolment.Status.CONFIRMED
        else:
            enrolment.status = _newcomer_status(group, counts, lock=lock)
        if enrolment.status == Enrolment.Status.CONFIRMED:
            _mark_placed(enrolment, now)
        elif enrolment.status == Enrolment.Status.WAITLISTED:
            enrolment.queued_at = now
        # Field checks only: the database enforces the constraints (a contact is given,
        # checked above; one active enrolment per contact, the IntegrityError above).
        enrolment.full_clean(exclude=["group", *PRIVATE_KEYS], validate_constraints=False)
        enrolment.save(force_insert=True)
        created = {"status": enrolment.status}
        if enrolment.consent_taken_by is not None:
            created["consent"] = "oral"
        actions = [("groups.enrolment.created", created)]
        if fields["risk_flagged"]:
            actions.append(("groups.enrolment.risk_flagged", None))
        enrolment_log_many(enrolment, actions, user=enrolment.consent_taken_by)
        if group.course.format == CourseFormat.RESIDENTIAL:
            # The first e-mail of a residential course tells the person's stay: saved first.
            stay_create(enrolment=enrolment, **(stay or {}))
        template = {
            Enrolment.Status.PENDING: "received",
            Enrolment.Status.CONFIRMED: "confirmed",
            Enrolment.Status.WAITLISTED: "waitlisted",
        }[enrolment.status]
        # The key names the row inserted just now, so no message can hold it yet.
        enrolment_message_queue(enrolment=enrolment, template=template, key_is_new=True)
        if hold is not None:
            hold_taken(hold=hold)
            if enrolment.status != Enrolment.Status.CONFIRMED:
                # Awaiting approval holds no place: the kept one goes on.
                offer_next_on_commit(group.pk)
    return enrolment


def _newcomer_status(group: Group, counts: PlaceCounts, *, lock: str) -> str:
    """Pending if the course needs approval, else confirmed if a place is free for a newcomer,
    else waitlisted. A place is only given under the exclusive lock (`_PlaceIsFree`)."""
    if group.course.requires_approval:
        return Enrolment.Status.PENDING
    if counts.free_for_newcomer:
        if lock != "update" and row_locks():
            raise _PlaceIsFree
        return Enrolment.Status.CONFIRMED
    return Enrolment.Status.WAITLISTED


def _mark_placed(enrolment: Enrolment, now: dt.datetime) -> None:
    """Remember when the person first got a place (the reports measure the wait up to it)."""
    enrolment.placed_at = enrolment.placed_at or now


def _give_place_or_queue(enrolment: Enrolment, group: Group, now: dt.datetime) -> str:
    if places_left(group) > 0:
        enrolment.status = Enrolment.Status.CONFIRMED
        _mark_placed(enrolment, now)
        enrolment.offer_expires_at = None
        return "confirmed"
    enrolment.status = Enrolment.Status.WAITLISTED
    enrolment.queued_at = enrolment.queued_at or now
    return "waitlisted"


def enrolment_approve(*, enrolment_id: int, user=None) -> Enrolment:
    """A coordinator approves a pending enrolment: confirmed if a place is free, else queued."""
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        if enrolment.status != Enrolment.Status.PENDING:
            raise EnrolmentError(_("Only an enrolment awaiting approval can be approved."))
        outcome = _give_place_or_queue(enrolment, group, timezone.now())
        enrolment.save(
            update_fields=["status", "queued_at", "placed_at", "offer_expires_at", "updated_at"]
        )
        _log(enrolment, "approved", user=user, data={"status": enrolment.status})
        enrolment_message_queue(enrolment=enrolment, template=outcome)
    return enrolment


def enrolments_approve(*, enrolment_ids: list[int], user=None) -> tuple[list[int], dict]:
    """Approve several pending enrolments, one by one, each under the group's lock as
    `enrolment_approve` takes it (one person approved never overbooks the next): returns the
    ids approved and {id: the reason} for those refused (no longer pending, for example)."""
    approved, refused = [], {}
    for enrolment_id in sorted(set(enrolment_ids)):
        try:
            enrolment_approve(enrolment_id=enrolment_id, user=user)
        except EnrolmentError as error:
            refused[enrolment_id] = error.message
        except Enrolment.DoesNotExist:
            refused[enrolment_id] = _("This enrolment no longer exists.")
        else:
            approved.append(enrolment_id)
    return approved, refused


def enrolment_confirm(*, enrolment_id: int, user=None) -> Enrolment:
    """A coordinator gives a place by hand (pending or waitlisted); refused when full."""
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        if enrolment.status not in (Enrolment.Status.PENDING, Enrolment.Status.WAITLISTED):
            raise EnrolmentError(_("This enrolment cannot be confirmed in its current state."))
        if places_left(group) <= 0:
            raise CapacityError(_("The group is full."), code="full")
        enrolment.status = Enrolment.Status.CONFIRMED
        _mark_placed(enrolment, timezone.now())
        enrolment.save(update_fields=["status", "placed_at", "updated_at"])
        _log(enrolment, "confirmed", user=user)
        enrolment_message_queue(enrolment=enrolment, template="confirmed")
    return enrolment


def enrolment_waitlist(*, enrolment_id: int, user=None) -> Enrolment:
    """A coordinator moves a pending or confirmed enrolment to the end of the waiting list."""
    with transaction.atomic(durable=True):
        enrolment, _group = _enrolment_locked(enrolment_id)
        if enrolment.status not in (Enrolment.Status.PENDING, Enrolment.Status.CONFIRMED):
            raise EnrolmentError(_("This enrolment cannot be moved to the waiting list."))
        enrolment.status = Enrolment.Status.WAITLISTED
        enrolment.queued_at = timezone.now()
        enrolment.save(update_fields=["status", "queued_at", "updated_at"])
        _log(enrolment, "waitlisted", user=user)
        enrolment_message_queue(enrolment=enrolment, template="waitlisted")
    return enrolment


def enrolment_decline(*, enrolment_id: int, message: str, user=None) -> Enrolment:
    """A coordinator finds the group not suitable and says so kindly, with a referral."""
    if not message.strip():
        raise EnrolmentError(_("Write a kind message with a referral for the person."))
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        if enrolment.status not in Enrolment.ACTIVE:
            raise EnrolmentError(_("This enrolment is no longer active."))
        held_place = enrolment.status in Enrolment.HOLDS_PLACE
        enrolment.status = Enrolment.Status.DECLINED
        enrolment.decline_message = message.strip()
        enrolment.offer_expires_at = None
        enrolment.save(
            update_fields=["status", "decline_message", "offer_expires_at", "updated_at"]
        )
        _log(enrolment, "declined", user=user)
        enrolment_message_queue(enrolment=enrolment, template="declined")
        if held_place:
            offer_next_on_commit(group.pk)
    return enrolment


def enrolment_cancel(*, enrolment_id: int, user=None) -> Enrolment:
    """The person (from the manage link) or a coordinator cancels; a freed place is offered on."""
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        if enrolment.status not in Enrolment.ACTIVE:
            raise EnrolmentError(_("This enrolment is no longer active."), code="inactive")
        held_place = enrolment.status in Enrolment.HOLDS_PLACE
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.offer_expires_at = None
        enrolment.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _log(enrolment, "cancelled", user=user)
        enrolment_message_queue(enrolment=enrolment, template="cancelled")
        if held_place:
            offer_next_on_commit(group.pk)
    return enrolment


def enrolment_complete(*, enrolment_id: int, user=None) -> Enrolment:
    with transaction.atomic(durable=True):
        enrolment, _group = _enrolment_locked(enrolment_id)
        if enrolment.status != Enrolment.Status.CONFIRMED:
            raise EnrolmentError(_("Only a confirmed enrolment can be completed."))
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.save(update_fields=["status", "updated_at"])
        _log(enrolment, "completed", user=user)
    return enrolment


def enrolment_needs_update(
    *, enrolment_id: int, interpreter_language: str, accessibility_needs: str
) -> Enrolment:
    with transaction.atomic(durable=True):
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status not in Enrolment.ACTIVE:
            raise EnrolmentError(_("This enrolment is no longer active."), code="inactive")
        enrolment.interpreter_language = interpreter_language.strip()
        enrolment.accessibility_needs = accessibility_needs.strip()
        enrolment.full_clean(exclude=["group", *PRIVATE_KEYS])
        enrolment.save(update_fields=["interpreter_language", "accessibility_needs", "updated_at"])
        _log(enrolment, "needs_updated")
    return enrolment


def enrolment_phone_add(*, enrolment_id: int, phone: str) -> Enrolment:
    """The person adds a phone number on their manage page (e.g. after a risk answer, so that
    a coordinator can call). Only an enrolment without one: a number is never changed here."""
    phone = phone_checked(phone)
    if not phone:
        raise EnrolmentError(_(INVALID_PHONE_MESSAGE), code="invalid_phone")
    with transaction.atomic(durable=True):
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status not in Enrolment.ACTIVE:
            raise EnrolmentError(_("This enrolment is no longer active."), code="inactive")
        if enrolment.phone:
            raise EnrolmentError(_("A phone number is already saved."), code="has_phone")
        enrolment.phone = phone
        enrolment.save(update_fields=["phone", "updated_at"])
        _log(enrolment, "phone_added")
    return enrolment


def enrolment_channel_update(*, enrolment_id: int, message_channel: str) -> Enrolment:
    """The person chooses, on their manage page, how our messages reach them: e-mail, text
    message or both. Only channels they have a contact for: nothing is promised that cannot
    be sent."""
    if message_channel not in MessageChannel.values:
        raise EnrolmentError(_("Choose how we send you messages."), code="invalid_channel")
    with transaction.atomic(durable=True):
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status not in Enrolment.ACTIVE:
            raise EnrolmentError(_("This enrolment is no longer active."), code="inactive")
        needs_email = message_channel in (MessageChannel.EMAIL, MessageChannel.BOTH)
        needs_phone = message_channel in (MessageChannel.SMS, MessageChannel.BOTH)
        if (needs_email and not enrolment.email) or (needs_phone and not enrolment.phone):
            raise EnrolmentError(
                _("We can send messages only to the contacts you gave."), code="no_contact"
            )
        enrolment.message_channel = message_channel
        enrolment.save(update_fields=["message_channel", "updated_at"])
        _log(enrolment, "channel_changed", data={"channel": message_channel})
    return enrolment


def _offer(enrolment: Enrolment, now: dt.datetime, *, user=None) -> None:
    enrolment.status = Enrolment.Status.OFFERED
    enrolment.offer_expires_at = now + dt.timedelta(hours=settings.OFFER_HOURS)
    enrolment.save(update_fields=["status", "offer_expires_at", "updated_at"])
    _log(enrolment, "offered", user=user)
    enrolment_message_queue(
        enrolment=enrolment,
        template="offer",
        key_suffix=enrolment.offer_expires_at.isoformat(),
    )


def place_offer_next(*, group_id: int) -> Enrolment | None:
    """Offer a free place to the first person on the waiting list (FIFO by `queued_at`).

    Returns the person offered, or None when no place is free or nobody waits; the task calls
    it until it returns None, so every free place finds its way to someone.
    """
    with transaction.atomic(durable=True):
        group = group_lock(group_id)
        if group.status not in OFFERING_STATUSES or places_left(group) <= 0:
            return None
        enrolment = (
            group.enrolments.select_for_update()
            .filter(status=Enrolment.Status.WAITLISTED)
            .order_by("queued_at", "pk")
            .first()
        )
        if enrolment is None:
            return None
        _offer(enrolment, timezone.now())
    return enrolment


def place_offer(*, enrolment_id: int, user=None) -> Enrolment:
    """A coordinator offers a free place to a chosen person on the waiting list."""
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        if enrolment.status != Enrolment.Status.WAITLISTED:
            raise EnrolmentError(_("Only a person on the waiting list can be offered a place."))
        if places_left(group) <= 0:
            raise CapacityError(_("The group is full."), code="full")
        _offer(enrolment, timezone.now(), user=user)
    return enrolment


def offer_accept(*, enrolment_id: int) -> Enrolment:
    with transaction.atomic(durable=True):
        enrolment, _group = _enrolment_locked(enrolment_id)
        if enrolment.status != Enrolment.Status.OFFERED:
            raise EnrolmentError(_("There is no open offer to accept."), code="no_offer")
        if enrolment.offer_expires_at and enrolment.offer_expires_at <= timezone.now():
            raise EnrolmentError(_("Sorry, this offer has expired."), code="expired")
        # The offer already holds the place, so accepting cannot overbook.
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.offer_expires_at = None
        _mark_placed(enrolment, timezone.now())
        enrolment.save(update_fields=["status", "offer_expires_at", "placed_at", "updated_at"])
        _log(enrolment, "offer_accepted")
        enrolment_message_queue(enrolment=enrolment, template="confirmed")
    return enrolment


def offer_decline(*, enrolment_id: int) -> Enrolment:
    """The person says no to the place: they leave the group and the place moves on."""
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        if enrolment.status != Enrolment.Status.OFFERED:
            raise EnrolmentError(_("There is no open offer to decline."), code="no_offer")
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.offer_expires_at = None
        enrolment.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _log(enrolment, "offer_declined")
        enrolment_message_queue(enrolment=enrolment, template="cancelled")
        offer_next_on_commit(group.pk)
    return enrolment


def offer_expire(*, enrolment_id: int) -> Enrolment:
    """An unanswered offer lapses: the person goes back to the end of the queue, the place on."""
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        now = timezone.now()
        if enrolment.status != Enrolment.Status.OFFERED or (
            enrolment.offer_expires_at and enrolment.offer_expires_at > now
        ):
            return enrolment  # accepted, declined or still open: nothing to do, safe to rerun
        enrolment.status = Enrolment.Status.WAITLISTED
        enrolment.queued_at = now
        enrolment.offer_expires_at = None
        enrolment.save(update_fields=["status", "queued_at", "offer_expires_at", "updated_at"])
        _log(enrolment, "offer_expired")
        enrolment_message_queue(
            enrolment=enrolment, template="offer_expired", key_suffix=now.isoformat()
        )
        offer_next_on_commit(group.pk)
    return enrolment


def offers_expire_due() -> int:
    """Expire every offer past its deadline (run by a scheduled task)."""
    due = list(
        Enrolment.objects.filter(
            status=Enrolment.Status.OFFERED, offer_expires_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    for enrolment_id in due:
        offer_expire(enrolment_id=enrolment_id)
    return len(due)


def risk_call_mark_done(*, enrolment_id: int, user, note: str = "") -> Enrolment:
    """A coordinator called the person back after a risk answer. The note stays on the
    enrolment (erased with it), never in the audit log: the log says only that a call was made.
    """
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if not enrolment.risk_flagged:
            raise EnrolmentError(
                _("This enrolment has no risk answer to call about."), code="no_risk"
            )
        if enrolment.risk_call_done_at is not None:
            raise EnrolmentError(_("The call is already marked done."), code="already_called")
        enrolment.risk_call_done_at = timezone.now()
        enrolment.risk_call_note = note.strip()
        enrolment.save(update_fields=["risk_call_done_at", "risk_call_note", "updated_at"])
        enrolment_log(enrolment, "groups.enrolment.risk_called", user=user)
    return enrolment
