"""The enrolment POST is the hot path of a campaign: its locked transaction stays short."""

import pytest
from wagtail.models import ReferenceIndex

from groups.models import Enrolment
from groups.services.enrolment import enrolment_create
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

# Duplicate check (before the lock), then the savepoint, lock, one count of places and queue,
# insert, audit entry (with Wagtail's content type check, and the content type itself on its
# first use in the process), one outbox insert and the release. The reference index used to add
# eight more; get_or_create for the outbox row three more and the model's constraint check three
# more (the database enforces the constraints).
MAX_QUERIES = 10


def test_an_enrolment_is_written_in_a_few_queries_without_touching_the_reference_index(
    django_assert_max_num_queries,
):
    group = GroupFactory(status="open", capacity=10)
    references = ReferenceIndex.objects.count()

    with django_assert_max_num_queries(MAX_QUERIES):
        enrolment = enrolment_create(
            group_id=group.pk,
            display_name="Kiireinen Kaisa",
            email="kaisa@example.invalid",
            consent_text_version="2026-1",
        )

    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.outbox_messages.count() == 1
    assert ReferenceIndex.objects.count() == references
