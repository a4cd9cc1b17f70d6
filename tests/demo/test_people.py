import pytest
from django.contrib.auth.models import Group as AuthGroup

from demo.people import seed_coordinator_permissions

pytestmark = pytest.mark.django_db


def test_demo_step_is_idempotent_and_gives_coordinators_the_roster(site_tree):
    seed_coordinator_permissions()
    seed_coordinator_permissions()

    coordinators = AuthGroup.objects.get(name="Coordinators")
    assert coordinators.permissions.filter(codename="view_enrolment_contact").exists()
    assert coordinators.permissions.filter(codename="change_enrolment").exists()
