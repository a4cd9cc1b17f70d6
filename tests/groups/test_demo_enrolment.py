import pytest
from django.contrib.auth.models import Group as AuthGroup

from groups.demo import enrolment_demo_ensure

pytestmark = pytest.mark.django_db


def test_demo_step_is_idempotent_and_gives_coordinators_the_roster(site_tree):
    enrolment_demo_ensure()
    enrolment_demo_ensure()

    coordinators = AuthGroup.objects.get(name="Coordinators")
    assert coordinators.permissions.filter(codename="view_enrolment_contact").exists()
    assert coordinators.permissions.filter(codename="change_enrolment").exists()
