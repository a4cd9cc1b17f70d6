"""A merge racing with public enrolments into its target never overbooks (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from cms.services.site import site_tree_ensure
from groups.models import Enrolment, Group
from groups.services.enrolment import enrolment_create
from groups.services.merge import group_merge
from tests.factories import CoursePageFactory, EnrolmentFactory, GroupFactory, MeetingFactory

NEWCOMERS = 20
CAPACITY = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_merge_and_twenty_enrolments_at_once_fill_the_target_exactly():
    assert connection.vendor == "postgresql"
    site_tree_ensure()  # a transactional test starts from an emptied database
    course = CoursePageFactory()
    soon = timezone.now() + dt.timedelta(days=10)
    source = GroupFactory(course=course, capacity=10, min_size=5)
    target = GroupFactory(course=course, capacity=CAPACITY, min_size=5)
    for group in (source, target):
        MeetingFactory(group=group, starts_at=soon)
    for n in range(4):
        EnrolmentFactory(group=source, email=f"mover{n}@example.invalid")
    for n in range(4):
        EnrolmentFactory(group=target, email=f"member{n}@example.invalid")
    barrier = threading.Barrier(NEWCOMERS + 1)
    errors: list[BaseException] = []

    def run(work) -> None:
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as error:  # every failure must be seen
            errors.append(error)
        finally:
            connections.close_all()

    def enrol(n: int):
        return lambda: enrolment_create(
            group_id=target.pk,
            display_name=f"Tulija {n}",
            email=f"new{n}@example.invalid",
            consent_text_version="2026-1",
        )

    def merge():
        group_merge(source=source, target=target, user=None)

    threads = [threading.Thread(target=run, args=(merge,))]
    threads += [threading.Thread(target=run, args=(enrol(n),)) for n in range(NEWCOMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = list(target.enrolments.values_list("status", flat=True))
    held = sum(status in Enrolment.HOLDS_PLACE for status in statuses)
    assert held == CAPACITY  # full, never over
    assert len(statuses) == 4 + 4 + NEWCOMERS  # nobody lost: the rest wait
    assert statuses.count(Enrolment.Status.WAITLISTED) == 4 + NEWCOMERS - (CAPACITY - 4)
    assert Group.objects.get(pk=source.pk).status == Group.Status.CANCELLED
