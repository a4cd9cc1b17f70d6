"""The groups demo step: runs twice without duplicating, gives the demo group its meetings."""

import pytest
from django.core.management import call_command

from courses.models import CourseFormat
from groups.demo import DEMO_SCHEDULED_GROUP
from groups.models import FacilitatorProfile, Group
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_demo_group_has_twelve_meetings_and_seeding_twice_adds_nothing(site_tree):
    CoursePageFactory(format=CourseFormat.WEEKLY)
    call_command("seed_demo")
    call_command("seed_demo")
    group = Group.objects.get(name=DEMO_SCHEDULED_GROUP)
    assert group.meetings.count() == 12
    assert group.starts_on is not None
    assert FacilitatorProfile.objects.count() == 2
