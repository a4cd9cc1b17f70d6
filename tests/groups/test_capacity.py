"""Capacity: one rule for places left (`groups.capacity`), shown alike by the catalogue, used by
the enrolment service under the group lock, and counted by the reports; the lock itself."""

import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import CourseFormat
from groups.capacity import group_lock, place_counts, places_left
from groups.models import Enrolment, Group
from groups.selectors.catalogue import upcoming_groups
from groups.selectors.reports import report_groups
from tests.factories import CoursePageFactory, GroupFactory, RoomFactory, VenueFactory, enrol

pytestmark = pytest.mark.django_db

STATUSES = [
    Enrolment.Status.PENDING,
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.OFFERED,
    Enrolment.Status.WAITLISTED,
    Enrolment.Status.CANCELLED,
    Enrolment.Status.DECLINED,
    Enrolment.Status.COMPLETED,
]

a_group = st.fixed_dictionaries(
    {
        "capacity": st.integers(min_value=5, max_value=10),
        "residential": st.booleans(),
        # The venue's rooms and their beds: none entered, or a few rooms.
        "beds": st.lists(st.integers(min_value=1, max_value=4), max_size=3),
        "statuses": st.lists(st.sampled_from(STATUSES), max_size=14),
    }
)


def _expected_places_left(spec: dict) -> int:
    """The rule written out once more, as a coordinator would state it, to check against."""
    limit = spec["capacity"]
    if spec["residential"] and spec["beds"]:
        limit = min(limit, sum(spec["beds"]))
    held = sum(status in ("confirmed", "offered") for status in spec["statuses"])
    return max(limit - held, 0)


def test_catalogue_service_and_reports_agree_on_places_left(site_tree):
    """On random groups (weekly or residential, with or without beds entered, enrolments in
    every status), the catalogue's annotation, the count the enrolment service takes under the
    group lock and the reports give the same places left and waiting list; a newcomer gets a
    place exactly when a place is left and nobody waits."""
    courses = {
        False: CoursePageFactory(format=CourseFormat.WEEKLY),
        True: CoursePageFactory(format=CourseFormat.RESIDENTIAL),
    }
    people = itertools.count()

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(specs=st.lists(a_group, min_size=1, max_size=4))
    def check(specs: list[dict]) -> None:
        groups, now = {}, timezone.now()
        for spec in specs:
            venue = VenueFactory()
            for beds in spec["beds"]:
                RoomFactory(venue=venue, beds=beds)
            group = GroupFactory(
                course=courses[spec["residential"]],
                venue=venue,
                capacity=spec["capacity"],
                min_size=5,
                facilitator_1=None,
                facilitator_2=None,
            )
            Enrolment.objects.bulk_create(
                Enrolment(
                    group=group,
                    display_name=f"Osallistuja {n}",
                    email=f"satunnainen{n}@example.invalid",
                    consent_text_version="2026-1",
                    consented_at=now,
                    status=status,
                )
                for n, status in zip(people, spec["statuses"], strict=False)
            )
            groups[group.pk] = (group, spec)
        ids = list(groups)

        catalogue = {g.pk: g for g in upcoming_groups() if g.pk in groups}
        reports = {row.pk: row for row in report_groups(queryset=Group.objects.filter(pk__in=ids))}
        for pk, (group, spec) in groups.items():
            expected = _expected_places_left(spec)
            with transaction.atomic():
                counts = place_counts(group_lock(pk))
            waiting = spec["statuses"].count("waitlisted")
            assert counts.left == catalogue[pk].places_left == reports[pk].places_left == expected
            assert counts.waiting == catalogue[pk].waitlist_length == waiting

            newcomer = enrol(group, next(people))
            if expected and not waiting:
                assert newcomer.status == Enrolment.Status.CONFIRMED
            else:
                assert newcomer.status == Enrolment.Status.WAITLISTED

    check()


def test_the_count_for_one_group_is_one_query():
    group = GroupFactory(capacity=6)
    Enrolment.objects.bulk_create(
        Enrolment(group=group, display_name=str(n), email=f"{n}@x.invalid", status=status,
                  consent_text_version="1", consented_at=timezone.now())
        for n, status in enumerate(["confirmed", "offered", "waitlisted", "cancelled"])
    )  # fmt: skip
    group = Group.objects.select_related("course").get(pk=group.pk)

    with CaptureQueriesContext(connection) as queries:
        counts = place_counts(group, email="1@x.invalid")
    assert len(queries) == 1
    assert (counts.taken, counts.waiting, counts.same_contact, counts.left) == (2, 1, 1, 4)
    assert places_left(group) == 4


def test_an_unknown_group_cannot_be_locked():
    with pytest.raises(Group.DoesNotExist), transaction.atomic():
        group_lock(0)


@pytest.mark.postgres
def test_the_exclusive_lock_is_for_update_and_the_shared_one_for_share_of_the_group_only():
    group = GroupFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        group_lock(group.pk)
        group_lock(group.pk, shared=True)
    exclusive, shared = (query["sql"] for query in queries.captured_queries)
    assert exclusive.endswith('FOR UPDATE OF "groups_group"')
    assert shared.endswith('FOR SHARE OF "groups_group"')
    assert exclusive.removesuffix('UPDATE OF "groups_group"') == shared.removesuffix(
        'SHARE OF "groups_group"'
    )
