"""Residential intensive courses: beds, stays, room allocation, meals, e-mails, erasure."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from courses.models import CourseFormat
from groups import tasks
from groups.capacity import groups_with_places
from groups.exceptions import AllocationError, StayError
from groups.models import Enrolment, Meeting, OutboxMessage, Stay
from groups.selectors.residential import allergy_summary, arrivals, meal_counts
from groups.services.enrolment import enrolment_cancel, enrolment_create
from groups.services.residential import (
    programme_session_add,
    rooms_allocate,
    stay_reminders_queue,
    stay_update,
    stays_erase,
)
from groups.services.schedule import HELSINKI
from tests.factories import (
    CoursePageFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    RoomFactory,
    StayFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Service errors are in the active language; these tests read them in English."""
    with translation.override("en"):
        yield


# A weekend some months ahead (a fixed date would become an ended group as time passes).
_TODAY = dt.date.today()
FRIDAY = _TODAY + dt.timedelta(days=90 + (4 - _TODAY.weekday()) % 7)
SATURDAY = FRIDAY + dt.timedelta(days=1)
SUNDAY = FRIDAY + dt.timedelta(days=2)


def residential_group(*, beds=(2, 2), starts_on=FRIDAY, ends_on=SUNDAY, **kwargs):
    venue = VenueFactory(
        name="Kurssikeskus Kuusela",
        city="Jyväskylä",
        address="Rantatie 1",
        arrival_instructions_fi="Bussi 12 asemalta.",
        arrival_instructions_sv="Buss 12 från stationen.",
    )
    for number, count in enumerate(beds, start=1):
        RoomFactory(venue=venue, name=f"Huone {number}", beds=count)
    course = CoursePageFactory(format=CourseFormat.RESIDENTIAL)
    return GroupFactory(course=course, venue=venue, starts_on=starts_on, ends_on=ends_on, **kwargs)


def enrol(group, n: int, **stay) -> Enrolment:
    return enrolment_create(
        group_id=group.pk,
        display_name=f"Osallistuja {n}",
        email=f"r{n}@example.invalid",
        consent_text_version="2026-1",
        stay=stay,
    )


# --- Capacity ---------------------------------------------------------------------------------


def test_beds_run_out_before_places(site_tree):
    group = residential_group(beds=(2, 1), capacity=10)

    statuses = [enrol(group, n).status for n in range(5)]

    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2
    annotated = groups_with_places().get(pk=group.pk)
    assert annotated.places_taken == 3
    assert annotated.places_left == 0


def test_places_run_out_before_beds(site_tree):
    group = residential_group(beds=(4, 4), capacity=5, min_size=5)
    statuses = [enrol(group, n).status for n in range(6)]
    assert statuses.count("confirmed") == 5
    assert groups_with_places().get(pk=group.pk).places_left == 0


def test_a_venue_without_rooms_entered_does_not_limit_places(site_tree):
    group = residential_group(beds=(), capacity=6, min_size=5)
    assert groups_with_places().get(pk=group.pk).places_left == 6
    assert enrol(group, 1).status == "confirmed"


def test_beds_do_not_limit_a_weekly_group_meeting_at_a_venue(site_tree):
    venue = VenueFactory()
    RoomFactory(venue=venue, beds=1)
    group = GroupFactory(venue=venue, capacity=6, min_size=5)
    assert groups_with_places().get(pk=group.pk).places_left == 6


# --- Stays ------------------------------------------------------------------------------------


def test_enrolment_in_a_residential_course_gets_a_stay_for_the_whole_course(site_tree):
    group = residential_group()
    enrolment = enrol(group, 1, gluten_free=True, pickup_wanted=True, travel_mode="train")
    stay = enrolment.stay
    assert (stay.arrives_on, stay.departs_on) == (FRIDAY, SUNDAY)
    assert stay.gluten_free and stay.pickup_wanted
    assert stay.travel_mode == Stay.Travel.TRAIN


def test_a_stay_outside_the_course_dates_is_refused_and_nothing_is_saved(site_tree):
    group = residential_group()
    with pytest.raises(StayError):
        enrol(group, 1, arrives_on=FRIDAY - dt.timedelta(days=1))
    assert not Enrolment.objects.filter(group=group).exists()


def test_weekly_groups_get_no_stay(site_tree):
    enrolment = enrolment_create(
        group_id=GroupFactory().pk,
        display_name="Viikko",
        email="viikko@example.invalid",
        consent_text_version="2026-1",
    )
    assert not Stay.objects.filter(enrolment=enrolment).exists()


def test_participant_updates_the_stay(site_tree):
    group = residential_group()
    enrolment = enrol(group, 1)
    stay_update(enrolment_id=enrolment.pk, diet="vegan", departs_on=SATURDAY)
    stay = Stay.objects.get(enrolment=enrolment)
    assert stay.diet == "vegan"
    assert stay.departs_on == SATURDAY
    enrolment_cancel(enrolment_id=enrolment.pk)
    with pytest.raises(StayError):
        stay_update(enrolment_id=enrolment.pk, diet="")


# --- Room allocation --------------------------------------------------------------------------


def stay_in(group, name="", **fields):
    enrolment = EnrolmentFactory(group=group, display_name=name or "Osallistuja")
    return StayFactory(enrolment=enrolment, **fields)


def test_a_room_takes_no_more_people_than_it_has_beds(site_tree):
    group = residential_group(beds=(2,))
    room = group.venue.rooms.get()
    stays = [stay_in(group) for _ in range(3)]

    with pytest.raises(AllocationError) as raised:
        rooms_allocate(group_id=group.pk, allocation={s.enrolment_id: room.pk for s in stays})

    assert set(raised.value.errors) == {s.enrolment_id for s in stays}
    assert "2 beds but 3 people" in raised.value.errors[stays[0].enrolment_id][0]
    assert not Stay.objects.filter(room__isnull=False).exists()


def test_accessible_rooms_go_to_those_who_need_them(site_tree):
    group = residential_group(beds=(2, 2))
    plain, accessible = group.venue.rooms.order_by("name")
    accessible.accessible = True
    accessible.save(update_fields=["accessible"])
    needs = stay_in(group, accessible_room=True)

    with pytest.raises(AllocationError) as raised:
        rooms_allocate(group_id=group.pk, allocation={needs.enrolment_id: plain.pk})
    assert "accessible" in raised.value.errors[needs.enrolment_id][0]

    rooms_allocate(group_id=group.pk, allocation={needs.enrolment_id: accessible.pk})
    needs.refresh_from_db()
    assert needs.room == accessible


def test_a_single_room_need_is_respected(site_tree):
    group = residential_group(beds=(2, 2))
    shared_only, single = group.venue.rooms.order_by("name")
    shared_only.single_use = False
    shared_only.save(update_fields=["single_use"])
    alone = stay_in(group, single_room=Stay.SingleRoom.SLEEP)
    other = stay_in(group)

    with pytest.raises(AllocationError) as raised:
        rooms_allocate(
            group_id=group.pk,
            allocation={alone.enrolment_id: single.pk, other.enrolment_id: single.pk},
        )
    assert "other people" in raised.value.errors[alone.enrolment_id][0]
    with pytest.raises(AllocationError) as raised:
        rooms_allocate(group_id=group.pk, allocation={alone.enrolment_id: shared_only.pk})
    assert "cannot be used as one" in raised.value.errors[alone.enrolment_id][0]

    rooms_allocate(
        group_id=group.pk,
        allocation={alone.enrolment_id: single.pk, other.enrolment_id: shared_only.pk},
    )
    assert Stay.objects.filter(room=single).count() == 1


def test_a_room_of_another_venue_is_refused(site_tree):
    group = residential_group()
    stranger = RoomFactory()
    stay = stay_in(group)
    with pytest.raises(AllocationError) as raised:
        rooms_allocate(group_id=group.pk, allocation={stay.enrolment_id: stranger.pk})
    assert stay.enrolment_id in raised.value.errors


# --- Meals and arrivals -----------------------------------------------------------------------


def test_meal_counts_on_a_known_set(site_tree):
    group = residential_group()
    saturday = SATURDAY
    stay_in(group, diet="vegetarian")  # Friday to Sunday
    stay_in(group, diet="vegan", gluten_free=True, departs_on=saturday)
    stay_in(group, lactose_free=True, allergies="Pähkinä", arrives_on=saturday)
    StayFactory(enrolment=EnrolmentFactory(group=group, status=Enrolment.Status.CANCELLED))

    counts = {(row.day, row.meal): row for row in meal_counts(group=group)}

    friday_lunch = counts[(FRIDAY, "lunch")]
    assert (friday_lunch.total, friday_lunch.vegetarian, friday_lunch.vegan) == (2, 1, 1)
    assert (FRIDAY, "breakfast") not in counts
    saturday_breakfast = counts[(saturday, "breakfast")]
    assert (saturday_breakfast.total, saturday_breakfast.gluten_free) == (2, 1)
    saturday_lunch = counts[(saturday, "lunch")]
    assert saturday_lunch.total == 3
    assert (saturday_lunch.gluten_free, saturday_lunch.lactose_free) == (1, 1)
    assert saturday_lunch.allergies == 1
    saturday_dinner = counts[(saturday, "dinner")]
    assert (saturday_dinner.total, saturday_dinner.vegan) == (2, 0)
    assert counts[(SUNDAY, "breakfast")].total == 2
    assert counts[(SUNDAY, "lunch")].total == 2
    assert (SUNDAY, "dinner") not in counts
    assert sum(row.total for row in counts.values()) == 4 + 7 + 4
    assert allergy_summary(group=group) == [("pähkinä", 1)]


def test_arrivals_group_pickups_by_date_and_time(site_tree):
    group = residential_group()
    at_two = dt.time(14, 0)
    first = stay_in(group, "Aino", pickup_wanted=True, arrival_time=at_two, travel_mode="train")
    second = stay_in(group, "Bertta", pickup_wanted=True, arrival_time=at_two)
    stay_in(group, "Cecilia", pickup_wanted=False, arrival_time=dt.time(9, 0))
    late = stay_in(group, "Daniel", pickup_wanted=True, arrival_time=dt.time(18, 0))

    stays, runs = arrivals(group=group)

    assert [stay.enrolment.display_name for stay in stays] == [
        "Cecilia",
        "Aino",
        "Bertta",
        "Daniel",
    ]
    assert [(run.time, [s.pk for s in run.stays]) for run in runs] == [
        (at_two, [first.pk, second.pk]),
        (dt.time(18, 0), [late.pk]),
    ]


# --- Data minimisation ------------------------------------------------------------------------


def test_stays_erase_blanks_personal_details_and_keeps_counts(site_tree):
    group = residential_group()
    room = group.venue.rooms.first()
    stay = stay_in(
        group,
        diet="vegan",
        gluten_free=True,
        allergies="Kala",
        roommate_wish="Aino",
        single_room="health",
        travel_mode="train",
        arrival_time=dt.time(15, 0),
        pickup_wanted=True,
        accessible_room=True,
        room=room,
    )
    kept = stay_in(group, diet="vegan")
    before = sum(row.total for row in meal_counts(group=group))

    assert stays_erase(enrolment_ids=[stay.enrolment_id]) == 1
    assert stays_erase(enrolment_ids=[stay.enrolment_id]) == 0

    stay.refresh_from_db()
    assert stay.erased_at is not None
    assert (stay.diet, stay.allergies, stay.roommate_wish, stay.single_room) == ("", "", "", "")
    assert (stay.travel_mode, stay.arrival_time, stay.room) == ("", None, None)
    assert not (stay.gluten_free or stay.pickup_wanted or stay.accessible_room)
    assert (stay.arrives_on, stay.departs_on) == (FRIDAY, SUNDAY)
    assert sum(row.total for row in meal_counts(group=group)) == before
    kept.refresh_from_db()
    assert kept.diet == "vegan"


# --- E-mails ----------------------------------------------------------------------------------


def programme(group):
    for day, hour, title in ((FRIDAY, 12, "Tervetuloa"), (SATURDAY, 9, "Metsäkävely")):
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)
        MeetingFactory(
            group=group, starts_at=start, ends_at=start + dt.timedelta(hours=2), title=title
        )


def test_confirmation_names_the_venue_arrival_instructions_and_programme(
    django_capture_on_commit_callbacks, site_tree
):
    group = residential_group()
    programme(group)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(
            group_id=group.pk,
            display_name="Saga",
            email="saga@example.invalid",
            language="sv",
            consent_text_version="2026-1",
            stay={"pickup_wanted": True, "travel_mode": "train", "arrival_time": dt.time(11)},
        )

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    for body in (sent.body, sent.alternatives[0][0]):
        assert "Kurssikeskus Kuusela" in body
        assert "Rantatie 1, Jyväskylä" in body
        assert "Buss 12 från stationen." in body
        assert "Tervetuloa" in body and "Metsäkävely" in body
        assert "12.00" in body
        assert "Tåg" in body
        assert "09 2525 0112" in body


def test_stay_reminder_goes_once_a_week_before(django_capture_on_commit_callbacks, site_tree):
    today = timezone.localdate()
    soon = residential_group(
        starts_on=today + dt.timedelta(days=7), ends_on=today + dt.timedelta(9)
    )
    later = residential_group(
        starts_on=today + dt.timedelta(days=20), ends_on=today + dt.timedelta(22)
    )
    going = EnrolmentFactory(group=soon)
    StayFactory(enrolment=going, travel_mode="bus", arrival_time=dt.time(16, 30))
    StayFactory(enrolment=EnrolmentFactory(group=later))
    waiting = EnrolmentFactory(group=soon, status=Enrolment.Status.WAITLISTED)
    StayFactory(enrolment=waiting)

    with django_capture_on_commit_callbacks(execute=True):
        stay_reminders_queue()
        tasks.stay_reminders_queue()

    reminders = OutboxMessage.objects.filter(template="stay_reminder")
    assert list(reminders.values_list("enrolment_id", flat=True)) == [going.pk]
    assert len(mail.outbox) == 1
    assert "16:30" in mail.outbox[0].body
    assert "Bussi" in mail.outbox[0].body


@pytest.mark.parametrize("people", [1, 4])
def test_stay_reminders_take_the_same_queries_for_any_number_of_people(
    people, site_tree, django_assert_num_queries
):
    today = timezone.localdate()
    group = residential_group(
        starts_on=today + dt.timedelta(days=7), ends_on=today + dt.timedelta(9)
    )
    for _ in range(people):
        StayFactory(enrolment=EnrolmentFactory(group=group))

    # The transaction's savepoint and release, the people with their groups, venues and stays,
    # the programmes; then per person only the outbox row (its key looked up, then a savepoint,
    # the insert and the release).
    with django_assert_num_queries(2 + 2 + 4 * people):
        assert stay_reminders_queue() == people


def test_a_programme_change_tells_everyone_holding_a_place(
    django_capture_on_commit_callbacks, site_tree
):
    group = residential_group()
    holders = [EnrolmentFactory(group=group) for _ in range(2)]
    EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        session = programme_session_add(
            group=group,
            day=SATURDAY,
            starts=dt.time(19),
            ends=dt.time(20, 30),
            title="Iltanuotio",
        )

    assert session.title == "Iltanuotio"
    assert session.ends_at - session.starts_at == dt.timedelta(minutes=90)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(h.email for h in holders)
    assert "Iltanuotio" in mail.outbox[0].body
    group.refresh_from_db()
    assert group.starts_on == SATURDAY
    assert Meeting.objects.filter(group=group).count() == 1


def test_sessions_of_a_residential_course_get_no_day_before_reminders(site_tree):
    from groups.services.outbox import meeting_reminders_queue

    group = residential_group()
    EnrolmentFactory(group=group)
    start = timezone.now() + dt.timedelta(hours=3)
    MeetingFactory(group=group, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    assert meeting_reminders_queue() == 0
    assert not OutboxMessage.objects.filter(template="reminder").exists()
