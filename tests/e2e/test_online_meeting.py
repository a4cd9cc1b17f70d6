"""A participant of an online group, in Swedish: the video link on the manage page the day
before the meeting, then "I can't come this time" from the reminder, and undoing it."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from groups import tasks
from groups.models import Apology, Enrolment, Group, OutboxMessage
from groups.services import outbox
from tests.e2e.accessibility import assert_accessible
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

LINK = "https://video.example.invalid/vertaistuki-e2e"


def test_swedish_participant_sees_the_video_link_and_says_they_cannot_come(
    live_server, page: Page, site_tree
):
    group = GroupFactory(mode=Group.Mode.REMOTE, video_link=LINK, language="sv")
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))
    later = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=7, hours=20))
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED, language="sv")
    tasks.meeting_reminders_queue()
    _subject, text, _html = outbox.message_render(OutboxMessage.objects.get(template="reminder"))
    reminder_link = re.search(r"https?://\S+/cant-come/", text).group(0)

    page.set_viewport_size({"width": 320, "height": 740})
    page.goto(f"{live_server.url}/sv/my/{enrolment.manage_token}/")
    video = page.locator("#video-link")
    expect(video.get_by_role("link", name="Delta i träffen via video")).to_have_attribute(
        "href", LINK
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    # The reminder's one-tap link: the page asks first (a GET changes nothing).
    page.goto(live_server.url + urlsplit(reminder_link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kan du komma till träffen?")
    assert not Apology.objects.exists()
    assert_accessible(page)
    page.get_by_role("button", name="Jag kan inte komma den här gången").click()

    expect(page.get_by_text("Handledarna har fått veta")).to_be_visible()
    assert Apology.objects.get().meeting == meeting

    page.get_by_role("link", name="Tillbaka till din plats").click()
    expect(page.get_by_text("Du har meddelat förhinder")).to_be_visible()
    # The meeting a week later is untouched and still offers the link.
    assert later.apologies.count() == 0

    page.get_by_role("link", name=re.compile("Jag kan komma ändå")).click()
    page.get_by_role("button", name="Jag kan komma ändå").click()
    expect(page.get_by_text("Roligt att du kan komma ändå")).to_be_visible()
    assert not Apology.objects.exists()
