import pytest
from django.contrib.auth.models import Group as AuthGroup

from groups.demo import enrolment_demo_ensure
from groups.models import Group
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_demo_step_is_idempotent_and_gives_coordinators_the_roster(site_tree):
    CoursePageFactory()
    enrolment_demo_ensure()
    enrolment_demo_ensure()
    group = Group.objects.get(name="Demo: enrolment")
    assert group.enrolments.count() == 7
    coordinators = AuthGroup.objects.get(name="Coordinators")
    assert coordinators.permissions.filter(codename="view_enrolment_contact").exists()
