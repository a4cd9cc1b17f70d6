"""Residential courses: stays, rooming list, meals, allergies, arrivals and the programme."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from courses.models import CourseFormat
from groups.capacity import groups_with_places
from groups.models import Enrolment, Group, Meeting, Room, Stay

STAYING_STATUSES = (*Enrolment.HOLDS_PLACE, Enrolment.Status.COMPLETED)


def residential_groups() -> QuerySet[Group]:
    """Groups of residential courses for the coordinators' screen, coming ones first."""
    return (
        groups_with_places(Group.objects.filter(course__format=CourseFormat.RESIDENTIAL))
        .select_related("course", "venue")
        .annotate(
            stays=Count("enrolments__stay", filter=Q(enrolments__status__in=STAYING_STATUSES)),
        )
        .order_by(F("starts_on").desc(nulls_first=True), "pk")
    )


def group_stays(*, group: Group) -> QuerySet[Stay]:
    """Everyone staying at the course, by name, with their room."""
    return (
        Stay.objects.filter(enrolment__group=group, enrolment__status__in=STAYING_STATUSES)
        .select_related("enrolment", "room")
        .order_by("enrolment__display_name", "pk")
    )


def venue_rooms(*, group: Group) -> list[Room]:
    if not group.venue_id:
        return []
    return list(Room.objects.filter(venue_id=group.venue_id).order_by("sort_order", "name"))


def rooming_list(*, group: Group) -> tuple[list[Room], list[Stay]]:
    """The venue's rooms, each with `.occupants` (its stays), and the people without a room."""
    rooms = venue_rooms(group=group)
    by_room: dict[int, list[Stay]] = {}
    unallocated = []
    for stay in group_stays(group=group):
        if stay.room_id is None:
            unallocated.append(stay)
        else:
            by_room.setdefault(stay.room_id, []).append(stay)
    for room in rooms:
        room.occupants = by_room.get(room.pk, [])
    return rooms, unallocated


class Meal:
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    ORDER = (BREAKFAST, LUNCH, DINNER)


def stay_meals(stay: Stay, day: dt.date) -> tuple[str, ...]:
    """The meals a person eats at the venue on `day`: arrival day lunch and dinner,
    departure day breakfast and lunch, whole days all three (a one-day stay: lunch)."""
    if not stay.arrives_on <= day <= stay.departs_on:
        return ()
    if stay.arrives_on == stay.departs_on:
        return (Meal.LUNCH,)
    if day == stay.arrives_on:
        return (Meal.LUNCH, Meal.DINNER)
    if day == stay.departs_on:
        return (Meal.BREAKFAST, Meal.LUNCH)
    return Meal.ORDER


@dataclass
class MealCount:
    day: dt.date
    meal: str
    total: int = 0
    vegetarian: int = 0
    vegan: int = 0
    gluten_free: int = 0
    lactose_free: int = 0
    allergies: int = 0


def meal_counts(*, group: Group) -> list[MealCount]:
    """Meals per day and meal over the course's dates, with diets summed; one query."""
    stays = list(group_stays(group=group))
    if not stays:
        return []
    first = min(stay.arrives_on for stay in stays)
    last = max(stay.departs_on for stay in stays)
    rows = []
    day = first
    while day <= last:
        for meal in Meal.ORDER:
            row = MealCount(day=day, meal=meal)
            for stay in stays:
                if meal not in stay_meals(stay, day):
                    continue
                row.total += 1
                row.vegetarian += stay.diet == Stay.Diet.VEGETARIAN
                row.vegan += stay.diet == Stay.Diet.VEGAN
                row.gluten_free += stay.gluten_free
                row.lactose_free += stay.lactose_free
                row.allergies += bool(stay.allergies)
            if row.total:
                rows.append(row)
        day += dt.timedelta(days=1)
    return rows


def allergy_summary(*, group: Group) -> list[tuple[str, int]]:
    """Allergies as written, with how many have each, for the kitchen (no names)."""
    counts: dict[str, int] = {}
    for allergy in (
        group_stays(group=group).exclude(allergies="").values_list("allergies", flat=True)
    ):
        key = allergy.strip().lower()
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


@dataclass
class PickupRun:
    day: dt.date
    time: dt.time | None
    stays: list


def arrivals(*, group: Group) -> tuple[list[Stay], list[PickupRun]]:
    """Everyone by arrival date and time, and those wanting a pickup grouped by date and time."""
    stays = sorted(
        group_stays(group=group),
        key=lambda stay: (stay.arrives_on, stay.arrival_time or dt.time.max, stay.pk),
    )
    runs: dict[tuple, PickupRun] = {}
    for stay in stays:
        if stay.pickup_wanted:
            key = (stay.arrives_on, stay.arrival_time)
            runs.setdefault(key, PickupRun(stay.arrives_on, stay.arrival_time, [])).stays.append(
                stay
            )
    return stays, list(runs.values())


def programme_days(meetings: Iterable[Meeting]) -> list[tuple[dt.date, list[Meeting]]]:
    """Sessions grouped by their Helsinki date, cancelled ones left out."""
    days: dict[dt.date, list[Meeting]] = {}
    for meeting in sorted(meetings, key=lambda meeting: meeting.starts_at):
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        days.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    return list(days.items())
