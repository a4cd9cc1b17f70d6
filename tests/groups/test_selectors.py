import pytest

from groups.models import Enrolment
from groups.selectors import groups_with_places
from tests.factories import EnrolmentFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_places_left_counts_confirmed_and_offered_but_not_waiting_or_cancelled():
    group = GroupFactory(capacity=5)
    for status in ["confirmed", "confirmed", "offered", "waitlisted", "cancelled", "pending"]:
        EnrolmentFactory(group=group, status=status)

    annotated = groups_with_places().get(pk=group.pk)

    assert annotated.places_taken == 3
    assert annotated.places_left == 2
    assert annotated.waitlist_length == 1


def test_places_left_never_goes_below_zero():
    group = GroupFactory(capacity=1, min_size=1)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)

    assert groups_with_places().get(pk=group.pk).places_left == 0
