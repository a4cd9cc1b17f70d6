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


def test_the_register_fits_a_320px_phone_and_every_choice_is_a_big_target(
    live_server, browser, tmp_path
):
    facilitator = UserFactory(username="ohjaaja320")
    facilitator.groups.add(AuthGroup.objects.get_or_create(name="Facilitators")[0])
    group = GroupFactory(facilitator_1=facilitator, status="running", name="Keskiviikkoryhmä")
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(hours=1))
    names = ("Marja-Leena Korhonen-Virtanen", "Ben", "Cai")
    for name in names:
        EnrolmentFactory(group=group, display_name=name)
    Enrolment.objects.update(created_at=timezone.now() - dt.timedelta(days=30))

    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        extra_http_headers={"Accept-Language": "fi"},
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/facilitate/")
    page.get_by_label("Käyttäjätunnus").fill("ohjaaja320")
    page.get_by_label("Salasana").fill("test-password-123")
    page.get_by_role("button", name="Kirjaudu sisään").tap()
    page.wait_for_url(f"{live_server.url}/facilitate/")
    page.goto(f"{live_server.url}/facilitate/meetings/{meeting.pk}/register/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Läsnäolot")

    assert_fits_320px(page)
    page.screenshot(path=str(tmp_path / "register-320-fi.png"), full_page=True)

    # Tapping the label (not the small radio inside it) chooses.
    page.get_by_role("group", name=names[0]).locator(".register__choice--present").tap()
    page.get_by_role("group", name="Ben").locator(".register__choice--excused").tap()
    page.get_by_role("group", name="Cai").locator(".register__choice--absent").tap()
    page.get_by_role("button", name="Tallenna läsnäolot").tap()
    expect(page.get_by_role("status").filter(has_text="Läsnäolot tallennettu.")).to_be_visible()
    statuses = dict(
        Attendance.objects.filter(meeting=meeting).values_list("enrolment__display_name", "status")
    )
    assert statuses == {names[0]: "present", "Ben": "excused", "Cai": "absent"}

    # Swedish has the longest labels ("Frånvarande (anmält)").
    context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    page.reload()
    expect(page.get_by_role("button", name="Spara närvaron")).to_be_visible()
    assert_fits_320px(page)
    page.screenshot(path=str(tmp_path / "register-320-sv.png"), full_page=True)
    context.close()


def assert_fits_320px(page: Page) -> None:
    """No sideways scrolling; every choice and both save buttons ("Save register" and
    "Mark everyone else present and save") at least 44 x 44 CSS px, wholly on the screen,
    with their words inside them."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate("document.body.scrollWidth") <= 320
    targets = page.locator(".register__choice, form.register button[type=submit]").all()
    assert len(targets) == 3 * 4 + 2
    for target in targets:
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
        assert target.evaluate("el => el.scrollWidth <= el.clientWidth"), target.inner_text()
