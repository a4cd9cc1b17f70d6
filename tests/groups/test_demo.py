"""The groups demo step: runs twice without duplicating, gives the demo group its meetings."""

import pytest
from django.core.management import call_command

from courses.models import CourseFormat
from groups.demo import DEMO_SCHEDULED_GROUP
from groups.models import FacilitatorProfile, FollowUp, Group
from groups.selectors import reach_out_list
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


def test_demo_gives_the_facilitator_a_group_with_someone_to_reach_out_to(client):
    CoursePageFactory()
    call_command("seed_demo")
    call_command("seed_demo")

    group = Group.objects.get(name__startswith="Demo")
    assert [item.enrolment.display_name for item in reach_out_list(group=group)] == ["Daniel"]
    assert not FollowUp.objects.exists()
    client.login(username="facilitator", password="demo-facilitator-2026")
    assert "Demo" in client.get("/facilitate/").content.decode()


def test_demo_gives_the_coordinator_something_on_each_attention_panel(client):
    from django.contrib.auth import get_user_model

    from groups.selectors import groups_missing_facilitator, offers_expiring, risk_calls_waiting

    call_command("seed_demo")
    call_command("seed_demo")
    coordinator = get_user_model().objects.get(username="coordinator")

    assert groups_missing_facilitator(user=coordinator).count() == 1
    assert risk_calls_waiting(user=coordinator).count() == 1
    assert offers_expiring(user=coordinator).count() == 1
    client.force_login(coordinator)
    html = client.get("/admin/").content.decode()
    assert "Kevään ryhmä: toinen ohjaaja puuttuu" in html
