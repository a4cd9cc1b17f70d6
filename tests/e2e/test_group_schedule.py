"""A coordinator plans a 12-week Tuesday-evening group in the Wagtail admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone
from playwright.sync_api import Page, expect

from groups.models import Group
from groups.selectors.facilitators import FACILITATORS_GROUP
from tests.factories import CoursePageFactory, CrisisCentreFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fi-FI", "timezone_id": "Europe/Helsinki"}


def first_tuesday_after(days: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def finnish(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def test_coordinator_plans_twelve_tuesday_evenings_skipping_a_holiday(live_server, page: Page):
    # Dates in the future, so that the public course page lists the group.
    starts = first_tuesday_after(days=21)
    holiday = starts + dt.timedelta(weeks=8)
    course = CoursePageFactory(title="Surevien vertaistukiryhmä")
    CrisisCentreFactory(name="Kriisikeskus Tampere")
    facilitators = AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0]
    for username in ("ohjaaja_aino", "ohjaaja_bertta"):
        UserFactory(username=username).groups.add(facilitators)
    UserFactory(username="koordinaattori", is_superuser=True, is_staff=True)
    # The recurrence widget and Wagtail's date pickers together: no script error at all
    # ("initDateChooser is not defined", telepath's AdminDateInput).
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("koordinaattori")
    page.locator("#id_password").fill("test-password-123")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/groups_group/new/")
    page.locator("#id_course").select_option(label=course.title)
    widget = page.locator(".recurrence-widget").first
    widget.scroll_into_view_if_needed()
    widget.get_by_text("Lisää sääntö").click()
    rule = widget.locator(".panel").first
    rule.locator(".weekly td", has_text="ti").click()
    expect(rule.locator("input[name=limit]")).to_be_visible()  # Wagtail's CSS hid them
    rule.locator("input[name=limit]").check()
    rule.locator("input[name=until_count][value=count]").check()
    # Twelve meetings, one date skipped: the count is of meetings held, so still twelve.
    rule.locator("input[name=count]").fill("12")
    rule.locator("input[name=count]").press("Tab")
    widget.get_by_text("Lisää päivä").click()
    excluded = widget.locator(".panel").nth(1)
    excluded.locator("input.date-field").fill(holiday.isoformat())
    excluded.locator("input.date-field").press("Tab")
    excluded.locator("input[name=mode]").check()

    # Wagtail's own date picker opens on the field and takes a typed date.
    page.locator("#id_schedule_from").click()
    expect(page.locator(".xdsoft_datetimepicker").first).to_be_visible()
    page.locator("#id_schedule_from").fill(starts.isoformat())
    page.locator("#id_start_time").fill("17:30")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Esikatsele päivät").click()
    dates = page.locator("[data-schedule-preview-dates] li")
    expect(dates).to_have_count(12)
    expect(page.locator("[data-schedule-preview-result]")).not_to_contain_text(finnish(holiday))
    expect(dates.first).to_contain_text(f"{finnish(starts)} 17:30")
    expect(dates.last).to_contain_text(finnish(starts + dt.timedelta(weeks=12)))
    assert not Group.objects.exists()

    page.locator("#id_centre").select_option(label="Kriisikeskus Tampere")
    page.locator("#id_facilitator_1").select_option(label="ohjaaja_aino")
    page.locator("#id_facilitator_2").select_option(label="ohjaaja_bertta")
    page.locator("#id_status").select_option(label="Ilmoittautuminen auki")
    page.get_by_role("button", name="Luo").click()
    expect(page.locator(".messages")).to_be_visible()

    group = Group.objects.get()
    meetings = list(group.meetings.order_by("starts_at"))
    assert len(meetings) == 12
    assert holiday not in [meeting.planned_on for meeting in meetings]
    assert group.starts_on == starts
    assert group.status == Group.Status.OPEN
    assert errors == []

    # The group's edit page lists the twelve meetings.
    page.goto(f"{live_server.url}/admin/groups_group/edit/{group.pk}/")
    expect(page.locator("[data-meeting-row]")).to_have_count(12)
    assert errors == []

    # The public course page now lists the group with its first date and an enrol link.
    page.goto(f"{live_server.url}{course.url}")
    card = page.locator(f"#group-{group.pk}")
    # The group's facts in the visitor's own format: twelve meetings, Tuesdays 17.30, the
    # first on "ti 15.12." and the last twelve weeks later (the holiday skipped).
    facts = card.locator(".group-card__facts")
    expect(facts.locator("div", has_text="Tapaamiset")).to_contain_text("12 tapaamista")
    expect(facts.locator("div", has_text="Viikonpäivä ja aika")).to_contain_text(
        "tiistai 17.30–19.00"  # noqa: RUF001
    )
    expect(facts.locator("div", has_text="Ensimmäinen tapaaminen")).to_contain_text(
        f"ti {starts.day}.{starts.month}."
    )
    last = starts + dt.timedelta(weeks=12)
    expect(facts.locator("div", has_text="Viimeinen tapaaminen")).to_contain_text(
        f"ti {last.day}.{last.month}."
    )
    expect(card.get_by_role("link", name="Ilmoittaudu")).to_be_visible()
