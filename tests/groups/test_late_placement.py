"""Someone placed from the waiting list after meeting 3 of 13 counts from meeting 4 on: the
registers, the reports, the certificates and the reach-out list agree. The register offers
"all present" and refuses meetings that have not started."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.exceptions import AttendanceError
from groups.models import Attendance, Enrolment, Group
from groups.selectors.portal import meeting_register, reach_out_list
from groups.selectors.reports import group_figures, report_groups
from groups.services.attendance import attendance_record_bulk
from tests.factories import (
    AttendanceFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=200)


@pytest.fixture
def season(facilitator):
    """13 weekly meetings, all held. Early came to 10 of 13 (absent at 1, 2 and 3). Late was
    enrolled long ago, waited, and got a place between meetings 3 and 4; came to all 10 after."""
    group = GroupFactory(status=Group.Status.RUNNING, facilitator_1=facilitator)
    now = timezone.now()
    meetings = [
        MeetingFactory(group=group, starts_at=now - dt.timedelta(weeks=13 - number, days=1))
        for number in range(13)
    ]
    early = EnrolmentFactory(group=group, display_name="Alusta asti")
    late = EnrolmentFactory(group=group, display_name="Jonosta paikan saanut")
    placed = meetings[2].ends_at + dt.timedelta(days=2)
    Enrolment.objects.filter(pk=early.pk).update(created_at=LONG_AGO, placed_at=LONG_AGO)
    Enrolment.objects.filter(pk=late.pk).update(created_at=LONG_AGO, placed_at=placed)
    for number, meeting in enumerate(meetings, start=1):
        AttendanceFactory(
            meeting=meeting, enrolment=early, status="absent" if number <= 3 else "present"
        )
        if number > 3:
            AttendanceFactory(meeting=meeting, enrolment=late, status="present")
    early.refresh_from_db()
    late.refresh_from_db()
    return {"group": group, "meetings": meetings, "early": early, "late": late}


def test_placed_after_meeting_3_counts_from_meeting_4_in_the_report(season):
    figures = group_figures(groups=report_groups())[season["group"].pk]

    # By hand: Early 10 of 13, Late 10 of the 10 meetings after the place was given.
    assert figures.expected == 13 + 10
    assert figures.attended == 10 + 10
    assert figures.attendance_rate == round(100 * 20 / 23, 1)
    # Meeting 1: only Early was expected, and was absent; meeting 4: both came.
    assert figures.per_meeting[0] == (1, 0.0)
    assert figures.per_meeting[3] == (4, 100.0)
    # Both came to at least two thirds of their own meetings.
    assert figures.completion_rate == 100.0


def test_someone_placed_late_has_a_full_rate_of_their_own(season):
    Attendance.objects.filter(enrolment=season["early"]).delete()
    Enrolment.objects.filter(pk=season["early"].pk).update(status="cancelled")

    figures = group_figures(groups=report_groups())[season["group"].pk]

    assert figures.attendance_rate == 100.0


def test_registers_list_them_only_from_the_first_meeting_after_the_place(
    client, facilitator, season
):
    meetings, late = season["meetings"], season["late"]
    client.force_login(facilitator)

    third = client.get(reverse("portal:register", args=[meetings[2].pk])).content.decode()
    fourth = client.get(reverse("portal:register", args=[meetings[3].pk])).content.decode()

    assert "Jonosta paikan saanut" not in third
    assert "Jonosta paikan saanut" in fourth
    assert late not in meeting_register(meeting=meetings[2])
    with pytest.raises(AttendanceError):
        attendance_record_bulk(meeting=meetings[2], statuses={late.pk: "absent"}, user=facilitator)


def test_absences_marked_before_the_place_do_not_reach_out(season):
    # Rows an older register let someone record before the person had a place.
    meetings, late = season["meetings"], season["late"]
    for meeting in meetings[:3]:
        AttendanceFactory(meeting=meeting, enrolment=late, status="absent")

    people = {run.enrolment.pk for run in reach_out_list(group=season["group"])}

    assert late.pk not in people
    assert season["early"].pk in people  # absent at 1, 2 and 3 with a place all along


def test_all_present_marks_everyone_unmarked_and_keeps_what_was_chosen(client, facilitator):
    group = GroupFactory(status=Group.Status.RUNNING, facilitator_1=facilitator)
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(hours=2))
    anna, ben, cai = (
        EnrolmentFactory(group=group, display_name=name) for name in ("Anna", "Ben", "Cai")
    )
    Enrolment.objects.filter(group=group).update(created_at=LONG_AGO)
    AttendanceFactory(meeting=meeting, enrolment=cai, status="excused")
    client.force_login(facilitator)
    url = reverse("portal:register", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert 'name="all_present"' in page
    response = client.post(url, {f"status-{ben.pk}": "absent", "all_present": "on"})

    assert response.status_code == 302
    statuses = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert statuses == {anna.pk: "present", ben.pk: "absent", cai.pk: "excused"}


def test_a_meeting_in_the_future_cannot_be_marked(client, facilitator):
    group = GroupFactory(status=Group.Status.RUNNING, facilitator_1=facilitator)
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=2))
    anna = EnrolmentFactory(group=group, display_name="Anna")
    Enrolment.objects.filter(pk=anna.pk).update(created_at=LONG_AGO)
    client.force_login(facilitator)
    url = reverse("portal:register", args=[meeting.pk])

    page = client.get(url).content.decode()
    client.post(url, {f"status-{anna.pk}": "present"})

    assert "Save register" not in page and "Tallenna" not in page
    assert 'name="all_present"' not in page
    assert "Anna" in page
    assert not Attendance.objects.exists()
    with pytest.raises(AttendanceError) as refused:
        attendance_record_bulk(meeting=meeting, statuses={anna.pk: "present"}, user=facilitator)
    assert refused.value.code == "future"
