"""The demo's people: the README's logins, coordinators' permissions."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.management import call_command

from demo.people import DEMO_LOGINS, seed_coordinator_permissions

# seed_demo has run once for the module (tests/demo/conftest.py); a test's own call is the next run.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_seeded"),
    pytest.mark.xdist_group("demo-people"),
]


def test_demo_step_is_idempotent_and_gives_coordinators_the_roster(site_tree):
    seed_coordinator_permissions()
    seed_coordinator_permissions()

    coordinators = AuthGroup.objects.get(name="Coordinators")
    assert coordinators.permissions.filter(codename="view_enrolment_contact").exists()
    assert coordinators.permissions.filter(codename="change_enrolment").exists()


# The logins the README gives a newcomer.
README_LOGINS = [
    ("admin", "demo-admin-2026"),
    ("coordinator", "demo-coordinator-2026"),
    ("facilitator", "demo-facilitator-2026"),
    ("coordinator-tampere", "demo-tampere-2026"),
    ("editor", "demo-editor-2026"),
    ("network-coordinator", "demo-network-2026"),
]


def test_every_login_the_readme_gives_works_after_seeding_twice(client):
    call_command("seed_demo")

    assert [(username, password) for _role, username, password in DEMO_LOGINS] == README_LOGINS
    for username, password in README_LOGINS:
        assert client.login(username=username, password=password), username
        client.logout()
