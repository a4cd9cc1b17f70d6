"""The coordinators' view of the interest list: the demand table (counts only, small counts
hidden, by centre), its downloads, the most-wanted panel and "create a group" from a row."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as Role
from django.urls import reverse
from django.utils import timezone

from groups.admin.interest import MostWantedPanel
from groups.models import CoordinatorProfile, Interest
from groups.selectors.interest import interest_demand, most_wanted_without_group
from groups.services.interest import interest_create, interest_erase
from groups.services.roles import COORDINATORS, roles_ensure
from tests.factories import CoursePageFactory, CrisisCentreFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_tree):
    roles_ensure()
    joensuu = CrisisCentreFactory(name="Pohjois-Karjalan kriisikeskus", city="Joensuu")
    tampere = CrisisCentreFactory(name="Tampereen kriisikeskus", city="Tampere")
    course = CoursePageFactory(title="Nuorten vertaistukiryhmä")
    coordinator = UserFactory(username="joensuu-coordinator")
    coordinator.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=coordinator).centres.add(joensuu)
    tampere_coordinator = UserFactory(username="tampere-coordinator")
    tampere_coordinator.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=tampere_coordinator).centres.add(tampere)
    return {
        "course": course,
        "joensuu": joensuu,
        "tampere": tampere,
        "coordinator": coordinator,
        "tampere_coordinator": tampere_coordinator,
    }


def leave(course, n: int, *, towns=("Joensuu",), online=False, language="fi", **fields):
    return interest_create(
        course_key=course.translation_key,
        topic_key=course.topic.translation_key,
        towns=list(towns),
        online=online,
        language=language,
        display_name=f"Nuori {n}",
        phone=f"040 100 {1000 + n}",
        consent_text_version="2026-1",
        **fields,
    )


def test_the_table_counts_interests_by_course_town_language_and_month(world):
    start = timezone.localdate().replace(day=1) + dt.timedelta(days=62)
    for n in range(4):
        leave(world["course"], n, earliest_start=start)

    (row,) = interest_demand(user=world["coordinator"])

    assert (row.title, row.town, row.language, row.count) == (
        "Nuorten vertaistukiryhmä",
        "Joensuu",
        "fi",
        4,
    )
    assert row.month == start.replace(day=1)


def test_counts_below_three_are_not_shown(client, world):
    for n in range(2):
        leave(world["course"], n)
    client.force_login(world["coordinator"])

    body = client.get(reverse("groups_interest_report")).content.decode()

    assert "fewer than 3" in body or "alle 3" in body
    assert "Nuori 0" not in body  # never a name


def test_each_centre_sees_the_interest_in_its_own_towns(world):
    for n in range(3):
        leave(world["course"], n)
    leave(world["course"], 9, towns=["Tampere"])
    leave(world["course"], 10, towns=[], online=True)  # online only: the whole network

    assert [row.town for row in interest_demand(user=world["coordinator"])] == ["Joensuu"]
    assert [row.town for row in interest_demand(user=world["tampere_coordinator"])] == ["Tampere"]
    superuser = UserFactory(is_superuser=True)
    assert sorted(row.town for row in interest_demand(user=superuser)) == ["", "Joensuu", "Tampere"]


def test_withdrawing_removes_the_person_from_the_table(world):
    people = [leave(world["course"], n) for n in range(3)]
    assert interest_demand(user=world["coordinator"])[0].count == 3

    interest_erase(interest_id=people[0].pk)

    assert interest_demand(user=world["coordinator"])[0].count == 2


def test_the_download_has_the_same_rows_without_names(client, world):
    for n in range(3):
        leave(world["course"], n)
    client.force_login(world["coordinator"])

    response = client.get(reverse("groups_interest_report"), {"format": "csv"})

    text = response.content.decode("utf-8-sig")
    assert "Nuorten vertaistukiryhmä" in text and "Joensuu" in text and ";3" in text
    assert "Nuori" not in text and "+358" not in text


def test_the_table_takes_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        leave(world["course"], n, towns=["Joensuu", "Tampere"], language=["fi", "sv"][n % 2])
    client.force_login(world["coordinator"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("groups_interest_report")).status_code == 200


def test_the_panel_names_wanted_groups_until_a_group_opens(world):
    for n in range(3):
        leave(world["course"], n)
    user = world["coordinator"]

    (row,) = most_wanted_without_group(user=user)
    assert (row.town, row.count) == ("Joensuu", 3)
    assert "Nuorten vertaistukiryhmä" in MostWantedPanel(user).render_html()

    GroupFactory(course=world["course"], centre=world["joensuu"], status="open")
    assert most_wanted_without_group(user=user) == []


def test_create_a_group_from_a_row_prefills_course_language_and_centre(client, world):
    for n in range(3):
        leave(world["course"], n, language="sv")
    client.force_login(world["coordinator"])
    body = client.get(reverse("groups_interest_report")).content.decode()
    add = reverse("groups_group:add")
    start = body.index(f'href="{add}?')
    link = body[start + 6 : body.index('"', start + 6)].replace("&amp;", "&")

    form = client.get(link).content.decode()

    assert f'value="{world["course"].pk}" selected' in form
    assert 'value="sv" selected' in form
    assert f'value="{world["joensuu"].pk}" selected' in form


def test_a_foreign_centre_in_the_link_is_ignored(client, world):
    client.force_login(world["coordinator"])
    link = reverse("groups_group:add") + f"?centre={world['tampere'].pk}"
    form = client.get(link).content.decode()
    assert f'value="{world["tampere"].pk}" selected' not in form
    assert Interest.objects.count() == 0
