"""The helpline bar with the Swedish and English lines' hours still fits a 320 px phone."""

import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_helpline_bar_with_hours_fits_a_320px_phone(live_server, page: Page, language):
    site_tree_ensure()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/{language}/")

    bar = page.locator(".helpline-bar")
    expect(bar).to_contain_text("09 2525 0111")
    expect(bar).to_contain_text("112")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for link in bar.get_by_role("link").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
