"""A newcomer enrols into a residential weekend with a gluten-free diet and a station pickup;
the coordinator gives them a room and prints the meal counts."""

import datetime as dt
import os

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure
from courses.models import CourseFormat
from groups.models import CoordinatorProfile, Stay
from groups.services.schedule import HELSINKI
from tests.e2e.accessibility import assert_accessible
from tests.factories import (
    CoursePageFactory,
    GroupFactory,
    MeetingFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fi-FI", "timezone_id": "Europe/Helsinki"}


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def weekend():
    friday = timezone.localdate() + dt.timedelta(days=30)
    venue = VenueFactory(
        name="Kurssikeskus Kuusirinne",
        city="Jyväskylä",
        arrival_instructions_en="Bus 12 from the station; we pick you up if you ask.",
    )
    RoomFactory(venue=venue, name="101", beds=2, accessible=True)
    RoomFactory(venue=venue, name="102", beds=1)
    course = CoursePageFactory(title="Viikonloppukurssi", format=CourseFormat.RESIDENTIAL)
    group = GroupFactory(
        course=course,
        venue=venue,
        capacity=10,
        starts_on=friday,
        ends_on=friday + dt.timedelta(days=2),
    )
    for offset, hour, title in ((0, 12, "Welcome"), (1, 9, "Walk in the forest"), (2, 10, "Home")):
        start = dt.datetime.combine(friday + dt.timedelta(days=offset), dt.time(hour), HELSINKI)
        MeetingFactory(
            group=group, starts_at=start, ends_at=start + dt.timedelta(hours=2), title=title
        )
    return group


def coordinator():
    user = UserFactory(username="koordinaattori", first_name="Kaisa")
    role = Role.objects.create(name="Residential coordinators")
    role.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="groups",
            codename__in=["view_stay", "change_stay", "change_meeting"],
        ),
    )
    user.groups.add(role)
    CoordinatorProfile.objects.create(user=user, network_wide=True)  # sees every centre
    return user


def test_enrol_with_gluten_free_and_pickup_then_coordinator_allocates_and_prints_meals(
    live_server, page: Page
):
    site_tree_ensure()
    group = weekend()
    coordinator()
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}{group.course.url}")
    expect(page.locator(".group-card__programme summary")).to_contain_text("Ohjelma")
    page.locator(".group-card__programme summary").click()
    expect(page.locator(".group-card__programme")).to_contain_text("Walk in the forest")
    assert_accessible(page)
    page.goto(f"{live_server.url}/en/enrol/{group.pk}/")
    assert_accessible(page)
    page.get_by_label("Name or pseudonym").fill("Kettu")
    page.locator("#id_email").fill("kettu@example.invalid")
    page.get_by_label("How do you travel?").select_option(label="Train")
    page.get_by_label("Expected arrival time").fill("11:40")
    page.get_by_label("I would like to be picked up from the station").check()
    page.get_by_label("Gluten-free").check()
    shot(page, "1-enrol-form")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Send enrolment").click()
    expect(page.locator(".status")).to_contain_text("Your place is confirmed")

    page.get_by_role("link", name="Manage your place").click()
    expect(page.get_by_role("heading", name="Programme")).to_be_visible()
    expect(page.locator(".programme")).to_contain_text("Walk in the forest")
    expect(page.locator("main")).to_contain_text("Bus 12 from the station")
    shot(page, "2-manage")
    assert_accessible(page)
    stay = Stay.objects.get(enrolment__group=group)
    assert stay.gluten_free and stay.pickup_wanted
    assert stay.travel_mode == Stay.Travel.TRAIN

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("koordinaattori")
    page.locator("#id_password").fill("test-password-123")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/admin/")
    assert "Kurssikeskuskurssit" in page.content()  # the admin menu offers the screens
    page.goto(f"{live_server.url}/admin/residential/")
    row = page.locator("tr", has_text="Viikonloppukurssi")
    row.get_by_role("link", name="Huonejako").click()
    page.get_by_label("Kettu").select_option(label="102")
    shot(page, "3-allocation")
    page.get_by_role("button", name="Tallenna huoneet").click()
    expect(page.locator(".messages")).to_contain_text("Huoneet on tallennettu")
    stay.refresh_from_db()
    assert stay.room.name == "102"

    page.locator(".residential-nav").get_by_role("link", name="Ateriamäärät").click()
    table = page.locator("#meal-counts")
    expect(table).to_contain_text("Lounas")
    lunch = table.locator("tbody tr").first
    # Day, meal, meals, vegetarian, vegan, gluten-free.
    expect(lunch.locator("td").nth(1)).to_have_text("1")
    expect(lunch.locator("td").nth(4)).to_have_text("1")
    expect(page.get_by_role("button", name="Tulosta")).to_be_visible()
    shot(page, "4-meals")
    page.emulate_media(media="print")
    expect(page.locator(".residential-nav")).to_be_hidden()
    expect(page.locator(".print-only")).to_be_visible()
    shot(page, "5-meals-print")
    with page.expect_download() as download:
        page.emulate_media(media="screen")
        page.get_by_role("link", name="Lataa CSV").click()
    assert download.value.suggested_filename == f"meal-counts-{group.pk}.csv"
