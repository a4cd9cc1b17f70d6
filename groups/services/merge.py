"""Merging a group into another group of the same course (the go/no-go "merge" option).

The people of a group too small to run move, with their enrolments and private manage links,
into another group of the course that has not started; the small group is cancelled.

Places follow the capacity rule of `enrolment.py` (confirmed + open offers never exceed the
capacity) and its queue rule (a free place belongs to the first person already waiting, not
to a newcomer): the movers who held a place in the small group take the target's free places
beyond those its own waiting list is owed; everyone else joins the end of the target's waiting
list in the order they had, so nobody already waiting there is pushed back.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from groups.capacity import group_lock, place_counts
from groups.exceptions import MergeError
from groups.models import Enrolment, Group, Meeting
from groups.services.enrolment import enrolment_log, offer_next_on_commit
from groups.services.interest import holds_release_group_gone
from groups.services.outbox import enrolment_message_queue

MERGEABLE_STATUSES = (Group.Status.OPEN, Group.Status.FULL)


@dataclass(frozen=True)
class MergePlan:
    """What a merge would do, in numbers only (the preview shows no personal data)."""

    to_places: int
    to_waitlist: int
    pending: int
    already_in_target: int
    without_email: int

    @property
    def moving(self) -> int:
        return self.to_places + self.to_waitlist + self.pending


def _started(group: Group, now: dt.datetime) -> bool:
    return (
        group.meetings.exclude(status=Meeting.Status.CANCELLED).filter(starts_at__lte=now).exists()
        or group.status not in MERGEABLE_STATUSES
    )


def group_merge_check(*, source: Group, target: Group, allow_other_language: bool = False) -> None:
    """Raise `MergeError` with the reason if `source` cannot be merged into `target`."""
    now = timezone.now()
    if source.pk == target.pk:
        raise MergeError(_("Choose another group to merge into."), code="same_group")
    if source.status == Group.Status.CANCELLED:
        raise MergeError(_("This group is already cancelled."), code="source_cancelled")
    if _started(source, now):
        raise MergeError(
            _("This group has already started; it cannot be merged."), code="source_started"
        )
    if target.course_id != source.course_id:
        raise MergeError(
            _("A group can only be merged into a group of the same course."), code="other_course"
        )
    if target.status == Group.Status.CANCELLED:
        raise MergeError(_("The chosen group is cancelled."), code="target_cancelled")
    if _started(target, now):
        raise MergeError(
            _("The chosen group has already started or does not take enrolments."),
            code="target_started",
        )
    if target.language != source.language and not allow_other_language:
        raise MergeError(
            _(
                "The chosen group meets in another language. Confirm that the participants "
                "can take part in that language."
            ),
            code="other_language",
        )


def _movers(source: Group, *, lock: bool = False) -> list[Enrolment]:
    """The source's active enrolments in queue order: those holding a confirmed place first
    (by when they got it), then open offers and the waiting list (by their place in the queue),
    then those awaiting approval."""
    queryset = source.enrolments.filter(status__in=Enrolment.ACTIVE)
    if lock:
        queryset = queryset.select_for_update()
    rank = {
        Enrolment.Status.CONFIRMED: 0,
        Enrolment.Status.OFFERED: 1,
        Enrolment.Status.WAITLISTED: 1,
        Enrolment.Status.PENDING: 2,
    }
    never = dt.datetime.max.replace(tzinfo=dt.UTC)

    def key(enrolment: Enrolment):
        if enrolment.status == Enrolment.Status.CONFIRMED:
            when = enrolment.placed_at or enrolment.created_at
        elif enrolment.status == Enrolment.Status.PENDING:
            when = enrolment.created_at
        else:
            when = enrolment.queued_at or enrolment.created_at
        return (rank[enrolment.status], when or never, enrolment.pk)

    return sorted(queryset, key=key)


def _in_target(target: Group) -> tuple[set[str], set[str]]:
    active = target.enrolments.filter(status__in=Enrolment.ACTIVE)
    emails = set(active.exclude(email="").values_list("email", flat=True))
    phones = set(active.exclude(phone="").values_list("phone", flat=True))
    return emails, phones


def _free_places_for_movers(target: Group) -> int:
    """Places left in the target (`groups.capacity`: its beds too) that its own waiting list
    does not claim first."""
    counts = place_counts(target)
    return max(counts.left - counts.waiting, 0)


def _plan(movers: list[Enrolment], target: Group) -> tuple[MergePlan, dict[int, str]]:
    """The outcome per mover (`confirmed`, `waitlisted`, `pending` or `duplicate`)."""
    free = _free_places_for_movers(target)
    emails, phones = _in_target(target)
    outcomes: dict[int, str] = {}
    for enrolment in movers:
        if (enrolment.email and enrolment.email in emails) or (
            enrolment.phone and enrolment.phone in phones
        ):
            outcomes[enrolment.pk] = "duplicate"
        elif enrolment.status == Enrolment.Status.PENDING:
            outcomes[enrolment.pk] = "pending"
        elif enrolment.status == Enrolment.Status.CONFIRMED and free > 0:
            outcomes[enrolment.pk] = "confirmed"
            free -= 1
        else:
            outcomes[enrolment.pk] = "waitlisted"
    values = list(outcomes.values())
    plan = MergePlan(
        to_places=values.count("confirmed"),
        to_waitlist=values.count("waitlisted"),
        pending=values.count("pending"),
        already_in_target=values.count("duplicate"),
        without_email=sum(
            1
            for enrolment in movers
            if not enrolment.email and outcomes[enrolment.pk] != "duplicate"
        ),
    )
    return plan, outcomes


def group_merge_preview(*, source: Group, target: Group) -> MergePlan:
    """The numbers a merge would give now (it may change before the coordinator confirms)."""
    return _plan(_movers(source), target)[0]


def _meetings_context(target: Group, now: dt.datetime) -> dict:
    meetings = target.meetings.exclude(status=Meeting.Status.CANCELLED).filter(starts_at__gt=now)
    place = target.venue or target.centre
    return {
        "meeting_times": [meeting.starts_at.isoformat() for meeting in meetings],
        "group_mode": target.mode,
        "group_language": target.language,
        "place": str(place) if place else "",
        "place_address": getattr(place, "address", "") if place else "",
    }


def group_merge(
    *, source: Group, target: Group, user=None, allow_other_language: bool = False
) -> Group:
    """Move the source group's active enrolments into `target` and cancel the source.

    Both group rows are locked in primary-key order (every other writer locks one group, so no
    deadlock), the checks run again under the locks, and every mover is told in their own
    language after the commit. Returns the target group.
    """
    first_id, second_id = sorted((source.pk, target.pk))
    with transaction.atomic(durable=True):
        # `of=self`: lock the group rows only, as every writer does; the course page stays
        # free for editors and for enrolments into the course's other groups.
        locked = {group_id: group_lock(group_id) for group_id in (first_id, second_id)}
        source, target = locked[source.pk], locked[target.pk]
        group_merge_check(source=source, target=target, allow_other_language=allow_other_language)
        now = timezone.now()
        movers = _movers(source, lock=True)
        plan, outcomes = _plan(movers, target)
        extra = _meetings_context(target, now)
        queue_position = 0
        for enrolment in movers:
            outcome = outcomes[enrolment.pk]
            if outcome == "duplicate":
                # The same person is already in the target: their enrolment there stands.
                enrolment.status = Enrolment.Status.CANCELLED
                enrolment.offer_expires_at = None
                enrolment.save(update_fields=["status", "offer_expires_at", "updated_at"])
                enrolment_log(
                    enrolment,
                    "groups.enrolment.cancelled",
                    user=user,
                    data={"reason": "merged_already_in_target", "group": target.pk},
                )
                continue
            fields = ["group", "status", "offer_expires_at", "updated_at"]
            enrolment.group = target
            enrolment.offer_expires_at = None
            if outcome == "confirmed":
                enrolment.status = Enrolment.Status.CONFIRMED
                enrolment.placed_at = enrolment.placed_at or now
                fields.append("placed_at")
            elif outcome == "waitlisted":
                enrolment.status = Enrolment.Status.WAITLISTED
                # The end of the target's queue, in the order they had (a microsecond apart).
                enrolment.queued_at = now + dt.timedelta(microseconds=queue_position)
                queue_position += 1
                fields.append("queued_at")
            enrolment.save(update_fields=fields)
            enrolment_log(
                enrolment,
                "groups.enrolment.moved",
                user=user,
                data={"from_group": source.pk, "to_group": target.pk, "status": outcome},
            )
            enrolment_message_queue(
                enrolment=enrolment,
                template="group_merged",
                key_suffix=f"merge:{source.pk}",
                extra={**extra, "outcome": outcome},
            )
        source.status = Group.Status.CANCELLED
        source.save(update_fields=["status", "updated_at"])
        source.meetings.filter(starts_at__gte=now).update(status=Meeting.Status.CANCELLED)
        counts = {
            "to_places": plan.to_places,
            "to_waitlist": plan.to_waitlist,
            "pending": plan.pending,
            "already_in_target": plan.already_in_target,
        }
        log(source, "groups.group.merged", user=user, data={"into": target.pk, **counts})
        log(target, "groups.group.merged_into", user=user, data={"from": source.pk, **counts})
        # Places kept in the source for interests go at once (those people are told their
        # interest waits on); the target's own free places go on below, waiting list first.
        holds_release_group_gone(group_id=source.pk)
        # Places the target's waiting list was owed go on in queue order, movers included.
        offer_next_on_commit(target.pk)
    return target
