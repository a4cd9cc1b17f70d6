import datetime as dt

import pytest
from django.utils import timezone

from cms.models import CrisisCentreIndexPage
from tests.factories import CoursePageFactory, CrisisCentreFactory, GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(site_tree):
    home = site_tree["fi"]
    page = home.add_child(instance=CrisisCentreIndexPage(title="Kriisikeskukset", slug="keskukset"))
    page.save_revision().publish()
    return page


def test_directory_lists_every_centre_with_contact_and_upcoming_groups(client, directory):
    oulu = CrisisCentreFactory(name="Kriisikeskus Oulu", city="Oulu", phone="08 555 1234")
    CrisisCentreFactory(name="Kriisikeskus Kajaani", city="Kajaani")
    course = CoursePageFactory(title="Sururyhmä Oulussa")
    GroupFactory(course=course, centre=oulu, starts_on=timezone.localdate() + dt.timedelta(days=5))

    html = client.get(directory.url).content.decode()

    assert "Kriisikeskus Oulu" in html
    assert "08 555 1234" in html
    assert "Sururyhmä Oulussa" in html
    assert "Kriisikeskus Kajaani" in html
    assert "Tulevia ryhmiä ei ole juuri nyt." in html


def test_directory_query_count_does_not_grow(
    client, directory, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    course = CoursePageFactory()
    soon = timezone.localdate() + dt.timedelta(days=3)
    for number in range(5):
        GroupFactory(
            course=course, centre=CrisisCentreFactory(city=f"Kaupunki {number}"), starts_on=soon
        )
    client.get(directory.url)
    with django_assert_max_num_queries(14):
        client.get(directory.url)
    for number in range(40):
        GroupFactory(
            course=course,
            centre=CrisisCentreFactory(city=f"Toinen {number}"),
            facilitator_1=None,
            facilitator_2=None,
            starts_on=soon,
        )
    with django_assert_max_num_queries(14):
        response = client.get(directory.url)
    assert (
        response.content.decode().count("Kaupunki") + response.content.decode().count("Toinen")
        >= 45
    )


def test_each_centre_shows_its_hours_services_remote_points_and_catalogue_link(
    client, directory, site_tree
):
    from cms.models import RemotePoint
    from tests.factories import catalogue_page

    catalogue_page("sv")
    turku = CrisisCentreFactory(
        name="Kriisikeskus Turku",
        name_sv="Kriscentret i Åbo",
        city="Turku",
        address="Esimerkkikatu 1",
        opening_hours="ma–pe 9–16",  # noqa: RUF001
        opening_hours_sv="mån–fre 9–16",  # noqa: RUF001
        interpreter_available=True,
        offers_peer_groups=False,
    )
    RemotePoint.objects.create(centre=turku, town="Rauma", address="Kauppakatu 2")
    swedish = directory.copy_for_translation(site_tree["sv"].locale)
    swedish.title = "Kriscenter"
    swedish.save_revision().publish()

    html = client.get(CrisisCentreIndexPage.objects.get(pk=swedish.pk).url).content.decode()

    assert "Kriscentret i Åbo" in html
    assert '<span lang="fi">Esimerkkikatu 1</span>, Åbo' in html
    assert "mån–fre 9–16" in html  # noqa: RUF001
    assert "Krisstöd, Tolk finns att få" in html
    assert "Kamratstödsgrupper" not in html
    assert 'Raumo, <span lang="fi">Kauppakatu 2</span>' in html
    assert "?place=Turku" in html and "Alla grupper i Åbo i katalogen" in html


def test_opening_hours_fall_back_to_finnish_marked_as_finnish(client, directory, site_tree):
    CrisisCentreFactory(name="Kriisikeskus Kemi", city="Kemi", opening_hours="ti 10–14")  # noqa: RUF001
    english = directory.copy_for_translation(site_tree["en"].locale)
    english.title = "Crisis centres"
    english.save_revision().publish()

    html = client.get(CrisisCentreIndexPage.objects.get(pk=english.pk).url).content.decode()

    assert '<dd><span lang="fi">ti 10–14</span></dd>' in html  # noqa: RUF001


def test_directory_describes_every_centre_as_a_schema_org_organization(client, directory):
    import json
    import re

    from cms.models import RemotePoint

    oulu = CrisisCentreFactory(name="Kriisikeskus Oulu", city="Oulu", phone="08 555 1234")
    RemotePoint.objects.create(centre=oulu, town="Kemi")
    CrisisCentreFactory(name="Kriisikeskus </script><b>", city="Kajaani")

    response = client.get(directory.url)
    html = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    organisations = {item["name"]: item for item in data["@graph"]}

    assert organisations["Kriisikeskus Oulu"]["@type"] == "Organization"
    assert organisations["Kriisikeskus Oulu"]["telephone"] == "08 555 1234"
    assert [place["name"] for place in organisations["Kriisikeskus Oulu"]["location"]] == [
        "Kriisikeskus Oulu",
        "Kemi",
    ]
    assert "Kriisikeskus </script><b>" in organisations  # escaped inside the block, intact
    # A data block, not a script: the page's CSP (script-src 'self') stays as strict as it is.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_an_example_phone_number_is_shown_but_not_dialled(client, directory):
    CrisisCentreFactory(name="Kriisikeskus Salo", city="Salo", phone="050 000 0000 (esimerkki)")
    html = client.get(directory.url).content.decode()
    assert 'href="tel:0500000000"' in html
    assert "050 000 0000 (esimerkki)" in html


def test_an_editor_edits_a_centre_and_its_remote_points_in_the_admin(client, directory):
    from django.contrib.auth.models import Group as AuthGroup
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from cms.models import CrisisCentre
    from groups.services.roles import EDITORS, roles_ensure
    from tests.factories import UserFactory

    roles_ensure()
    editor = UserFactory()
    editor.groups.add(AuthGroup.objects.get(name=EDITORS))
    client.force_login(editor)
    centre = CrisisCentreFactory(name="Kriisikeskus Vaasa", city="Vaasa")
    url = reverse("wagtailsnippets_cms_crisiscentre:edit", args=[centre.pk])
    assert client.get(url).status_code == 200

    data = nested_form_data(
        {
            "name": "Kriisikeskus Vaasa",
            "name_sv": "Kriscentret i Vasa",
            "name_en": "Crisis Centre Vaasa",
            "city": "Vaasa",
            "region": "Pohjanmaa",
            "opening_hours": "ma 9–12",  # noqa: RUF001
            "offers_crisis_counselling": "on",
            "interpreter_available": "on",
            "remote_points": inline_formset([{"town": "Närpiö", "address": "Torikatu 1"}]),
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    centre = CrisisCentre.objects.get(pk=centre.pk)
    assert centre.name_sv == "Kriscentret i Vasa"
    assert centre.interpreter_available and not centre.offers_peer_groups
    assert [point.town for point in centre.remote_points.all()] == ["Närpiö"]
    # The search finds the centre by its new remote point in both languages.
    client.logout()
    html = client.get("/fi/search/", {"q": "Närpes"}).content.decode()
    assert "Kriisikeskus Vaasa" in html


def test_a_course_without_a_translation_is_named_in_finnish_marked_as_finnish(
    client, directory, site_tree
):
    centre = CrisisCentreFactory(
        name="Kriisikeskus Kemi", name_en="Crisis Centre Kemi", city="Kemi"
    )
    GroupFactory(course=CoursePageFactory(title="Sururyhmä Kemissä"), centre=centre)
    english = directory.copy_for_translation(site_tree["en"].locale)
    english.title = "Crisis centres"
    english.save_revision().publish()

    html = client.get(CrisisCentreIndexPage.objects.get(pk=english.pk).url).content.decode()

    assert 'lang="fi">Sururyhmä Kemissä</a>' in html
