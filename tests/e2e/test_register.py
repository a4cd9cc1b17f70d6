"""A facilitator takes a register on a phone-sized screen."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone
from playwright.sync_api import Page, expect

from groups.models import Attendance, Enrolment
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_facilitator_logs_in_and_takes_a_register_on_a_360px_phone(live_server, page: Page):
    facilitator = UserFactory(username="ohjaaja")
    facilitator.groups.add(AuthGroup.objects.get_or_create(name="Facilitators")[0])
    group = GroupFactory(facilitator_1=facilitator, status="running", name="Tiistairyhmä")
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(hours=2))
    for name in ("Anna", "Ben", "Cai"):
        EnrolmentFactory(group=group, display_name=name)
    Enrolment.objects.update(created_at=timezone.now() - dt.timedelta(days=30))

    page.set_viewport_size({"width": 360, "height": 740})
    page.set_extra_http_headers({"Accept-Language": "fi"})
    page.goto(f"{live_server.url}/facilitate/")
    page.get_by_label("Käyttäjätunnus").fill("ohjaaja")
    page.get_by_label("Salasana").fill("test-password-123")
    page.get_by_role("button", name="Kirjaudu sisään").click()

    page.get_by_role("link", name="Tiistairyhmä").click()
    day = timezone.localtime(meeting.starts_at).strftime("%-d.%-m.")
    page.get_by_role("link", name=day).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Läsnäolot")
    # Nothing sticks out sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("group", name="Anna").get_by_label("Paikalla").check()
    page.get_by_role("group", name="Ben").get_by_label("Etänä").check()
    # Keyboard only: focus Cai's first choice, arrow to the fourth (absent).
    page.get_by_role("group", name="Cai").get_by_label("Paikalla").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    url_before = page.url
    page.get_by_role("button", name="Tallenna läsnäolot").click()

    expect(page.get_by_role("status").filter(has_text="Läsnäolot tallennettu.")).to_be_visible()
    assert page.url == url_before
    statuses = dict(
        Attendance.objects.filter(meeting=meeting).values_list("enrolment__display_name", "status")
    )
    assert statuses == {"Anna": "present", "Ben": "remote", "Cai": "absent"}
