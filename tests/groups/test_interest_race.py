"""Places kept for interests under real concurrency (PostgreSQL row locks): no place is
promised twice and capacity holds while a group opens to interests and newcomers at once."""

import threading

import pytest
from django.db import connection, connections

from cms.services.site import site_tree_ensure
from groups.capacity import place_counts
from groups.models import Enrolment, OutboxMessage, PlaceHold
from groups.services.enrolment import enrolment_create
from groups.services.interest import holds_give, interest_create
from tests.factories import CrisisCentreFactory, GroupFactory

PLACES = 10
INTERESTS = 30
NEWCOMERS = 20
MATCHERS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_interests_and_newcomers_at_once_never_overbook_and_no_place_is_kept_twice():
    assert connection.vendor == "postgresql"
    site_tree_ensure()
    centre = CrisisCentreFactory(name="Joensuun kriisikeskus", city="Joensuu")
    first = GroupFactory(centre=centre, capacity=PLACES, min_size=5)
    # A second group of the same course and town opens at the same moment: both match the
    # same interests, and each interest may hold one place at a time.
    second = GroupFactory(centre=centre, course=first.course, capacity=PLACES, min_size=5)
    for n in range(INTERESTS):
        interest_create(
            topic_key=first.course.topic.translation_key,
            towns=["Joensuu"],
            online=False,
            language="fi",
            display_name=f"Odottaja {n}",
            email=f"wait{n}@example.invalid",
            consent_text_version="2026-1",
        )
    barrier = threading.Barrier(NEWCOMERS + 2 * MATCHERS)
    errors: list[BaseException] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=30)
            action()
        except BaseException as error:  # every failure must be seen
            errors.append(error)
        finally:
            connections.close_all()

    def newcomer(n: int):
        return lambda: enrolment_create(
            group_id=first.pk,
            display_name=f"Uusi {n}",
            email=f"new{n}@example.invalid",
            consent_text_version="2026-1",
        )

    actions = [newcomer(n) for n in range(NEWCOMERS)]
    actions += [lambda: holds_give(group_id=first.pk) for _ in range(MATCHERS)]
    actions += [lambda: holds_give(group_id=second.pk) for _ in range(MATCHERS)]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    open_holds = PlaceHold.objects.filter(status=PlaceHold.Status.OPEN)
    confirmed = Enrolment.objects.filter(group=first, status=Enrolment.Status.CONFIRMED).count()
    held_first = open_holds.filter(group=first).count()
    # The first group: every place given exactly once, to a newcomer or a kept place.
    assert confirmed + held_first == PLACES
    assert place_counts(first).left == 0
    # The second group (no newcomers): all its places kept, for other people than the first's.
    assert open_holds.filter(group=second).count() == PLACES
    interests = list(open_holds.values_list("interest_id", flat=True))
    assert len(interests) == len(set(interests))  # nobody holds two places
    # Each kept place was told once, to its own person.
    told = OutboxMessage.objects.filter(template="interest_place_kept")
    assert told.count() == open_holds.count()
    assert set(told.values_list("interest_id", flat=True)) == set(interests)


@pytest.mark.postgres
@pytest.mark.django_db
def test_matching_walks_the_interest_index_oldest_first_not_the_whole_table(site_tree):
    from groups.selectors.interest import group_for_matching, interests_matching
    from tests.bench.run import _interests_seed

    centre = CrisisCentreFactory(name="Joensuun kriisikeskus", city="Joensuu")
    for city in ("Helsinki", "Tampere", "Turku", "Oulu", "Kuopio"):
        CrisisCentreFactory(name=f"{city} kriisikeskus", city=city)
    group = GroupFactory(centre=centre, capacity=PLACES, min_size=5)
    _interests_seed(20_000, group=group)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE groups_interest; ANALYZE groups_interesttown")

    group = group_for_matching().get(pk=group.pk)
    plan = interests_matching(group=group)[:PLACES].explain()

    assert "interest_match_idx" in plan, plan
    assert "Seq Scan on groups_interest " not in plan, plan
