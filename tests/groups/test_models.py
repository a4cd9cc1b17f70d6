import pytest
from django.db import IntegrityError, transaction

from groups.models import Enrolment
from tests.factories import EnrolmentFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_group_cannot_have_the_same_person_as_both_facilitators():
    person = UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        GroupFactory(facilitator_1=person, facilitator_2=person)


def test_minimum_size_cannot_exceed_capacity():
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupFactory(capacity=5, min_size=6)


def test_an_enrolment_needs_an_email_or_a_phone():
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(email="", phone="")


def test_a_phone_number_alone_is_enough_contact():
    enrolment = EnrolmentFactory(email="", phone="+358401234567")

    assert enrolment.pk is not None


def test_the_same_contact_cannot_enrol_twice_in_one_group_but_can_after_cancelling():
    first = EnrolmentFactory(email="same@example.invalid")

    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(group=first.group, email="same@example.invalid")

    first.status = Enrolment.Status.CANCELLED
    first.save(update_fields=["status"])
    again = EnrolmentFactory(group=first.group, email="same@example.invalid")
    assert again.pk != first.pk


def test_manage_tokens_are_long_and_unique():
    tokens = {EnrolmentFactory().manage_token for _ in range(5)}

    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)
