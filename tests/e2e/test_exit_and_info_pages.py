"""Exit this page, the error summary and the statement/notice pages in Chromium on a phone:
390 and 320 pixels wide, fi/sv/en, axe-core at WCAG 2.2 AA."""

import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure
from tests.e2e.accessibility import axe_violations as violations
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEUTRAL = "https://www.example.org/weather"


@pytest.fixture
def neutral_site(page, settings):
    settings.QUICK_EXIT_URL = NEUTRAL
    page.route(f"{NEUTRAL}**", lambda route: route.fulfill(body="<title>Weather</title>"))


def test_shift_pressed_three_times_leaves_and_replaces_the_history_entry(
    live_server, page: Page, neutral_site
):
    site_tree_ensure()
    page.goto(f"{live_server.url}/fi/")
    page.goto(f"{live_server.url}/sv/")
    expect(page.get_by_text("Eller tryck på skifttangenten (Shift) 3 gånger.")).to_be_visible()

    for _n in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{NEUTRAL}**")

    page.go_back()
    assert page.url == f"{live_server.url}/fi/"


def test_typing_capitals_does_not_leave(live_server, page: Page, neutral_site):
    site_tree_ensure()
    page.goto(f"{live_server.url}/en/")
    page.locator("#site-search-q").click()
    for letter in "ABC":
        page.keyboard.press(f"Shift+{letter}")
    page.keyboard.press("Shift")
    assert page.url.startswith(live_server.url)


def test_the_exit_button_leaves_by_click(live_server, page: Page, neutral_site):
    site_tree_ensure()
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("button", name="Exit this page").click()
    page.wait_for_url(f"{NEUTRAL}**")


@pytest.mark.parametrize("width", [320, 390])
def test_no_focused_element_is_hidden_by_the_exit_button(live_server, page: Page, width):
    """WCAG 2.2 2.4.11: tab through the page; each focused element is the topmost thing at
    its own centre (nothing of ours sits over it)."""
    site_tree_ensure()
    page.set_viewport_size({"width": width, "height": 640})
    page.goto(f"{live_server.url}/en/staying-safe-online/")
    covered = []
    for _n in range(25):
        page.keyboard.press("Tab")
        hidden = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) { return null; }
              el.scrollIntoView({block: "center"});
              const box = el.getBoundingClientRect();
              const x = box.left + box.width / 2, y = box.top + box.height / 2;
              const top = document.elementFromPoint(x, y);
              const seen = top && (top === el || el.contains(top) || top.contains(el));
              return seen ? null : el.outerHTML.slice(0, 80);
            }"""
        )
        if hidden:
            covered.append(hidden)
    assert covered == []
    position = page.locator(".exit-bar").evaluate("el => getComputedStyle(el).position")
    assert position == "static"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_error_summary_takes_focus_and_leads_to_the_field(
    live_server, page: Page, language, settings
):
    settings.ENROLMENT_RATE_LIMIT = 0
    site_tree_ensure()
    group = GroupFactory()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/{language}/enrol/{group.pk}/")
    page.locator("#id_display_name").fill("Kettu")
    page.locator("main button[type=submit]").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith({"fi": "Virhe:", "sv": "Fel:", "en": "Error:"}[language])
    summary.locator("a[href='#id_phone']").click()
    expect(page.locator("#id_phone")).to_be_focused()
    assert violations(page) == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("width", [320, 390])
def test_the_new_pages_have_no_axe_violations(live_server, page: Page, language, width):
    site_tree_ensure()
    page.set_viewport_size({"width": width, "height": 740})
    failures = {}
    for path in ["staying-safe-online/", "accessibility/", "privacy/", ""]:
        response = page.goto(f"{live_server.url}/{language}/{path}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        found = violations(page)
        if found:
            failures[path or "home"] = found
        # Nothing wider than the screen (usable at 320 px without scrolling sideways).
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    assert failures == {}
