"""Both facilitators save the same register at the same moment (real row locks)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from groups.models import Attendance, Enrolment
from groups.services.attendance import attendance_record_bulk
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_facilitators_saving_at_once_both_succeed_and_one_register_wins(site_tree):
    group = GroupFactory()
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(hours=2))
    people = [EnrolmentFactory(group=group) for _ in range(6)]
    Enrolment.objects.update(created_at=timezone.now() - dt.timedelta(days=30))
    submissions = {
        group.facilitator_1: {person.pk: "present" for person in people},
        group.facilitator_2: {person.pk: "absent" for person in people},
    }
    start = threading.Barrier(2)
    errors = []

    def save(user, statuses):
        try:
            start.wait()
            attendance_record_bulk(meeting=meeting, statuses=statuses, user=user)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=item) for item in submissions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = list(Attendance.objects.filter(meeting=meeting))
    assert len(rows) == 6
    # One whole register won: never a mix of the two.
    assert len({(row.status, row.recorded_by_id) for row in rows}) == 1
