"""Tried as a new user would: a facilitator edits the URL to another group's roster and gets
nowhere; the Tampere coordinator sees no Helsinki enrolments in the admin."""

import os

import pytest
from django.contrib.auth.models import Group as Role
from playwright.sync_api import Page, expect

from groups.models import CoordinatorProfile
from groups.services.roles import COORDINATORS, FACILITATORS, roles_ensure
from tests.factories import CrisisCentreFactory, EnrolmentFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def log_in(page: Page, base_url: str, username: str) -> None:
    page.set_extra_http_headers({"Accept-Language": "fi"})
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill("test-password-123")
    page.get_by_role("button", name="Kirjaudu sisään").click()


def test_facilitator_cannot_open_another_groups_roster_by_editing_the_url(live_server, page: Page):
    roles_ensure()
    facilitator = UserFactory(username="ohjaaja")
    facilitator.groups.add(Role.objects.get(name=FACILITATORS))
    own = GroupFactory(facilitator_1=facilitator, status="running", name="Oma ryhmä")
    other = GroupFactory(status="running", name="Toinen ryhmä")
    EnrolmentFactory(group=own, display_name="Oma osallistuja")
    EnrolmentFactory(group=other, display_name="Vieras osallistuja")

    log_in(page, live_server.url, "ohjaaja")
    page.goto(f"{live_server.url}/facilitate/groups/{own.pk}/")
    expect(page.get_by_text("Oma osallistuja")).to_be_visible()

    response = page.goto(f"{live_server.url}/facilitate/groups/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_text("Vieras osallistuja")).to_have_count(0)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/facilitator-other-group.png", full_page=True)


def test_tampere_coordinator_sees_no_helsinki_enrolments(live_server, page: Page):
    roles = roles_ensure()
    helsinki = CrisisCentreFactory(name="Helsingin kriisikeskus", city="Helsinki")
    tampere = CrisisCentreFactory(name="Tampereen kriisikeskus", city="Tampere")
    EnrolmentFactory(group=GroupFactory(centre=helsinki, name="Helsinki ti"), display_name="Helmi")
    EnrolmentFactory(group=GroupFactory(centre=tampere, name="Tampere ke"), display_name="Taisto")
    coordinator = UserFactory(username="koordinaattori-tre")
    coordinator.groups.add(roles[COORDINATORS])
    CoordinatorProfile.objects.create(user=coordinator).centres.add(tampere)

    log_in(page, live_server.url, "koordinaattori-tre")
    page.goto(f"{live_server.url}/admin/enrolments/")
    expect(page.get_by_text("Taisto")).to_be_visible()
    expect(page.get_by_text("Helmi")).to_have_count(0)
    expect(page.get_by_text("Helsinki ti")).to_have_count(0)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/tampere-enrolments.png", full_page=True)
