"""The benchmarks' data set (`tests/bench/scale_seed.py`), checked at a tiny scale.

Here rather than in tests/bench/, which the normal suite does not collect."""

import pytest
from django.core.management import call_command

from courses.experts.models import Expert
from courses.models import CoursePage
from groups.models import Attendance, Enrolment, Group, Meeting
from tests.bench.scale_seed import SLUG_PREFIX, scale_data_seed, scale_expected

pytestmark = pytest.mark.django_db


def scale_counts() -> dict[str, int]:
    groups = Group.objects.filter(course__slug__startswith=SLUG_PREFIX)
    return {
        "courses": CoursePage.objects.live().filter(slug__startswith=SLUG_PREFIX).count(),
        "groups": groups.count(),
        "meetings": Meeting.objects.filter(group__in=groups).count(),
        "enrolments": Enrolment.objects.filter(group__in=groups).count(),
        "attendances": Attendance.objects.filter(meeting__group__in=groups).count(),
        "experts": Expert.objects.filter(email__endswith="@scale.invalid").count(),
    }


def test_scale_seed_has_the_proportions_of_the_national_data_set_and_can_run_twice():
    call_command("seed_demo")
    scale_data_seed(scale=0.02)
    counts = scale_counts()
    expected = scale_expected(0.02)

    assert expected["courses"] == 2 and expected["experts"] == 3
    for name in ("courses", "groups", "meetings", "enrolments", "experts"):
        assert counts[name] == expected[name], name
    # Per course as at scale 10: 10 groups, 150 meetings, 60 enrolments, ~500 attendance rows.
    assert counts["groups"] == 10 * counts["courses"]
    assert counts["meetings"] == 15 * counts["groups"]
    assert counts["enrolments"] == 6 * counts["groups"]
    assert 0.9 * expected["attendances_about"] <= counts["attendances"]
    assert counts["attendances"] <= 1.1 * expected["attendances_about"]
    # Spread over statuses, centres, languages; the catalogue has open groups to show.
    groups = Group.objects.filter(course__slug__startswith=SLUG_PREFIX)
    assert set(groups.values_list("status", flat=True)) == {"completed", "running", "open"}
    assert groups.values("centre").distinct().count() > 3
    assert Enrolment.objects.filter(group__in=groups, status="waitlisted").exists()

    call_command("seed_demo")
    scale_data_seed(scale=0.02)

    assert scale_counts() == counts
