"""A newcomer who uses only the keyboard enrols from a course page, and a reader switching
language on a course page stays on the same course."""

import pytest
from playwright.sync_api import Page, expect

from groups.models import Enrolment
from tests.factories import CoursePageFactory, GroupFactory, MeetingFactory, course_translate

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    id: el.id,
    tag: el.tagName.toLowerCase(),
    text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
    visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  };
}"""


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`; every element
    focused on the way must show a visible focus outline."""
    key = "Shift+Tab" if backwards else "Tab"
    for _press in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        assert focused["visible"], f"no visible focus on {focused}"
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return focused
    raise AssertionError(f"{selector} was not reached with {key} in {limit} presses")


def test_keyboard_only_enrolment_from_the_course_page_with_visible_focus(live_server, page: Page):
    course = CoursePageFactory(title="Peer group after a sudden death", language="fi")
    english = course_translate(course, "en", title="Peer group after a sudden death")
    group = GroupFactory(course=course, language="en", min_size=1)
    MeetingFactory(group=group)
    page.goto(f"{live_server.url}{english.url}")

    enrol_link = tab_to(page, f"a[href='/en/enrol/{group.pk}/']")
    assert enrol_link["text"].startswith("Enrol")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en/enrol/{group.pk}/")

    tab_to(page, "#id_display_name")
    page.keyboard.type("Kettu")
    # Skip e-mail and phone: the form must say a way to reach you is needed.
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    assert page.locator("#id_consent").is_checked()
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("#id_phone_error")).to_be_visible()
    assert not Enrolment.objects.exists()
    # The typed name and the consent survive the error; go back up from the button to the phone.
    tab_to(page, "main button[type=submit]")
    tab_to(page, "#id_phone", backwards=True)
    page.keyboard.type("040 765 4321")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator(".status")).to_contain_text("Your place is confirmed")
    enrolment = Enrolment.objects.get()
    assert (enrolment.display_name, enrolment.phone) == ("Kettu", "+358407654321")  # kept in E.164


def test_switching_language_on_a_course_page_stays_on_the_same_course(live_server, page: Page):
    course = CoursePageFactory(title="Surutyön ryhmä", slug="surutyo", languages=["fi", "sv"])
    swedish = course_translate(course, "sv", title="Sorgegrupp", slug="sorgegrupp")
    page.goto(f"{live_server.url}{course.url}")

    page.get_by_role("navigation", name="Kieli").get_by_role("link", name="svenska").click()

    expect(page).to_have_url(f"{live_server.url}{swedish.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorgegrupp")
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    # There is no English version: the Finnish course, with a notice in English.
    page.get_by_role("navigation", name="Språk").get_by_role("link", name="English").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Surutyön ryhmä")
    notice = page.get_by_role("status").filter(has_text="not available in English")
    expect(notice).to_have_text(
        "This page is not available in English; showing the Finnish version."
    )
    expect(notice).to_have_attribute("lang", "en")
