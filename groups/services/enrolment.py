"""Every change to an enrolment: one function per transition of DESIGN.md §3.

Capacity rule: confirmed + open offers never exceed the group's capacity. Each function that
could give or free a place locks the group row exclusively (`select_for_update()`; on SQLite
the IMMEDIATE transaction already serialises writers) and counts inside the same transaction,
so the count cannot change under it; a newcomer who only joins the queue shares the lock
(`enrolment_create`). Side effects (e-mail, the next offer) run after commit.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry

from cms.services.rows import NewId, new_ids_set, rows_insert
from cms.services.tasks import task_on_commit
from courses.models import CourseFormat
from groups.exceptions import CapacityError, EnrolmentError
from groups.models import Enrolment, Group
from groups.selectors import group_for_enrolment_post, group_row_locks
from groups.services.outbox import (
    enrolment_message_new,
    enrolment_message_queue,
    message_send_on_commit,
)
from groups.services.residential import group_beds, stay_create

logger = logging.getLogger(__name__)

OPEN_STATUSES = (Group.Status.OPEN, Group.Status.FULL)
# A place freed after the start still goes to the queue: late joiners are welcome.
OFFERING_STATUSES = (*OPEN_STATUSES, Group.Status.RUNNING)


def enrolment_log(
    enrolment: Enrolment, action: str, *, user=None, data: dict | None = None
) -> None:
    """Audit an action on an enrolment. The title is the row number, never the display name:
    the audit log holds no personal data (every service that logs an enrolment uses this).

    The same entry Wagtail's `log()` writes, in one INSERT: `log()` validates every entry with
    `full_clean`, which asks the database whether the content type (and the user) exist on
    each call, a query per enrolment when a popular group opens. Here the content type comes
    from Django's cache, and the action is checked against Wagtail's registry in memory."""
    entry, ids = enrolment_log_entry(enrolment, action, user=user, data=data)
    new_ids_set(entry, ids, enrolment.pk)
    ModelLogEntry.objects.bulk_create([entry])


def enrolment_log_entry(
    enrolment: Enrolment, action: str, *, user=None, data: dict | None = None
) -> tuple[ModelLogEntry, dict[str, NewId]]:
    """The audit entry of `enrolment_log`, unsaved, and its fields that name the enrolment's
    row: for an enrolment not inserted yet, `rows_insert` fills them from its new id."""
    if not log_action_registry.action_exists(action):
        raise ValueError(f"Unregistered log action {action!r}")
    context = get_active_log_context()
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(Enrolment),
        action=action,
        data=data or {},
        timestamp=timezone.now(),
        user=user or context.user,
        uuid=context.uuid,
    )
    return entry, {"object_id": NewId(text=True), "label": NewId(text=True, prefix="#")}


def _log(enrolment: Enrolment, action: str, *, user=None, data: dict | None = None) -> None:
    enrolment_log(enrolment, f"groups.enrolment.{action}", user=user, data=data)


def _group_locked(group_id: int) -> Group:
    """The group row locked, with its course read alongside. `of=("self",)` locks the group
    row only (PostgreSQL): locking the joined course page too would serialise every enrolment
    into any group of the course and block publishing the page meanwhile."""
    return Group.objects.select_for_update(of=("self",)).select_related("course").get(pk=group_id)


def _enrolment_locked(enrolment_id: int) -> tuple[Enrolment, Group]:
    """Lock the group first, then the enrolment: one lock order everywhere, no deadlocks.

    A merge (services/merge.py) may move the enrolment to another group between the first
    read and the locks; then the new group is locked too, so capacity is counted where it is."""
    while True:
        group_id = Enrolment.objects.values_list("group_id", flat=True).get(pk=enrolment_id)
        group = _group_locked(group_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.group_id == group.pk:
            enrolment.group = group
            return enrolment, group


def _places_left(group: Group) -> int:
    """Places left, counted under the group lock. A residential course also needs a bed for
    everyone holding a place: it is full when either runs out (`group_beds`)."""
    taken = group.enrolments.filter(status__in=Enrolment.HOLDS_PLACE).count()
    return max(_place_limit(group) - taken, 0)


def _place_limit(group: Group) -> int:
    """How many may hold a place: the group's capacity, and for a residential course also
    the venue's beds, whichever runs out first (`group_beds`)."""
    beds = group_beds(group=group)
    return group.capacity if beds is None else min(group.capacity, beds)


def _newcomer_counts(group: Group, *, email: str, phone: str) -> dict:
    """Under the group lock, in one statement: places taken, people waiting, and the active
    enrolments of the newcomer's e-mail or phone (a second enrolment is refused). Written out
    in SQL, like the locked read of the group (`group_for_enrolment_post`): hundreds of people
    run it at once when a popular group opens, and building it through the ORM took several
    times the CPU of running it."""
    holds_place = ", ".join(["%s"] * len(Enrolment.HOLDS_PLACE))
    active = ", ".join(["%s"] * len(Enrolment.ACTIVE))
    contacts = [(column, value) for column, value in (("email", email), ("phone", phone)) if value]
    same_contact = " OR ".join(f"{column} = %s" for column, _value in contacts)
    with connections[Enrolment.objects.db].cursor() as cursor:
        # Only placeholders and fixed column names are put into the text.
        cursor.execute(
            f"SELECT COUNT(*) FILTER (WHERE status IN ({holds_place})),"  # noqa: S608
            " COUNT(*) FILTER (WHERE status = %s),"
            f" COUNT(*) FILTER (WHERE status IN ({active}) AND ({same_contact}))"
            " FROM groups_enrolment WHERE group_id = %s",
            [
                *Enrolment.HOLDS_PLACE,
                Enrolment.Status.WAITLISTED,
                *Enrolment.ACTIVE,
                *(value for _column, value in contacts),
                group.pk,
            ],
        )
        taken, waiting, same = cursor.fetchone()
    return {"taken": taken, "waiting": waiting, "same_contact": same}


def _place_for_newcomer(group: Group, counts: dict) -> bool:
    """A place is left and nobody waits for it. A place freed a moment ago belongs to the
    queue's first person, not to a newcomer."""
    return not counts["waiting"] and counts["taken"] < _place_limit(group)


def offer_next_on_commit(group_id: int) -> None:
    """Offer the group's free places to its waiting list once the transaction commits (every
    service that frees or adds places calls this)."""
    task_on_commit("groups.tasks.place_offer_next", group_id)


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def normalise_phone(value: str) -> str:
    """Digits and a leading plus only, so '040 123 4567' and '040-1234567' are one person."""
    value = (value or "").strip()
    digits = "".join(char for char in value if char.isdigit())
    return f"+{digits}" if value.startswith("+") else digits


def group_check_open(*, group: Group, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if group.status not in OPEN_STATUSES:
        raise EnrolmentError(_("This group is not open for enrolment."), code="closed")
    if group.enrolment_opens and now < group.enrolment_opens:
        raise EnrolmentError(_("Enrolment for this group has not opened yet."), code="not_open")
    if group.enrolment_closes and now >= group.enrolment_closes:
        raise EnrolmentError(_("Enrolment for this group has closed."), code="closed")


DUPLICATE_MESSAGE = gettext_noop(
    "You are already enrolled in this group with this contact. Your earlier e-mail has a link "
    "where you can see and manage your place."
)


def _duplicate_error() -> EnrolmentError:
    return EnrolmentError(_(DUPLICATE_MESSAGE), code="duplicate")


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
    others share it without a deadlock."""
    email, phone = normalise_email(email), normalise_phone(phone)
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
    }
    try:
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


def _enrolment_insert(*, group_id: int, fields: dict, stay: dict | None, lock: str) -> Enrolment:
    with transaction.atomic(durable=True):
        group = group_for_enrolment_post(group_id, lock=lock)
        if group is None:
            raise Group.DoesNotExist
        group_check_open(group=group)
        # The duplicate check rides on the capacity count, one query under the lock; the
        # partial unique constraints still refuse a double enrolment (IntegrityError).
        counts = _newcomer_counts(group, email=fields["email"], phone=fields["phone"])
        if counts["same_contact"]:
            raise _duplicate_error()
        now = timezone.now()
        enrolment = Enrolment(group=group, consented_at=now, **fields)
        if group.course.requires_approval:
            enrolment.status = Enrolment.Status.PENDING
        elif _place_for_newcomer(group, counts):
            if lock != "update" and group_row_locks():
                raise _PlaceIsFree
            enrolment.status = Enrolment.Status.CONFIRMED
            _mark_placed(enrolment, now)
        else:
            enrolment.status = Enrolment.Status.WAITLISTED
            enrolment.queued_at = now
        # Field checks only: the database enforces the constraints (a contact is given,
        # checked above; one active enrolment per contact, the IntegrityError above).
        enrolment.full_clean(exclude=["group", "manage_token"], validate_constraints=False)
        entries = [enrolment_log_entry(enrolment, "groups.enrolment.created",
                                       data={"status": enrolment.status})]  # fmt: skip
        if fields["risk_flagged"]:
            entries.append(enrolment_log_entry(enrolment, "groups.enrolment.risk_flagged"))
        template = {
            Enrolment.Status.PENDING: "received",
            Enrolment.Status.CONFIRMED: "confirmed",
            Enrolment.Status.WAITLISTED: "waitlisted",
        }[enrolment.status]
        if group.course.format == CourseFormat.RESIDENTIAL:
            # The first e-mail of a residential course tells the person's stay: the stay is
            # saved first, and the e-mail made from it.
            rows_insert(enrolment, entries)
            stay_create(enrolment=enrolment, **(stay or {}))
            enrolment_message_queue(enrolment=enrolment, template=template, key_is_new=True)
        else:
            # The enrolment, its audit entries and its first e-mail: one statement on
            # PostgreSQL, as hundreds of people run this at once when a popular group opens.
            message = enrolment_message_new(enrolment=enrolment, template=template, now=now)
            rows_insert(enrolment, entries + ([message] if message else []))
            if message:
                message_send_on_commit(message[0])
    return enrolment


def _mark_placed(enrolment: Enrolment, now: dt.datetime) -> None:
    """Remember when the person first got a place (the reports measure the wait up to it)."""
    enrolment.placed_at = enrolment.placed_at or now


def _give_place_or_queue(enrolment: Enrolment, group: Group, now: dt.datetime) -> str:
    if _places_left(group) > 0:
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


def enrolment_confirm(*, enrolment_id: int, user=None) -> Enrolment:
    """A coordinator gives a place by hand (pending or waitlisted); refused when full."""
    with transaction.atomic(durable=True):
        enrolment, group = _enrolment_locked(enrolment_id)
        if enrolment.status not in (Enrolment.Status.PENDING, Enrolment.Status.WAITLISTED):
            raise EnrolmentError(_("This enrolment cannot be confirmed in its current state."))
        if _places_left(group) <= 0:
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
        enrolment.full_clean(exclude=["group", "manage_token"])
        enrolment.save(update_fields=["interpreter_language", "accessibility_needs", "updated_at"])
        _log(enrolment, "needs_updated")
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
        group = _group_locked(group_id)
        if group.status not in OFFERING_STATUSES or _places_left(group) <= 0:
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
        if _places_left(group) <= 0:
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
