"""Capacity under real concurrency: only PostgreSQL has row locks and parallel writers."""

import contextlib
import threading

import pytest
from django.db import connection, connections

from cms.services.site import site_tree_ensure
from groups.models import Enrolment
from groups.services.enrolment import enrolment_create
from tests.factories import GroupFactory

PEOPLE = 50
PLACES = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_people_at_once_for_ten_places_fill_exactly_ten():
    assert connection.vendor == "postgresql"
    site_tree_ensure()  # a transactional test starts from an emptied database
    group = GroupFactory(capacity=PLACES, min_size=5)
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def enrol(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            enrolment_create(
                group_id=group.pk,
                display_name=f"Kilpailija {n}",
                email=f"race{n}@example.invalid",
                consent_text_version="2026-1",
            )
        except BaseException as error:  # every failure must be seen
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = list(group.enrolments.values_list("status", flat=True))
    assert statuses.count(Enrolment.Status.CONFIRMED) == PLACES
    assert statuses.count(Enrolment.Status.WAITLISTED) == PEOPLE - PLACES
    assert len(statuses) == PEOPLE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_email_twice_at_once_gives_one_enrolment_and_one_kind_refusal():
    site_tree_ensure()
    group = GroupFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def enrol() -> None:
        try:
            barrier.wait(timeout=30)
            enrolment_create(
                group_id=group.pk,
                display_name="Sama",
                email="same@example.invalid",
                consent_text_version="2026-1",
            )
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(getattr(error, "code", repr(error)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["duplicate", "ok"]
    assert group.enrolments.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_people_at_once_for_four_beds_fill_exactly_four():
    from courses.models import CourseFormat
    from tests.factories import CoursePageFactory, RoomFactory, VenueFactory

    site_tree_ensure()
    venue = VenueFactory()
    RoomFactory(venue=venue, beds=2)
    RoomFactory(venue=venue, beds=2)
    course = CoursePageFactory(format=CourseFormat.RESIDENTIAL)
    group = GroupFactory(course=course, venue=venue, capacity=PLACES, min_size=2)
    people = 20
    barrier = threading.Barrier(people)
    errors: list[BaseException] = []

    def enrol(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            enrolment_create(
                group_id=group.pk,
                display_name=f"Vieras {n}",
                email=f"bed{n}@example.invalid",
                consent_text_version="2026-1",
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = list(group.enrolments.values_list("status", flat=True))
    assert statuses.count(Enrolment.Status.CONFIRMED) == 4
    assert statuses.count(Enrolment.Status.WAITLISTED) == people - 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_enrolment_lock_holds_the_group_row_but_leaves_the_course_page_free():
    """Only the group row is locked: enrolments into other groups of the course and an editor
    publishing the course page do not wait for it."""
    from django.db import OperationalError, transaction

    from courses.models import CoursePage
    from groups.capacity import group_lock
    from groups.models import Group

    site_tree_ensure()
    group = GroupFactory()
    outcomes: dict[str, bool] = {}

    def try_locks() -> None:
        try:
            for name, model, pk in (
                ("course", CoursePage, group.course_id),
                ("group", Group, group.pk),
            ):
                try:
                    with transaction.atomic():
                        model.objects.select_for_update(nowait=True).get(pk=pk)
                    outcomes[name] = True
                except OperationalError:
                    outcomes[name] = False
        finally:
            connections.close_all()

    with transaction.atomic():
        group_lock(group.pk)
        other = threading.Thread(target=try_locks)
        other.start()
        other.join(timeout=30)

    assert outcomes == {"course": True, "group": False}


@contextlib.contextmanager
def _another_enrolment_sharing_the_lock(group_id: int):
    """Another person's enrolment, stopped while it holds the group row's shared lock."""
    from django.db import transaction

    from groups.capacity import group_lock
    from groups.selectors.enrolment import enrolment_post_queryset

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                group_lock(group_id, shared=True, queryset=enrolment_post_queryset())
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=30)
        yield
    finally:
        release.set()
        holder.join(timeout=30)


def _enrol_in_thread(group_id: int, n: int, outcomes: list) -> threading.Thread:
    def enrol() -> None:
        try:
            enrolment = enrolment_create(
                group_id=group_id,
                display_name=f"Jonottaja {n}",
                email=f"queue{n}@example.invalid",
                consent_text_version="2026-1",
            )
            outcomes.append(enrolment.status)
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    thread = threading.Thread(target=enrol)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_people_joining_the_queue_do_not_wait_for_each_other():
    """A full group: while one newcomer's transaction holds the row shared, the next one joins
    the queue at once; a change that could free a place waits for both."""
    from django.db import OperationalError, transaction

    from groups.models import Group

    site_tree_ensure()
    group = GroupFactory(capacity=1, min_size=1)
    enrolment_create(
        group_id=group.pk, display_name="Eka", email="eka@x.invalid", consent_text_version="1"
    )
    with _another_enrolment_sharing_the_lock(group.pk):
        outcomes: list = []
        _enrol_in_thread(group.pk, 1, outcomes).join(timeout=20)
        assert outcomes == [Enrolment.Status.WAITLISTED]

        with pytest.raises(OperationalError), transaction.atomic():
            Group.objects.select_for_update(nowait=True).get(pk=group.pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_free_place_is_given_under_the_exclusive_lock_after_the_shared_ones_end():
    """A newcomer who finds a place free under the shared lock starts again exclusively: it
    waits until nobody shares the row, then counts again and takes the place."""
    site_tree_ensure()
    group = GroupFactory(capacity=1, min_size=1)
    with _another_enrolment_sharing_the_lock(group.pk):
        outcomes: list = []
        newcomer = _enrol_in_thread(group.pk, 1, outcomes)
        newcomer.join(timeout=2)
        assert newcomer.is_alive()  # waiting for the exclusive lock
        assert outcomes == []
    newcomer.join(timeout=30)

    assert outcomes == [Enrolment.Status.CONFIRMED]
    assert group.enrolments.get().status == Enrolment.Status.CONFIRMED
