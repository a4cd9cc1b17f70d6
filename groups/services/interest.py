"""The interest list (docs/interest.md): someone who found no suitable group leaves what would
suit them; when a matching group opens, or gets a free place nobody waits for, the oldest
interests first are each kept a place for INTEREST_HOLD_HOURS and told through the outbox.

A kept place is an open `PlaceHold`; `groups.capacity` counts it as a place taken, so every
count of places left (catalogue, enrolment, offers) sees it, and giving one happens under the
group's exclusive lock like every other change of places. The waiting list goes first: holds
are given only while nobody waits in the group.
"""

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.links import absolute_url
from cms.models import text_in_language
from cms.services.audit import audit_log_many
from cms.services.short_links import short_links_erase
from cms.services.tasks import task_on_commit
from groups.capacity import group_lock, place_counts
from groups.contacts import InvalidPhoneNumber, normalise_email, normalise_phone
from groups.exceptions import InterestError
from groups.models import Group, Interest, InterestTown, PlaceHold
from groups.selectors.availability import GroupState, group_state
from groups.selectors.interest import (
    canonical_town,
    centres_by_town,
    group_for_matching,
    interests_matching,
)
from groups.services.outbox import InterestMessage, interest_messages_queue

logger = logging.getLogger(__name__)


def interest_log(interests: list, action: str, *, data: dict | None = None) -> None:
    """Audit actions on interests (or holds) in one INSERT, named by row number only: the
    audit log holds no personal data (cms.services.audit)."""
    audit_log_many([(row, action, data) for row in interests])


def _check_dates(earliest: dt.date | None, latest: dt.date | None) -> None:
    if earliest and latest and latest < earliest:
        raise InterestError(_("The latest start cannot be before the earliest."), code="dates")


def _towns_set(interest: Interest, towns: list[str]) -> None:
    centres = centres_by_town()
    names = sorted({canonical_town(town) for town in towns if town.strip()})
    InterestTown.objects.filter(interest=interest).exclude(town__in=names).delete()
    existing = set(InterestTown.objects.filter(interest=interest).values_list("town", flat=True))
    InterestTown.objects.bulk_create(
        InterestTown(interest=interest, town=town, centre_id=centres.get(town))
        for town in names
        if town not in existing
    )


def interest_create(
    *,
    topic_key,
    course_key=None,
    towns: list[str],
    online: bool,
    language: str,
    earliest_start: dt.date | None = None,
    latest_start: dt.date | None = None,
    display_name: str,
    email: str = "",
    phone: str = "",
    consent_text_version: str,
    now: dt.datetime | None = None,
) -> Interest:
    """A new interest, waiting for INTEREST_MONTHS; the person gets its private link."""
    try:
        email, phone = normalise_email(email), normalise_phone(phone)
    except InvalidPhoneNumber:
        raise InterestError(_("Check the phone number."), code="invalid_phone") from None
    if not email and not phone:
        raise InterestError(_("Give an e-mail address or a phone number."), code="no_contact")
    if not online and not [town for town in towns if town.strip()]:
        raise InterestError(_("Choose at least one town, or online."), code="no_place")
    _check_dates(earliest_start, latest_start)
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        interest = Interest(
            topic_key=topic_key,
            course_key=course_key,
            online=online,
            language=language,
            earliest_start=earliest_start,
            latest_start=latest_start,
            display_name=display_name.strip(),
            email=email,
            phone=phone,
            consent_text_version=consent_text_version,
            consented_at=now,
            created_at=now,
            expires_at=now + dt.timedelta(days=30 * settings.INTEREST_MONTHS),
        )
        interest.full_clean(exclude=["manage_token"], validate_constraints=False)
        interest.save(force_insert=True)
        _towns_set(interest, towns)
        interest_log([interest], "groups.interest.created")
        interest_messages_queue(messages=[_about_interest(interest, "interest_received", "new")])
    return interest


def interest_update(
    *,
    interest_id: int,
    towns: list[str],
    online: bool,
    language: str,
    earliest_start: dt.date | None,
    latest_start: dt.date | None,
) -> Interest:
    """The person changes where, in which language and when; the contact stays."""
    if not online and not [town for town in towns if town.strip()]:
        raise InterestError(_("Choose at least one town, or online."), code="no_place")
    _check_dates(earliest_start, latest_start)
    with transaction.atomic(durable=True):
        interest = Interest.objects.select_for_update().get(pk=interest_id)
        interest.online = online
        interest.language = language
        interest.earliest_start = earliest_start
        interest.latest_start = latest_start
        interest.save(
            update_fields=["online", "language", "earliest_start", "latest_start", "updated_at"]
        )
        _towns_set(interest, towns)
        interest_log([interest], "groups.interest.changed")
    return interest


def _open_hold_group(interest_id: int) -> int | None:
    return (
        PlaceHold.objects.filter(interest_id=interest_id, status=PlaceHold.Status.OPEN)
        .values_list("group_id", flat=True)
        .first()
    )


class _HoldMoved(Exception):
    """The interest got a place kept between the first read and its lock: start again."""


def interest_erase(*, interest_id: int, action: str = "groups.interest.withdrawn") -> bool:
    """Erase an interest with its towns, holds and messages: withdrawn by the person, ended,
    or done (a place taken). A place it kept is freed under the group's lock and goes on (the
    waiting list first, then the next interest). Returns False when it was already gone.

    Lock order as everywhere: the group of its open hold, then the interest row; when a hold
    appeared in between, the transaction is left (its locks freed) and started again."""
    while True:
        try:
            return _interest_erase(interest_id=interest_id, action=action)
        except _HoldMoved:
            continue


def _interest_erase(*, interest_id: int, action: str) -> bool:
    with transaction.atomic(durable=True):
        group_id = _open_hold_group(interest_id)
        if group_id is not None:
            group_lock(group_id)
        if not Interest.objects.select_for_update().filter(pk=interest_id).exists():
            return False
        if _open_hold_group(interest_id) != group_id:
            raise _HoldMoved
        _interest_delete(interest_id)
        interest_log([Interest(pk=interest_id)], action)
        if group_id is not None:
            task_on_commit("groups.tasks.place_offer_next", group_id)
    return True


def _interest_delete(interest_id: int) -> None:
    """The interest with its towns, holds, messages (cascade) and short links: nothing of the
    person is left."""
    Interest.objects.filter(pk=interest_id).delete()
    short_links_erase(owner_model=Interest, owner_ids=[interest_id])


def holds_give(*, group_id: int, now: dt.datetime | None = None) -> list[PlaceHold]:
    """Keep the group's free places for the oldest matching interests, one place each, and
    tell them. Only while the group takes enrolments and nobody waits in its queue. Under the
    group's exclusive lock: the count of places left (`groups.capacity.place_counts`, open holds
    included) stands until the commit, so no place is promised twice. Interest rows another
    transaction has locked (another group giving holds at this moment) are skipped; an interest
    holds one place at a time (a constraint). A constant number of queries."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        group = group_lock(group_id, queryset=group_for_matching())
        counts = place_counts(group)
        state = group_state(
            group=group, places_left=counts.left, course_public=group.course.live, now=now
        )
        if state != GroupState.PLACES or counts.waiting:
            return []
        chosen = list(
            interests_matching(group=group, now=now)
            .select_for_update(skip_locked=True, of=("self",))
            .only("pk", "language", "email", "phone", "display_name", "manage_token")[: counts.left]
        )
        if not chosen:
            return []
        expires_at = now + dt.timedelta(hours=settings.INTEREST_HOLD_HOURS)
        holds = PlaceHold.objects.bulk_create(
            PlaceHold(interest=interest, group_id=group_id, expires_at=expires_at)
            for interest in chosen
        )
        interest_log(holds, "groups.hold.given", data={"group": group_id})
        for hold, interest in zip(holds, chosen, strict=True):
            hold.interest = interest
        interest_messages_queue(messages=[_place_kept(hold, group) for hold in holds])
    return holds


def _about_interest(interest: Interest, template: str, key: str) -> InterestMessage:
    """A message whose link leads to the person's private page (valid while the interest is)."""
    with translation.override(interest.language):
        path = reverse("interest:manage", kwargs={"token": interest.manage_token})
    return InterestMessage(
        interest=interest,
        template=template,
        key=key,
        link_path=path,
        link_expires_at=interest.expires_at,
    )


def _place_kept(hold: PlaceHold, group: Group) -> InterestMessage:
    """The message of a kept place: its link leads to the place and ends with it; the e-mail
    tells the group (rendered when sent), a text message only the centre and the deadline."""
    interest = hold.interest
    with translation.override(interest.language):
        path = reverse("interest:hold", kwargs={"token": hold.token})
    return InterestMessage(
        interest=interest,
        template="interest_place_kept",
        key=f"hold:{hold.pk}",
        link_path=path,
        link_expires_at=hold.expires_at,
        extra={
            "group_id": group.pk,
            "hold_url": absolute_url(path),
            "hold_expires_at": hold.expires_at.isoformat(),
        },
        centre=text_in_language(group.centre, "name", interest.language) if group.centre else "",
        offer_expires_at=hold.expires_at.isoformat(),
    )


def hold_release(*, hold_id: int, action: str = "groups.hold.released") -> PlaceHold:
    """The person says no to the kept place, or its time ended: the place goes on (the waiting
    list first, then the next interest). The interest keeps waiting for another group."""
    with transaction.atomic(durable=True):
        group_id = PlaceHold.objects.values_list("group_id", flat=True).get(pk=hold_id)
        group_lock(group_id)
        hold = PlaceHold.objects.select_for_update().get(pk=hold_id)
        if hold.status != PlaceHold.Status.OPEN:
            return hold
        hold.status = PlaceHold.Status.RELEASED
        hold.save(update_fields=["status"])
        interest_log([hold], action)
        task_on_commit("groups.tasks.place_offer_next", group_id)
    return hold


def holds_release_group_gone(*, group_id: int) -> list[PlaceHold]:
    """The group will not run (cancelled, or merged into another): its kept places are released
    at once, and each person is told, in their language and on their channel, that the group
    does not run and their interest keeps waiting. Called in the transaction that cancels the
    group (`group_cancel`, `group_merge`) and after any save of a group (a status set to
    cancelled in the form); under the group's lock, and only open holds change, so each person
    is told once. A constant number of queries."""
    with transaction.atomic():
        group = group_lock(group_id, queryset=Group.objects.select_related("centre"))
        if group.status != Group.Status.CANCELLED:
            return []
        holds = list(
            PlaceHold.objects.filter(group_id=group_id, status=PlaceHold.Status.OPEN)
            .select_related("interest")
            .select_for_update(of=("self",))
        )
        if not holds:
            return []
        PlaceHold.objects.filter(pk__in=[hold.pk for hold in holds]).update(
            status=PlaceHold.Status.RELEASED
        )
        for hold in holds:
            hold.status = PlaceHold.Status.RELEASED
        interest_log(holds, "groups.hold.group_gone", data={"group": group_id})
        interest_messages_queue(messages=[_group_gone(hold, group) for hold in holds])
    return holds


def _group_gone(hold: PlaceHold, group: Group) -> InterestMessage:
    """The message of a kept place whose group will not run: its link leads to the person's
    private page (the interest waits on); the e-mail names the course, a text message only the
    centre."""
    language = hold.interest.language
    return dataclasses.replace(
        _about_interest(hold.interest, "interest_group_gone", f"gone:hold:{hold.pk}"),
        extra={"group_id": group.pk},
        centre=text_in_language(group.centre, "name", language) if group.centre else "",
    )


def holds_expire_due(*, now: dt.datetime | None = None) -> int:
    """Release every kept place past its time (run with the offers' expiry task)."""
    now = now or timezone.now()
    due = list(
        PlaceHold.objects.filter(status=PlaceHold.Status.OPEN, expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for hold_id in due:
        hold_release(hold_id=hold_id, action="groups.hold.expired")
    return len(due)


def hold_check_takeable(*, hold: PlaceHold | None, group: Group, now: dt.datetime) -> None:
    """Refuse an enrolment through a kept place that is not (or no longer) this group's."""
    if hold is None or hold.group_id != group.pk or hold.status != PlaceHold.Status.OPEN:
        raise InterestError(_("This kept place is no longer available."), code="hold_gone")
    if hold.expires_at <= now:
        raise InterestError(_("Sorry, the time to take this place has ended."), code="expired")


def hold_taken(*, hold: PlaceHold) -> None:
    """Inside the enrolment's locked transaction: the kept place became the enrolment's, and
    the interest is done, so it is erased with its towns, holds and messages."""
    interest_id = hold.interest_id
    interest_log([hold], "groups.hold.taken")
    _interest_delete(interest_id)
    interest_log([Interest(pk=interest_id)], "groups.interest.place_taken")


def interests_remind_and_end(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Daily: remind once, INTEREST_REMINDER_DAYS before the end, each interest that will end;
    erase every interest whose time has ended. Returns (reminded, ended)."""
    now = now or timezone.now()
    soon = now + dt.timedelta(days=settings.INTEREST_REMINDER_DAYS)
    reminded = 0
    for interest in Interest.objects.filter(
        expires_at__gt=now, expires_at__lte=soon, reminded_at__isnull=True
    ):
        with transaction.atomic():
            if Interest.objects.filter(pk=interest.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                interest_messages_queue(
                    messages=[
                        _about_interest(
                            interest, "interest_ending", f"ending:{interest.expires_at.isoformat()}"
                        )
                    ]
                )
                reminded += 1
    ended = 0
    for interest_id in Interest.objects.filter(expires_at__lte=now).values_list("pk", flat=True):
        ended += interest_erase(interest_id=interest_id, action="groups.interest.ended")
    return reminded, ended


def interest_extend(*, interest_id: int, now: dt.datetime | None = None) -> Interest:
    """The person keeps the interest for another INTEREST_MONTHS (from the reminder's link)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        interest = Interest.objects.select_for_update().get(pk=interest_id)
        interest.expires_at = now + dt.timedelta(days=30 * settings.INTEREST_MONTHS)
        interest.reminded_at = None
        interest.save(update_fields=["expires_at", "reminded_at", "updated_at"])
        interest_log([interest], "groups.interest.extended")
    return interest
