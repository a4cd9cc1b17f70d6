"""The report arithmetic done by the database keeps the rules of the known data set in
test_reports.py; these cover the cases that data set does not reach."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from groups.models import Enrolment, Group, Meeting
from groups.selectors.reports import group_figures, report_by, report_groups, report_selection
from tests.factories import AttendanceFactory, EnrolmentFactory, GroupFactory, MeetingFactory
from tests.groups.test_reports import known_group  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def held(group, days_ago):
    return [MeetingFactory(group=group, starts_at=NOW - dt.timedelta(days=d)) for d in days_ago]


def enrolled_long_ago(group, **kwargs):
    enrolment = EnrolmentFactory(group=group, **kwargs)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=NOW - dt.timedelta(days=90))
    return enrolment


def test_without_per_meeting_every_other_figure_is_the_same(known_group):  # noqa: F811
    groups = list(report_groups())
    full = group_figures(groups=groups)[known_group.pk]
    summed = group_figures(groups=groups, per_meeting=False)[known_group.pk]

    assert full.per_meeting and summed.per_meeting == []
    for name in ("participants", "expected", "attended", "completed", "taken", "waitlisted"):
        assert getattr(summed, name) == getattr(full, name)
    assert summed.dropouts_sorted == full.dropouts_sorted


def test_by_subquery_and_by_id_list_agree(known_group):  # noqa: F811
    selected = report_selection()
    groups = report_groups(queryset=selected)
    by_list = group_figures(groups=groups)[known_group.pk]
    by_subquery = group_figures(groups=groups, within=selected)[known_group.pk]
    assert vars(by_subquery) == vars(by_list)


def test_attendance_in_a_former_group_counts_in_neither_group():
    """A merge moves a person to another group; the register of the old group keeps their
    rows, which belong to neither group's figures."""
    old, new = GroupFactory(status="running"), GroupFactory(status="running")
    old_meetings, new_meetings = held(old, (21, 14)), held(new, (7,))
    moved = enrolled_long_ago(old, status="confirmed")
    stayed = enrolled_long_ago(old, status="confirmed")
    for meeting in old_meetings:
        AttendanceFactory(meeting=meeting, enrolment=moved, status="present")
        AttendanceFactory(meeting=meeting, enrolment=stayed, status="present")
    Enrolment.objects.filter(pk=moved.pk).update(group=new)
    AttendanceFactory(meeting=new_meetings[0], enrolment=moved, status="absent")

    figures = group_figures(groups=list(report_groups()))
    assert (figures[old.pk].expected, figures[old.pk].attended) == (2, 2)
    assert figures[old.pk].per_meeting == [(1, 100.0), (2, 100.0)]
    assert (figures[new.pk].expected, figures[new.pk].attended) == (1, 0)
    assert figures[new.pk].per_meeting == [(1, 0.0)]
    assert figures[new.pk].dropouts_sorted == []


def test_a_late_joiner_who_stops_coming_is_a_drop_out_at_their_own_missed_meeting():
    group = GroupFactory(status="running")
    meetings = held(group, (35, 28, 21, 14, 7))
    late = EnrolmentFactory(group=group, status="confirmed")
    # Joined after the first two meetings ended; came to the third, then missed two.
    Enrolment.objects.filter(pk=late.pk).update(created_at=NOW - dt.timedelta(days=25))
    AttendanceFactory(meeting=meetings[2], enrolment=late, status="remote")
    AttendanceFactory(meeting=meetings[0], enrolment=late, status="present")  # before joining

    figures = group_figures(groups=list(report_groups()))[group.pk]
    assert (figures.participants, figures.expected, figures.attended) == (1, 3, 1)
    assert figures.completed == 0
    assert figures.dropouts_sorted == [(4, 1)]
    assert figures.per_meeting == [(1, None), (2, None), (3, 100.0), (4, 0.0), (5, 0.0)]


def test_completion_at_exactly_two_thirds_and_rows_that_sum():
    group = GroupFactory(status="completed")
    meetings = held(group, (30, 20, 10))
    two_of_three = enrolled_long_ago(group, status="completed")
    one_of_three = enrolled_long_ago(group, status="confirmed")
    never = enrolled_long_ago(group, status="confirmed")
    for meeting in meetings[:2]:
        AttendanceFactory(meeting=meeting, enrolment=two_of_three, status="present")
    AttendanceFactory(meeting=meetings[0], enrolment=one_of_three, status="present")
    AttendanceFactory(meeting=meetings[1], enrolment=never, status="excused")
    # Not taking part: their attendance never counts.
    gone = enrolled_long_ago(group, status="cancelled")
    AttendanceFactory(meeting=meetings[2], enrolment=gone, status="present")
    Group.objects.filter(pk=group.pk).update(capacity=6)

    figures = group_figures(groups=list(report_groups()))[group.pk]
    assert (figures.participants, figures.expected, figures.attended) == (3, 9, 3)
    assert figures.completed == 1
    # one_of_three came once, then missed two: a drop-out at meeting 2.
    assert figures.dropouts_sorted == [(2, 1)]
    assert figures.per_meeting == [(1, 66.7), (2, 33.3), (3, 0.0)]
    (row,) = report_by(dimension="course")
    assert (row.participants, row.expected, row.attended, row.completed) == (3, 9, 3, 1)
    assert row.dropouts_sorted == [(2, 1)]
    assert row.fill_rate == 50.0  # 3 of 6


def test_a_late_joiner_when_meetings_do_not_end_in_the_order_they_start():
    """A residential course's first session can outlast the next ones: a late joiner is then
    expected at the long first session, and not at a later one that ended before they came."""
    group = GroupFactory(status="running")
    long_first, short, _last = held(group, (35, 28, 7))
    Meeting.objects.filter(pk=long_first.pk).update(ends_at=NOW - dt.timedelta(days=15))
    late = EnrolmentFactory(group=group, status="confirmed")
    Enrolment.objects.filter(pk=late.pk).update(created_at=NOW - dt.timedelta(days=25))
    AttendanceFactory(meeting=long_first, enrolment=late, status="present")
    AttendanceFactory(meeting=short, enrolment=late, status="present")  # before they joined

    figures = group_figures(groups=report_groups())[group.pk]

    # Expected at the first (it ended after they joined) and the last; came to the first.
    assert (figures.participants, figures.expected, figures.attended) == (1, 2, 1)
    assert figures.per_meeting == [(1, 100.0), (2, None), (3, 0.0)]
    assert figures.dropouts_sorted == []


def test_report_groups_name_and_group_the_groups_without_loading_them():
    group = GroupFactory(name="Tiistairyhmä", language="sv", capacity=8)

    with translation.override("en"):
        (row,) = [row for row in report_groups() if row.pk == group.pk]

    assert str(row) == str(group) == f"{group.course.title}: Tiistairyhmä"
    assert (row.capacity, row.course, row.course_format) == (8, group.course.title, "weekly")
    assert row.topic == str(group.course.topic)
    assert row.centre == (group.centre.name if group.centre else "")
    assert row.language == "Swedish"
