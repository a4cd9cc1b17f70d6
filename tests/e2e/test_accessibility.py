import pytest
from playwright.sync_api import Page

from cms.services.site import site_tree_ensure
from tests.e2e.accessibility import assert_accessible, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_home_page_has_no_axe_violations(live_server, page: Page, language):
    site_tree_ensure()
    page.goto(f"{live_server.url}/{language}/")

    assert_accessible(page)


def test_quick_exit_leaves_on_shift_three_times_and_replaces_the_history_entry(
    live_server, page: Page, settings
):
    settings.QUICK_EXIT_URL = "https://yle.fi/saa"
    site_tree_ensure()
    page.route("https://yle.fi/**", lambda route: route.fulfill(body="<title>Sää</title>"))
    page.goto(f"{live_server.url}/fi/")
    page.goto(f"{live_server.url}/sv/")

    for _n in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("https://yle.fi/**")

    page.go_back()
    assert page.url == f"{live_server.url}/fi/"


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(live_server, page: Page):
    site_tree_ensure()
    page.goto(f"{live_server.url}/en/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_axe_helper_checks_wcag_22_target_size(page: Page):
    """The helper runs WCAG 2.2 AA rules, not only 2.1: two tiny buttons side by side fail 2.5.8
    (target size, minimum)."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Targets</title></head><body><main>'
        '<h1>Targets</h1><button style="width:10px;height:10px;padding:0">a</button>'
        '<button style="width:10px;height:10px;padding:0">b</button></main></body></html>'
    )
    assert any(violation.startswith("target-size") for violation in axe_violations(page))
