"""Issue 27 on a 320 px phone: find no group in Joensuu for young people, leave an interest with
only a phone number, a coordinator opens a matching group, the text message (file backend)
carries a short link, and the kept place is taken from it."""

import re

import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure
from cms.sms.backends.filebased import messages_in
from groups import tasks
from groups.models import Enrolment, Interest
from tests.e2e.accessibility import assert_accessible
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    GroupFactory,
    MeetingFactory,
    TopicFactory,
    catalogue_page,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 320


@pytest.fixture(autouse=True)
def text_messages_to_files(settings, tmp_path):
    settings.ENROLMENT_RATE_LIMIT = 0
    settings.SMS_BACKEND = "cms.sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


def fits_the_phone(page: Page) -> None:
    """No sideways scrolling at 320 px, and no axe-core violation (WCAG 2.1 A and AA)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px"
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_leave_an_interest_by_phone_and_take_the_kept_place_from_the_text_message(
    live_server, page: Page, text_messages_to_files, language
):
    site_tree_ensure()
    joensuu = CrisisCentreFactory(name="Pohjois-Karjalan kriisikeskus", city="Joensuu")
    young = TopicFactory(slug="adolescents", name="Nuoret")
    course = CoursePageFactory(title="Nuorten vertaistukiryhmä", topic=young, languages=["fi"])
    # Joensuu has a group, but not for young people: the catalogue finds nothing.
    GroupFactory(centre=joensuu, status="open")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 640})

    if language == "fi":
        catalogue = catalogue_page("fi").url
        page.goto(f"{live_server.url}{catalogue}?topic=adolescents&place=Joensuu")
        fits_the_phone(page)
        page.locator(".empty-results a[href*='/interest/']").click()
    else:
        page.goto(f"{live_server.url}/{language}/interest/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    fits_the_phone(page)
    if language == "fi":  # the catalogue's choices come along
        expect(page.locator(f"input[name=topic][value='{young.translation_key}']")).to_be_checked()
        expect(page.locator("input[name=towns][value='Joensuu']")).to_be_checked()
    page.locator(f"input[name=topic][value='{young.translation_key}']").check()
    page.locator("input[name=towns][value='Joensuu']").check()
    page.locator("#id_language").select_option("fi")
    page.locator("#id_display_name").fill("Kettu")
    page.locator("#id_phone").fill("040 765 4321")
    page.locator("#id_consent").check()
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/interest/thank-you/$"))
    fits_the_phone(page)
    interest = Interest.objects.get()
    page.goto(f"{live_server.url}/{language}/interest/my/{interest.manage_token}/")
    fits_the_phone(page)
    assert interest.phone == "+358407654321" and interest.email == ""
    (received,) = messages_in(text_messages_to_files)
    assert received["to"] == "+358407654321"

    # A coordinator opens a group that matches (the admin's save queues this task).
    group = GroupFactory(course=course, centre=joensuu, capacity=8, min_size=3)
    MeetingFactory(group=group)
    assert tasks.place_offer_next(group.pk) == 1

    kept = messages_in(text_messages_to_files)[-1]["body"]
    assert "Nuorten" not in kept and "Kettu" not in kept  # no topic, no name in a text
    short_path = re.search(r"/s/[a-z0-9]+", kept).group(0)
    page.goto(f"{live_server.url}{short_path}")
    expect(page).to_have_url(re.compile(r"/interest/place/[^/]+/$"))
    fits_the_phone(page)
    page.locator("main a.button[href*='hold=']").click()
    expect(page.locator("#id_phone")).to_have_value("+358407654321")
    fits_the_phone(page)
    page.locator("#id_consent").check()
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/enrol/done/[^/]+/$"))

    assert Enrolment.objects.get(group=group).status == Enrolment.Status.CONFIRMED
    assert not Interest.objects.exists()


def test_the_form_refuses_with_the_error_summary_on_a_phone(live_server, page: Page):
    site_tree_ensure()
    CrisisCentreFactory(name="Pohjois-Karjalan kriisikeskus", city="Joensuu")
    TopicFactory()
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 640})
    page.goto(f"{live_server.url}/en/interest/")
    page.locator("#id_display_name").fill("Fox")
    page.locator("main button[type=submit]").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error"))
    fits_the_phone(page)
    assert Interest.objects.count() == 0
