import datetime as dt

import pytest
from django.utils import timezone

from groups.models import Enrolment, Group
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    TopicFactory,
    catalogue_page,
)

pytestmark = pytest.mark.django_db


def today_plus(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def catalogue(site_tree):
    return catalogue_page("fi")


@pytest.fixture
def tampere():
    return CrisisCentreFactory(name="Kriisikeskus Tampere", city="Tampere", region="Pirkanmaa")


def get(client, catalogue, query=""):
    response = client.get(catalogue.url + query)
    assert response.status_code == 200
    return response.content.decode()


def test_catalogue_lists_courses_with_their_upcoming_groups(client, catalogue, tampere):
    course = CoursePageFactory(title="Surusta eteenpäin")
    GroupFactory(course=course, centre=tampere, starts_on=today_plus(10), capacity=8)
    GroupFactory(course=course, mode=Group.Mode.REMOTE, language="sv", starts_on=today_plus(20))
    GroupFactory(course=course, starts_on=today_plus(-3), name="Alkanut jo")

    html = get(client, catalogue)

    assert "Surusta eteenpäin" in html
    assert "Tampere" in html
    assert "Etä" in html  # remote, in Finnish
    assert "svenska" in html.lower() or "ruotsi" in html.lower()
    assert "8 paikkaa jäljellä" in html
    assert "Alkanut jo" not in html


def test_full_group_offers_the_waiting_list_and_closed_one_says_full(client, catalogue):
    course = CoursePageFactory()
    waiting = GroupFactory(course=course, capacity=5, min_size=5, starts_on=today_plus(7))
    EnrolmentFactory.create_batch(5, group=waiting)
    closed = GroupFactory(course=course, status=Group.Status.FULL, starts_on=today_plus(8))

    html = get(client, catalogue)

    assert "jonotuslistalle" in html
    assert "Täynnä, ilmoittautuminen on päättynyt" in html
    assert f"/fi/enrol/{waiting.pk}/" in html
    assert f"/fi/enrol/{closed.pk}/" not in html


def test_filters_find_a_remote_swedish_group_for_the_bereaved_by_suicide(client, catalogue):
    suicide = TopicFactory(slug="bereaved-by-suicide", name="Itsemurha")
    other = TopicFactory(slug="sudden-death", name="Äkkikuolema")
    wanted = CoursePageFactory(title="Sorgegrupp", topic=suicide)
    CoursePageFactory(title="Äkillinen menetys", topic=other)
    hit = GroupFactory(
        course=wanted, mode=Group.Mode.REMOTE, language="sv", starts_on=today_plus(30)
    )
    GroupFactory(course=wanted, mode=Group.Mode.REMOTE, language="fi", starts_on=today_plus(30))
    GroupFactory(course=wanted, mode=Group.Mode.REMOTE, language="sv", starts_on=today_plus(90))
    GroupFactory(course=wanted, language="sv", starts_on=today_plus(30))

    html = get(
        client, catalogue, "?topic=bereaved-by-suicide&mode=remote&language=sv&weeks=9&places=1"
    )

    assert "Sorgegrupp" in html
    assert "Äkillinen menetys" not in html
    assert html.count('class="group-card"') == 1
    assert f'id="group-{hit.pk}"' in html


def test_place_filter_matches_city_or_region(client, catalogue, tampere):
    course = CoursePageFactory(title="Pirkanmaan ryhmä")
    CoursePageFactory(title="Helsingin ryhmä")
    GroupFactory(course=course, centre=tampere)

    assert "Pirkanmaan ryhmä" in get(client, catalogue, "?place=Pirkanmaa")
    html = get(client, catalogue, "?place=Tampere")
    assert "Pirkanmaan ryhmä" in html
    assert "Helsingin ryhmä" not in html


def test_wrong_filter_values_are_ignored(client, catalogue):
    CoursePageFactory(title="Näkyy silti")

    html = get(client, catalogue, "?topic=nonsense&weeks=-3&mode=x&language=de&place=Atlantis")

    assert "Näkyy silti" in html


def test_no_results_explain_how_to_widen_the_search_and_show_helplines(client, catalogue):
    course = CoursePageFactory()
    GroupFactory(course=course, language="fi")

    html = get(client, catalogue, "?language=en")

    assert "Emme löytäneet ryhmiä" in html
    assert "Näytä kaikki kurssit" in html
    assert "09 2525 0111" in html


def test_catalogue_query_count_does_not_grow_with_groups(
    client, catalogue, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # count the queries of a real render
    centre = CrisisCentreFactory()
    courses = [CoursePageFactory() for _ in range(3)]

    def make_groups(count):
        for number in range(count):
            group = GroupFactory(
                course=courses[number % 3],
                centre=centre,
                facilitator_1=None,
                facilitator_2=None,
                starts_on=today_plus(number % 60 + 1),
            )
            if number % 4 == 0:
                EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)

    make_groups(5)
    client.get(catalogue.url)  # warm the site and settings caches the same way for both
    with django_assert_max_num_queries(14):
        assert client.get(catalogue.url + "?places=1").status_code == 200
    make_groups(195)
    with django_assert_max_num_queries(14):
        response = client.get(catalogue.url)
    assert response.content.decode().count('class="group-card"') == 200


def test_language_switcher_keeps_the_filters(client, catalogue, site_tree):
    sv_catalogue = catalogue.copy_for_translation(site_tree["sv"].locale)
    sv_catalogue.save_revision().publish()

    html = get(client, catalogue, "?mode=remote&language=sv")

    assert f'href="{sv_catalogue.url}?mode=remote&amp;language=sv"' in html


def test_catalogue_shows_twenty_courses_a_page_and_keeps_the_filters_in_its_links(
    client, catalogue, tampere
):
    courses = [CoursePageFactory(title=f"Kurssi {n:02}") for n in range(23)]
    for course in courses[:21]:
        GroupFactory(course=course, centre=tampere, starts_on=today_plus(5), language="fi")

    first = get(client, catalogue, "?language=fi")
    second = get(client, catalogue, "?language=fi&page=2")

    assert "21 courses found" in first or "21 kurssia" in first
    assert first.count('class="course-card"') == 20
    assert second.count('class="course-card"') == 1
    assert "Kurssi 20" in second and "Kurssi 21" not in second  # no groups: filtered out
    assert 'href="?language=fi&amp;page=2"' in first
    assert 'href="?language=fi&amp;page=1"' in second
    # A page number past the end shows the last page rather than an error.
    assert get(client, catalogue, "?language=fi&page=99").count('class="course-card"') == 1
