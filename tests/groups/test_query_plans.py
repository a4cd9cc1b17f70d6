"""On PostgreSQL, the key queries reach enrolments and meetings through indexes.

A moderate data set (scale 0.5: 500 groups, 7,500 meetings, 3,000 enrolments, ~25,000
attendance rows) is seeded and ANALYZEd, so the planner costs the real plans; the planner's
switches are left as they are. Each query the catalogue page, a meeting's register and a report
send is EXPLAINed: none may read all of `groups_enrolment` or `groups_meeting`. One test, so
the data set is seeded once.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import CoursePage
from groups.models import Group, Meeting
from groups.selectors.portal import meeting_register
from groups.selectors.reports import report_by
from tests.bench.scale_seed import SLUG_PREFIX, scale_data_seed
from tests.factories import CrisisCentreFactory, TopicFactory, catalogue_page

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db]

WATCHED = ("groups_enrolment", "groups_meeting")


@pytest.fixture
def moderate_data(site_tree):
    catalogue = catalogue_page("fi")
    for slug in ("loss", "youth", "training"):
        TopicFactory(slug=slug, locale=catalogue.locale)
    for city in ("Helsinki", "Tampere", "Turku", "Oulu", "Kuopio"):
        CrisisCentreFactory(city=city)
    scale_data_seed(scale=0.5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return catalogue


def sequential_scans(queries) -> list[str]:
    """EXPLAIN each SELECT that touches a watched table; the plans' sequential scans of them."""
    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not any(table in sql for table in WATCHED):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found += [
                f"{table} in: {sql[:200]}\n{plan}"
                for table in WATCHED
                if f"Seq Scan on {table}" in plan
            ]
    return found


def captured(action) -> list[dict]:
    with CaptureQueriesContext(connection) as queries:
        action()
    return queries.captured_queries


def test_catalogue_register_and_reports_read_enrolments_and_meetings_by_index(
    client, moderate_data, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    catalogue = captured(lambda: client.get(moderate_data.url))
    assert any("groups_enrolment" in query["sql"] for query in catalogue)
    assert sequential_scans(catalogue) == []

    meeting = (
        Meeting.objects.filter(group__status=Group.Status.RUNNING, starts_at__lt=timezone.now())
        .select_related("group")
        .first()
    )
    people: list = []
    register = captured(lambda: people.extend(meeting_register(meeting=meeting)))
    assert len(people) == 6
    assert sequential_scans(register) == []

    course = CoursePage.objects.get(slug=f"{SLUG_PREFIX}3")
    rows: list = []
    one_course = captured(
        lambda: rows.extend(
            report_by(dimension="month", queryset=Group.objects.filter(course=course))
        )
    )
    assert sum(row.groups for row in rows) == 10
    assert sequential_scans(one_course) == []

    month_ends = timezone.localdate() - dt.timedelta(days=200)
    month = Group.objects.filter(starts_on__range=(month_ends - dt.timedelta(days=30), month_ends))
    one_month = captured(lambda: report_by(dimension="centre", queryset=month))
    assert month.exists()
    assert sequential_scans(one_month) == []
