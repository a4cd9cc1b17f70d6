import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "helpline", "heading"),
    [
        ("fi", "09 2525 0111", "Vertaistuki"),
        ("sv", "09 2525 0112", "Kamratstöd"),
        ("en", "09 2525 0116", "Peer support"),
    ],
)
def test_home_page_opens_in_every_language(live_server, page: Page, language, helpline, heading):
    site_tree_ensure()
    page.goto(f"{live_server.url}/{language}/")

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".helpline-bar")).to_contain_text(helpline)
    expect(page.locator(".helpline-bar")).to_contain_text("112")


def test_language_switcher_keeps_the_visitor_on_the_home_page(live_server, page: Page):
    site_tree_ensure()
    page.goto(f"{live_server.url}/fi/")
    page.get_by_role("navigation", name="Kieli").get_by_role("link", name="svenska").click()
    expect(page).to_have_url(f"{live_server.url}/sv/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
