"""What a participant sees of a residential course: the stay on the enrolment form and the
manage page, the programme on the course page and in the calendar."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from groups.models import Enrolment, Stay
from groups.services.schedule import HELSINKI
from tests.factories import GroupFactory, MeetingFactory, StayFactory
from tests.groups.test_residential import residential_group
from tests.groups.test_views_enrolment import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0
    settings.PAGE_CACHE_SECONDS = 0


def upcoming():
    first = timezone.localdate() + dt.timedelta(days=30)
    group = residential_group(starts_on=first, ends_on=first + dt.timedelta(days=2))
    for offset, hour, title in ((0, 12, "Tervetuloa"), (1, 9, "Metsäkävely"), (2, 10, "Kotiin")):
        start = dt.datetime.combine(first + dt.timedelta(days=offset), dt.time(hour), HELSINKI)
        MeetingFactory(
            group=group, starts_at=start, ends_at=start + dt.timedelta(hours=2), title=title
        )
    return group


def enrol_url(group, language="fi") -> str:
    with translation.override(language):
        return reverse("groups:enrol", kwargs={"group_id": group.pk})


def test_enrolment_form_asks_about_the_stay_only_for_residential_courses(client, site_tree):
    group = upcoming()
    page = client.get(enrol_url(group)).content.decode()
    assert 'name="stay-gluten_free"' in page
    assert 'name="stay-pickup_wanted"' in page
    assert f'value="{group.starts_on.isoformat()}"' in page
    weekly = client.get(enrol_url(GroupFactory())).content.decode()
    assert "stay-" not in weekly


def test_enrolling_with_a_gluten_free_diet_and_a_pickup(client, site_tree):
    group = upcoming()
    data = form_data(
        **{
            "stay-arrives_on": group.starts_on.isoformat(),
            "stay-departs_on": group.ends_on.isoformat(),
            "stay-travel_mode": "train",
            "stay-arrival_time": "11:40",
            "stay-pickup_wanted": "on",
            "stay-diet": "",
            "stay-gluten_free": "on",
        }
    )
    response = client.post(enrol_url(group), data)
    assert response.status_code == 302
    stay = Stay.objects.get(enrolment__group=group)
    assert stay.gluten_free and stay.pickup_wanted
    assert stay.arrival_time == dt.time(11, 40)


def test_a_departure_before_arrival_is_shown_next_to_the_field(client, site_tree):
    group = upcoming()
    data = form_data(
        **{
            "stay-arrives_on": group.ends_on.isoformat(),
            "stay-departs_on": group.starts_on.isoformat(),
        }
    )
    response = client.post(enrol_url(group), data)
    assert response.status_code == 400
    assert "Lähtöpäivä ei voi olla ennen saapumispäivää." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_manage_page_shows_programme_venue_and_lets_the_person_update_the_stay(client, site_tree):
    group = upcoming()
    stay = StayFactory(enrolment__group=group, enrolment__language="sv")
    enrolment = stay.enrolment
    with translation.override("sv"):
        url = reverse("groups:manage", kwargs={"token": enrolment.manage_token})
        stay_url = reverse("groups:manage_stay", kwargs={"token": enrolment.manage_token})
    page = client.get(url).content.decode()
    assert "Metsäkävely" in page
    assert "Buss 12 från stationen." in page
    assert 'name="stay-diet"' in page

    response = client.post(
        stay_url,
        {
            "stay-arrives_on": group.starts_on.isoformat(),
            "stay-departs_on": group.ends_on.isoformat(),
            "stay-diet": "vegan",
            "stay-allergies": "Selleri",
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.diet, stay.allergies) == ("vegan", "Selleri")


def test_course_page_shows_the_programme_day_by_day(
    client, site_tree, django_assert_max_num_queries
):
    group = upcoming()
    client.get(group.course.url)
    with django_assert_max_num_queries(16):
        page = client.get(group.course.url).content.decode()
    assert page.index("Tervetuloa") < page.index("Metsäkävely") < page.index("Kotiin")
    assert "Kurssikeskus Kuusela" in page


def test_calendar_has_the_sessions_with_their_titles(client, site_tree):
    group = upcoming()
    with translation.override("fi"):
        url = reverse("groups:group_calendar", kwargs={"group_id": group.pk})
    body = client.get(url).content.decode()
    assert body.count("BEGIN:VEVENT") == 3
    assert "SUMMARY:Metsäkävely" in body
