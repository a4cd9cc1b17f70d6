"""Coordinator reports on a known data set, their exports, charts and query counts."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation

from groups.models import Enrolment, Meeting
from groups.selectors.reports import group_figures, report_by, report_groups
from tests.factories import AttendanceFactory, EnrolmentFactory, GroupFactory, MeetingFactory
from tests.spreadsheets import finnish_excel_rows

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=90)


def enrol(group, **kwargs):
    enrolment = EnrolmentFactory(group=group, **kwargs)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=LONG_AGO)
    return enrolment


@pytest.fixture
def known_group():
    """Capacity 10; 4 taking part, 2 waiting; 3 held meetings, 1 cancelled, 1 still to come.

    Anna attends all 3; Ben attends 1 then misses 2 (a drop-out at meeting 2); Cai attends 2 of
    3; Dan joined after meeting 1 and attends 2 of his 2.
    """
    group = GroupFactory(capacity=10, status="running")
    now = timezone.now()
    held = [MeetingFactory(group=group, starts_at=now - dt.timedelta(days=d)) for d in (21, 14, 7)]
    MeetingFactory(
        group=group, starts_at=now - dt.timedelta(days=10), status=Meeting.Status.CANCELLED
    )
    MeetingFactory(group=group, starts_at=now + dt.timedelta(days=7))
    anna, ben, cai = (enrol(group, display_name=name) for name in ("Anna", "Ben", "Cai"))
    dan = EnrolmentFactory(group=group, display_name="Dan")
    Enrolment.objects.filter(pk=dan.pk).update(created_at=now - dt.timedelta(days=18))
    for _ in range(2):
        EnrolmentFactory(group=group, status="waitlisted")
    marks = {
        anna: ["present", "present", "remote"],
        ben: ["present", "absent", "absent"],
        cai: ["present", "excused", "present"],
        dan: [None, "present", "present"],
    }
    for person, statuses in marks.items():
        for meeting, status in zip(held, statuses, strict=True):
            if status:
                AttendanceFactory(meeting=meeting, enrolment=person, status=status)
    return group


def test_group_figures_on_a_known_data_set(known_group):
    groups = list(report_groups())
    figures = group_figures(groups=groups)[known_group.pk]

    assert figures.fill_rate == 40.0  # 4 of 10 places
    assert figures.waitlisted == 2
    # Expected: 3 + 3 + 3 + 2 (Dan not counted for the meeting before he joined) = 11.
    # Attended: 3 + 1 + 2 + 2 = 8.
    assert figures.attendance_rate == round(100 * 8 / 11, 1)
    assert figures.per_meeting == [(1, 100.0), (2, 50.0), (3, 75.0)]
    # Completed (2/3 of their meetings): Anna, Cai, Dan; not Ben.
    assert figures.completion_rate == 75.0
    assert figures.dropouts_sorted == [(2, 1)]


def test_report_rolls_groups_up_by_course_and_language(known_group):
    other = GroupFactory(course=known_group.course, capacity=10, status="open")
    enrol(other)

    (row,) = report_by(dimension="course")
    assert row.groups == 2
    assert row.fill_rate == 25.0  # 5 of 20
    # The admin speaks Finnish by default; stated here, as an earlier request in the same
    # process may leave another language active.
    with translation.override(settings.LANGUAGE_CODE):
        (row,) = report_by(dimension="language")
    assert row.label == "suomi"


def test_time_to_a_place_is_the_median_of_those_who_waited(known_group):
    now = timezone.now()
    for waited in (2, 4):
        person = EnrolmentFactory(group=known_group)
        Enrolment.objects.filter(pk=person.pk).update(
            queued_at=now - dt.timedelta(days=10), placed_at=now - dt.timedelta(days=10 - waited)
        )
    # Placed straight away (never queued) and still waiting: neither counts.
    EnrolmentFactory(group=known_group, placed_at=now)
    EnrolmentFactory(group=known_group, status="waitlisted", queued_at=now)
    # Got a place after 6 days, then left: the wait still counts.
    gone = EnrolmentFactory(group=known_group, status="cancelled")
    Enrolment.objects.filter(pk=gone.pk).update(
        queued_at=now - dt.timedelta(days=9), placed_at=now - dt.timedelta(days=3)
    )

    figures = group_figures(groups=list(report_groups()))[known_group.pk]
    assert figures.median_wait_days == 4.0  # of 2, 4 and 6 days
    other = GroupFactory(course=known_group.course, status="open")
    person = EnrolmentFactory(group=other)
    Enrolment.objects.filter(pk=person.pk).update(
        queued_at=now - dt.timedelta(days=1), placed_at=now
    )
    (row,) = report_by(dimension="course")
    assert row.median_wait_days == 3.0  # of 1, 2, 4 and 6 days


def test_no_waits_no_figure(known_group):
    figures = group_figures(groups=list(report_groups()))[known_group.pk]
    assert figures.median_wait_days is None


@pytest.fixture
def coordinator(django_user_model):
    return django_user_model.objects.create_superuser("koordinaattori", "k@example.invalid", "x")


def test_report_page_shows_table_and_svg_charts(client, coordinator, known_group):
    client.force_login(coordinator)
    page = client.get("/admin/reports/groups/?by=group").content.decode()
    assert "<svg" in page
    assert "40,0" in page  # Finnish number format
    assert "Päiviä paikan saamiseen (mediaani)" in page
    assert "Läsnäolo tapaamisittain" in page
    # Chart coordinates stay numbers SVG can read; the figures on them are in Finnish.
    assert not re.search(r'(width|dx|y|height)="[0-9]+,[0-9]', page)
    assert re.search(r'<rect x="220" y="2" width="[0-9.]+" height="18"', page)
    assert "72,7%" in page  # attendance 8 of 11


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_exports(client, coordinator, known_group, fmt):
    waited = EnrolmentFactory(group=known_group)
    now = timezone.now()
    Enrolment.objects.filter(pk=waited.pk).update(
        queued_at=now - dt.timedelta(days=5), placed_at=now - dt.timedelta(days=3)
    )
    client.force_login(coordinator)
    response = client.get(f"/admin/reports/groups/?by=course&format={fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        header, row = finnish_excel_rows(response.content)
        assert header[-2] == "Päiviä paikan saamiseen (mediaani)"
        assert row[-2] == "2.0"
        assert "50.0" in row  # 5 of 10 places


def test_facilitator_cannot_open_reports(client, known_group):
    client.force_login(known_group.facilitator_1)
    assert client.get("/admin/reports/groups/").status_code in (302, 403)


@pytest.mark.parametrize("participants", [10, 1000])
def test_report_queries_do_not_grow(
    client, coordinator, participants, django_assert_max_num_queries
):
    group = GroupFactory(capacity=200, status="running")
    meetings = [
        MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=d))
        for d in (14, 7)
    ]
    template = EnrolmentFactory.build()
    people = Enrolment.objects.bulk_create(
        Enrolment(
            group=group,
            display_name=f"P{n}",
            email=f"p{n}@example.invalid",
            consent_text_version=template.consent_text_version,
            consented_at=template.consented_at,
            status="confirmed",
        )
        for n in range(participants)
    )
    from groups.models import Attendance

    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, enrolment=person, status="present")
        for meeting in meetings
        for person in people
    )
    client.force_login(coordinator)

    for by in ("group", "course", "centre"):
        # Three of these fetch the courses, topics and centres once for all groups.
        with django_assert_max_num_queries(13):
            response = client.get(f"/admin/reports/groups/?by={by}")
        assert response.status_code == 200


def test_report_by_group_shows_a_page_of_groups_and_downloads_them_all(
    client, coordinator, monkeypatch
):
    from groups.admin import reports as report_views

    monkeypatch.setattr(report_views, "GROUPS_PER_PAGE", 2)
    groups = [GroupFactory(status="open", name=f"Ryhmä {n}") for n in range(5)]
    client.force_login(coordinator)

    first = client.get("/admin/reports/groups/?by=group").content.decode()
    last = client.get("/admin/reports/groups/?by=group&p=3").content.decode()
    download = client.get("/admin/reports/groups/?by=group&format=csv").content.decode()

    assert "Ryhmät 1\u20132 / 5" in first  # an en dash
    assert 'href="?by=group&amp;p=2" rel="next"' in first
    assert groups[4].name not in first
    assert groups[4].name in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert all(group.name in download for group in groups)


# A season or dates on every report (issue 24) ------------------------------------------------


def test_season_dates_and_choices():
    from groups.selectors.reports import season_choices, season_dates

    assert season_dates("2027-spring") == (dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    assert season_dates("2027-autumn") == (dt.date(2027, 7, 1), dt.date(2027, 12, 31))
    assert season_dates("x-spring") is None and season_dates("2027-summer") is None
    choices = dict(season_choices(today=dt.date(2027, 3, 1)))
    assert "2028-autumn" in choices and "2025-spring" in choices


@pytest.mark.parametrize("fmt", ["", "csv"])
def test_the_attendance_report_and_its_download_follow_the_season(client, coordinator, fmt):
    GroupFactory(name="Kevään ryhmä", status="running", starts_on=dt.date(2027, 2, 2))
    GroupFactory(name="Syksyn ryhmä", status="running", starts_on=dt.date(2027, 9, 7))
    client.force_login(coordinator)
    query = {"by": "group", "season": "2027-spring"}
    if fmt:
        query["format"] = fmt
    response = client.get("/admin/reports/groups/", query)
    text = str(finnish_excel_rows(response.content)) if fmt else response.content.decode()
    assert "Kevään ryhmä" in text and "Syksyn ryhmä" not in text
    if not fmt:
        assert "season=2027-spring&amp;format=csv" in text  # the download keeps the season
        assert "Kevät 2027" in text


def test_dates_narrow_the_report(client, coordinator):
    GroupFactory(name="Tammikuu", status="running", starts_on=dt.date(2027, 1, 12))
    GroupFactory(name="Maaliskuu", status="running", starts_on=dt.date(2027, 3, 2))
    client.force_login(coordinator)
    page = client.get(
        "/admin/reports/groups/",
        {"by": "group", "starts_from": "2027-02-01", "starts_until": "2027-06-30"},
    ).content.decode()
    assert "Maaliskuu" in page and "Tammikuu" not in page
    by_course = client.get("/admin/reports/groups/", {"by": "course", "starts_until": "2027-01-31"})
    [row] = by_course.context["body"]
    assert row[1] == 1  # one group in the period


def test_the_feedback_report_follows_the_season(client, coordinator):
    from groups.models import FeedbackAnswer

    spring = GroupFactory(status="completed", starts_on=dt.date(2027, 2, 2))
    autumn = GroupFactory(status="completed", starts_on=dt.date(2026, 9, 1))
    # Feedback shows only from FEEDBACK_MIN_ANSWERS answers a group, so each gets that many.
    for _ in range(settings.FEEDBACK_MIN_ANSWERS - 1):
        FeedbackAnswer.objects.create(group=spring, helped=4, recommend="yes")
        FeedbackAnswer.objects.create(group=autumn, helped=3, recommend="no")
    FeedbackAnswer.objects.create(group=spring, helped=5, recommend="yes", comment="Kevät oli hyvä")
    FeedbackAnswer.objects.create(group=autumn, helped=2, recommend="no", comment="Syksy ei")
    client.force_login(coordinator)
    page = client.get("/admin/reports/feedback/", {"season": "2027-spring"}).content.decode()
    assert "Kevät oli hyvä" in page and "Syksy ei" not in page
    assert "Syksy ei" in client.get("/admin/reports/feedback/").content.decode()
