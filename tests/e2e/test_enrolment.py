"""A newcomer enrols under a pseudonym with only a phone number, manages and cancels the place,
and the first person on the waiting list is offered it."""

import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure
from groups.models import Enrolment, OutboxMessage
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


def test_enrol_with_a_phone_manage_cancel_and_the_queue_moves(live_server, page: Page):
    site_tree_ensure()
    group = GroupFactory(capacity=2, min_size=1)
    MeetingFactory(group=group)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/en/enrol/{group.pk}/")
    expect(page.locator(".helpline-bar")).to_contain_text("112")
    page.get_by_label("Name or pseudonym").fill("Kettu")
    page.get_by_label("Phone").fill("040 765 4321")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Send enrolment").click()

    expect(page.locator(".status")).to_contain_text("Your place is confirmed")
    # The group is now full: the next person to come waits in line.
    waiting = EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED, language="sv")
    page.get_by_role("link", name="Manage your place").click()
    expect(page.locator("#status")).to_have_text("Confirmed")
    expect(
        page.get_by_role("link", name="Download the meetings to your calendar (.ics)")
    ).to_be_visible()

    page.get_by_role("link", name="Cancel my enrolment").click()
    page.get_by_role("button", name="Yes, cancel my enrolment").click()
    expect(page.locator(".messages")).to_contain_text("Your enrolment has been cancelled")
    expect(page.locator("#status")).to_have_text("Cancelled")

    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.OFFERED
    offer = OutboxMessage.objects.get(enrolment=waiting, template="offer")
    assert offer.status == OutboxMessage.Status.SENT
    assert offer.language == "sv"


def test_missing_contact_gets_a_clear_message_and_nothing_is_saved(live_server, page: Page):
    site_tree_ensure()
    group = GroupFactory()
    page.goto(f"{live_server.url}/fi/enrol/{group.pk}/")
    page.locator("#id_display_name").fill("Kettu")
    page.locator("#id_consent").check()
    page.locator("main button[type=submit]").click()

    expect(page.locator("#id_phone_error")).to_contain_text(
        "Anna sähköpostiosoite tai puhelinnumero"
    )
    described_by = page.locator("#id_phone").get_attribute("aria-describedby")
    assert "id_phone_error" in described_by.split()
    assert not Enrolment.objects.exists()
