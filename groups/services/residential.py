"""Residential intensive courses: stays, beds, room allocation, the programme and the reminder.

A residential course's capacity is its places and its beds (the venue's rooms): the places-left
rule counts both (`groups.capacity.place_limit`), so the course is full when either runs out.
Rooms are allocated by a coordinator in one form; the rules are checked together and nothing
is saved unless every one holds.
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses.models import CourseFormat
from groups.capacity import group_lock
from groups.exceptions import AllocationError, ScheduleError, StayError
from groups.models import Enrolment, Group, Meeting, Room, Stay
from groups.services.outbox import enrolment_message_queue

STAY_FIELDS = (
    "arrives_on",
    "departs_on",
    "travel_mode",
    "arrival_time",
    "pickup_wanted",
    "single_room",
    "roommate_wish",
    "diet",
    "gluten_free",
    "lactose_free",
    "allergies",
    "accessible_room",
)
# What the participant may change from the manage link (the room is the coordinator's).
STAY_PARTICIPANT_FIELDS = STAY_FIELDS
# Everything personal in a stay; its dates stay so that counts of nights and meals still add up.
STAY_ERASED_VALUES = {
    "travel_mode": "",
    "arrival_time": None,
    "pickup_wanted": False,
    "single_room": "",
    "roommate_wish": "",
    "diet": "",
    "gluten_free": False,
    "lactose_free": False,
    "allergies": "",
    "accessible_room": False,
    "room": None,
}
REMINDER_DAYS = 7
# Statuses whose stays the coordinator plans rooms, meals and arrivals for.
STAYING = (*Enrolment.HOLDS_PLACE, Enrolment.Status.COMPLETED)


def group_is_residential(group: Group) -> bool:
    return group.course.format == CourseFormat.RESIDENTIAL


def _check_dates(stay: Stay, group: Group) -> None:
    if stay.departs_on < stay.arrives_on:
        raise StayError(_("The departure date must not be before the arrival date."), code="dates")
    if (group.starts_on and stay.arrives_on < group.starts_on) or (
        group.ends_on and stay.departs_on > group.ends_on
    ):
        raise StayError(
            _("Arrival and departure must be within the course dates."), code="outside_course"
        )


def stay_create(*, enrolment: Enrolment, **fields) -> Stay:
    """The stay of a new enrolment; called inside `enrolment_create`'s transaction. Dates
    default to the whole course."""
    group = enrolment.group
    today = timezone.localdate()
    values = {name: value for name, value in fields.items() if name in STAY_FIELDS}
    values["arrives_on"] = values.get("arrives_on") or group.starts_on or today
    values["departs_on"] = values.get("departs_on") or group.ends_on or values["arrives_on"]
    stay = Stay(enrolment=enrolment, **values)
    _check_dates(stay, group)
    stay.full_clean(exclude=["enrolment", "room"])
    stay.save()
    return stay


def stay_update(*, enrolment_id: int, **fields) -> Stay:
    """The participant changes their travel, room wishes or diet from the manage link."""
    with transaction.atomic(durable=True):
        stay = (
            Stay.objects.select_for_update(of=("self",))
            .select_related("enrolment__group__course")
            .get(enrolment_id=enrolment_id)
        )
        if stay.enrolment.status not in Enrolment.ACTIVE:
            raise StayError(_("This enrolment is no longer active."), code="inactive")
        changed = []
        for name in STAY_PARTICIPANT_FIELDS:
            if name in fields and getattr(stay, name) != fields[name]:
                setattr(stay, name, fields[name])
                changed.append(name)
        if not changed:
            return stay
        _check_dates(stay, stay.enrolment.group)
        stay.full_clean(exclude=["enrolment", "room"])
        stay.save(update_fields=changed)
        log(stay, "groups.stay.updated", title=str(stay), data={"fields": changed})
    return stay


def _allocation_errors(group: Group, stays: list[Stay], rooms: dict[int, Room]) -> dict:
    errors: dict = defaultdict(list)
    occupants: dict[int, list[Stay]] = defaultdict(list)
    for stay in stays:
        if stay.room_id is not None:
            occupants[stay.room_id].append(stay)
    for room_id, people in occupants.items():
        room = rooms[room_id]
        if len(people) > room.beds:
            for stay in people:
                errors[stay.enrolment_id].append(
                    _("Room %(room)s has %(beds)d beds but %(people)d people.")
                    % {"room": room.name, "beds": room.beds, "people": len(people)}
                )
    for stay in stays:
        if stay.room_id is None:
            continue
        room = rooms[stay.room_id]
        if stay.accessible_room and not room.accessible:
            errors[stay.enrolment_id].append(
                _("Needs an accessible room; %(room)s is not accessible.") % {"room": room.name}
            )
        if stay.single_room:
            if not room.single_use:
                errors[stay.enrolment_id].append(
                    _("Needs a single room; %(room)s cannot be used as one.") % {"room": room.name}
                )
            elif len(occupants[room.pk]) > 1:
                errors[stay.enrolment_id].append(
                    _("Needs a single room; %(room)s has other people in it.") % {"room": room.name}
                )
    return dict(errors)


def rooms_allocate(*, group_id: int, allocation: dict[int, int | None], user=None) -> list[Stay]:
    """Put people in rooms: `allocation` maps enrolment ids to room ids (None: no room yet).

    Every rule is checked on the whole allocation at once: no room over its beds, accessible
    rooms for those who need one, a single room alone and only where the room allows it.
    Raises `AllocationError` with every problem and saves nothing unless all hold.
    """
    with transaction.atomic(durable=True):
        group = group_lock(group_id)
        rooms = {room.pk: room for room in Room.objects.filter(venue_id=group.venue_id)}
        stays = list(
            Stay.objects.select_for_update(of=("self",))
            .filter(enrolment__group=group, enrolment__status__in=STAYING)
            .select_related("enrolment")
            .order_by("pk")
        )
        errors: dict = {}
        unknown = [
            enrolment_id
            for enrolment_id, room_id in allocation.items()
            if room_id is not None and room_id not in rooms
        ]
        for enrolment_id in unknown:
            errors[enrolment_id] = [_("Choose one of the venue's rooms.")]
        changed = []
        for stay in stays:
            if stay.enrolment_id in allocation and stay.enrolment_id not in errors:
                room_id = allocation[stay.enrolment_id]
                if stay.room_id != room_id:
                    stay.room_id = room_id
                    changed.append(stay)
        errors.update(_allocation_errors(group, stays, rooms))
        if errors:
            raise AllocationError(
                _("The rooms were not saved: correct the marked rows."), errors=errors
            )
        for stay in changed:
            stay.save(update_fields=["room"])
        log(group, "groups.group.rooms_allocated", user=user, data={"changed": len(changed)})
    return stays


def stays_erase(*, enrolment_ids, now: dt.datetime | None = None) -> int:
    """Blank the personal details of these enrolments' stays (diet, allergies, room wishes,
    travel, room) at retention time or on request. The rows and their dates stay, so the
    number of participants, nights and meals still adds up. Safe to run again."""
    with transaction.atomic():
        return Stay.objects.filter(
            enrolment_id__in=list(enrolment_ids), erased_at__isnull=True
        ).update(**STAY_ERASED_VALUES, erased_at=now or timezone.now())


def programme_session_add(
    *,
    group: Group,
    day: dt.date,
    starts: dt.time,
    ends: dt.time,
    title: str,
    title_sv: str = "",
    title_en: str = "",
    user=None,
) -> Meeting:
    """One session of a residential programme, as a meeting of the group (so the calendar,
    reminders and attendance see it); everyone holding a place is told after the commit.
    `title` is the Finnish title; Swedish and English pages show theirs where given."""
    from groups.services.schedule import meeting_add_extra

    start, minutes = _session_span(day=day, starts=starts, ends=ends)
    return meeting_add_extra(
        group=group,
        starts_at=start,
        duration_minutes=minutes,
        title=title.strip(),
        title_sv=title_sv.strip(),
        title_en=title_en.strip(),
        user=user,
    )


def programme_session_move(
    *, meeting: Meeting, day: dt.date, starts: dt.time, ends: dt.time, user=None
) -> Meeting:
    """Give a session a new day or time; everyone holding a place is told after the commit."""
    from groups.services.schedule import meeting_move

    start, minutes = _session_span(day=day, starts=starts, ends=ends)
    return meeting_move(meeting=meeting, starts_at=start, duration_minutes=minutes, user=user)


def _session_span(*, day: dt.date, starts: dt.time, ends: dt.time) -> tuple[dt.datetime, int]:
    """A session's start as an aware datetime and its length in minutes; it must end after
    it starts."""
    from groups.services.schedule import meeting_start

    start, end = meeting_start(day=day, start_time=starts), meeting_start(day=day, start_time=ends)
    if end <= start:
        raise ScheduleError(_("The session must end after it starts."), code="ends_before_start")
    return start, int((end - start).total_seconds() // 60)


def stay_reminders_queue(*, today: dt.date | None = None) -> int:
    """A week before a residential course, remind everyone confirmed of their travel details.
    Once per person and course date (the outbox's key), so running it hourly is safe."""
    today = today or timezone.localdate()
    enrolments = (
        Enrolment.objects.filter(
            status=Enrolment.Status.CONFIRMED,
            group__course__format=CourseFormat.RESIDENTIAL,
            group__status__in=[Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING],
            group__starts_on__gt=today,
            group__starts_on__lte=today + dt.timedelta(days=REMINDER_DAYS),
            stay__isnull=False,
        )
        .exclude(email="", phone="")
        .select_related("group__course", "group__centre", "group__venue", "stay")
        .prefetch_related("group__meetings")
    )
    count = 0
    with transaction.atomic():
        for enrolment in enrolments:
            enrolment_message_queue(
                enrolment=enrolment,
                template="stay_reminder",
                key_suffix=f"{enrolment.group.starts_on.isoformat()}",
            )
            count += 1
    return count
