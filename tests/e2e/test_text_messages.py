"""Issue 26: someone enrols with only a phone number, gets text messages (the file backend of
`make run`), and takes a freed place from the short link in the offer's text message."""

import re

import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure
from cms.sms.backends.filebased import messages_in
from groups.models import Enrolment
from groups.services.enrolment import enrolment_cancel
from tests.e2e.accessibility import assert_accessible
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def text_messages_to_files(settings, tmp_path):
    settings.ENROLMENT_RATE_LIMIT = 0
    settings.SMS_BACKEND = "cms.sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


def test_phone_only_enrolment_gets_texts_and_takes_an_offer_from_the_short_link(
    live_server, page: Page, text_messages_to_files
):
    site_tree_ensure()
    group = GroupFactory(capacity=1, min_size=1)
    MeetingFactory(group=group)
    holder = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/sv/enrol/{group.pk}/")
    expect(page.locator("#id_phone_helptext")).to_contain_text(
        "Om du bara ger ett telefonnummer skickar vi textmeddelanden till dig."
    )
    page.locator("#id_display_name").fill("Räven")
    page.locator("#id_phone").fill("040 765 4321")
    page.locator("#id_consent").check()
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("så du står i kö")

    queued = messages_in(text_messages_to_files)
    assert [message["to"] for message in queued] == ["+358407654321"]
    assert "du står i kö" in queued[0]["body"]

    enrolment_cancel(enrolment_id=holder.pk)  # a place frees; q2 offers it at once (sync)

    offer = messages_in(text_messages_to_files)[-1]["body"]
    assert "en plats är ledig för dig" in offer
    short_path = re.search(r"/s/[a-z0-9]+", offer).group(0)
    page.goto(f"{live_server.url}{short_path}")
    expect(page).to_have_url(re.compile(r"/sv/my/[^/]+/offer/$"))
    page.get_by_role("button", name="Ja, jag tar platsen").click()

    expect(page.locator(".messages")).to_contain_text("Välkommen! Din plats är bekräftad.")
    confirmed = messages_in(text_messages_to_files)[-1]["body"]
    assert "din plats är bekräftad" in confirmed
    assert len(messages_in(text_messages_to_files)) == 3


def test_an_invalid_number_is_refused_with_the_error_summary(live_server, page: Page):
    site_tree_ensure()
    group = GroupFactory()
    page.goto(f"{live_server.url}/en/enrol/{group.pk}/")
    page.locator("#id_display_name").fill("Fox")
    page.locator("#id_phone").fill("12345")
    page.locator("#id_consent").check()
    page.locator("main button[type=submit]").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a phone number, like 040 123 4567 or +358 40 123 4567")
    expect(page).to_have_title(re.compile("^Error"))
    assert Enrolment.objects.count() == 0


def test_a_person_with_both_contacts_switches_to_text_messages_on_the_manage_page(
    live_server, page: Page
):
    site_tree_ensure()
    enrolment = EnrolmentFactory(phone="+358401234567", status=Enrolment.Status.CONFIRMED)
    page.goto(f"{live_server.url}/fi/my/{enrolment.manage_token}/")

    assert_accessible(page)
    page.get_by_label("Tekstiviesti", exact=True).check()
    page.get_by_role("button", name="Tallenna valinta").click()

    expect(page.locator(".messages")).to_contain_text("Valintasi on tallennettu.")
    expect(page.get_by_label("Tekstiviesti", exact=True)).to_be_checked()
    enrolment.refresh_from_db()
    assert enrolment.message_channel == "sms"
