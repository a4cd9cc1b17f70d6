"""Site search as a visitor uses it (issue 25): inflected words, towns in either language,
centres, grouped results with the next group, counted misses, constant queries, the cache."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.models import (
    CrisisCentreIndexPage,
    RemotePoint,
    SearchDocument,
    SearchMiss,
    StandardPage,
)
from cms.services.search import search_misses_purge
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    GroupFactory,
    course_translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(site_tree):
    page = site_tree["fi"].add_child(
        instance=CrisisCentreIndexPage(title="Kriisikeskukset", slug="keskukset")
    )
    page.save_revision().publish()
    return page


def search(client, query, language="fi"):
    return client.get(f"/{language}/search/", {"q": query}).content.decode()


def test_inflected_finnish_words_find_the_course(client, site_tree):
    CoursePageFactory(
        title="Sururyhmä läheisensä menettäneille",
        summary="Vertaistukea menetyksen jälkeen itsemurhan kautta.",
    )
    for query in ["menetys", "menetyksen", "sururyhmään", "itsemurha", "MENETTÄNEILLE"]:
        assert "Sururyhmä läheisensä menettäneille" in search(client, query), query


def test_swedish_and_english_word_forms_find_their_pages(client, site_tree):
    CoursePageFactory(
        language="sv",
        title="Sorggrupp för efterlevande",
        summary="Kamratstöd efter ett självmord.",
    )
    CoursePageFactory(
        language="en", title="Group for the bereaved", summary="Peer support after a suicide."
    )
    assert "Sorggrupp för efterlevande" in search(client, "självmordet", "sv")
    assert "Sorggrupp för efterlevande" in search(client, "sorggrupperna", "sv")
    assert "Group for the bereaved" in search(client, "bereavement", "en")
    assert "Group for the bereaved" in search(client, "suicides", "en")
    assert "Group for the bereaved" not in search(client, "suicides", "fi")


def test_a_town_in_either_official_language_finds_its_groups(client, site_tree):
    turku = CrisisCentreFactory(name="Kriisikeskus Turku", city="Turku")
    course = CoursePageFactory(title="Nuorten sururyhmä")
    CoursePageFactory(title="Ryhmä muualla")
    GroupFactory(course=course, centre=turku)

    for query in ["Turku", "Åbo", "åbo", "sururyhmä Åbo"]:
        html = search(client, query)
        assert "Nuorten sururyhmä" in html, query
        assert "Ryhmä muualla" not in html, query


def test_results_are_grouped_courses_first_with_the_next_group(client, directory):
    oulu = CrisisCentreFactory(
        name="Kriisikeskus Oulu", city="Oulu", name_sv="Kriscentret i Uleåborg"
    )
    course = CoursePageFactory(title="Oulun vertaisryhmä", summary="Ryhmä Oulussa.")
    soon = timezone.localdate() + dt.timedelta(days=6)
    GroupFactory(course=course, centre=oulu, starts_on=soon + dt.timedelta(days=20))
    GroupFactory(course=course, centre=oulu, starts_on=soon)
    page = site_tree_page(directory, "Tietoa Oulusta", "Oulu on kaupunki pohjoisessa.")

    html = search(client, "Oulu")

    assert (
        html.index("Oulun vertaisryhmä") < html.index("Kriisikeskus Oulu") < html.index(page.title)
    )
    assert f"Seuraava ryhmä: {soon.day}.{soon.month}.{soon.year}, Oulu" in html
    assert "3 tulosta haulle" in html


def test_a_search_naming_a_town_shows_the_next_group_in_that_town(client, site_tree):
    oulu = CrisisCentreFactory(name="Kriisikeskus Oulu", city="Oulu")
    turku = CrisisCentreFactory(name="Kriisikeskus Turku", city="Turku")
    course = CoursePageFactory(title="Sururyhmä nuorille", summary="Vertaistukea surussa.")
    course_translate(course, "sv", title="Sorggrupp för unga", summary="Stöd i sorgen.")
    soon = timezone.localdate() + dt.timedelta(days=5)
    later = soon + dt.timedelta(days=30)
    GroupFactory(course=course, centre=oulu, starts_on=soon)
    GroupFactory(course=course, centre=turku, starts_on=later, mode="remote")
    GroupFactory(course=course, centre=turku, starts_on=later + dt.timedelta(days=7))
    in_turku = later + dt.timedelta(days=7)

    assert f"Seuraava ryhmä: {in_turku.day}.{in_turku.month}.{in_turku.year}, Turku" in search(
        client, "sururyhmä Turku"
    )
    html = search(client, "sorggrupp Åbo", "sv")
    assert f"Nästa grupp: {in_turku.day}.{in_turku.month}.{in_turku.year}, Åbo" in html
    # No town in the query: the network's next group, wherever it meets.
    assert f"Seuraava ryhmä: {soon.day}.{soon.month}.{soon.year}, Oulu" in search(
        client, "sururyhmä"
    )


def site_tree_page(directory, title, introduction):
    home = directory.get_parent()
    page = home.add_child(
        instance=StandardPage(title=title, slug="oulu", introduction=introduction)
    )
    page.save_revision().publish()
    return page


def test_centre_names_and_remote_points_find_the_centre(client, directory):
    centre = CrisisCentreFactory(name="Kriisikeskus Tampere", city="Tampere")
    RemotePoint.objects.create(centre=centre, town="Sastamala")

    for query in ["Kriisikeskus Tampere", "Tammerfors", "Sastamala", "kriisikeskuksen"]:
        assert "Kriisikeskus Tampere" in search(client, query), query
    assert f"#centre-{centre.pk}" in search(client, "Sastamala")


def test_unpublished_pages_leave_the_results(client, site_tree, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the cache is cleared after a commit, never in a test
    course = CoursePageFactory(title="Poistuva sururyhmä")
    assert "Poistuva sururyhmä" in search(client, "sururyhmä")
    course.unpublish()
    assert "Poistuva sururyhmä" not in search(client, "sururyhmä")
    assert not SearchDocument.objects.filter(source=f"courses.coursepage:{course.pk}").exists()


def test_nothing_found_suggests_the_catalogue_filters_and_is_counted(client, site_tree):
    CoursePageFactory(title="Sururyhmä")
    GroupFactory(centre=CrisisCentreFactory(name="Kriisikeskus Vaasa", city="Vaasa"))

    html = search(client, "  Kissat!! ")
    search(client, "kissat")
    search(client, "kissat", "sv")

    assert "0 tulosta haulle" in html
    assert "Hae ryhmää luettelon suodattimilla" in html
    assert "?place=Vaasa" in html and "?topic=bereaved-by-suicide" in html
    misses = {(miss.query, miss.language): miss.count for miss in SearchMiss.objects.all()}
    assert misses == {("kissat", "fi"): 2, ("kissat", "sv"): 1}
    assert SearchMiss.objects.get(language="fi").day == timezone.localdate()


def test_searches_that_found_something_are_not_counted(client, site_tree):
    CoursePageFactory(title="Sururyhmä")
    search(client, "sururyhmä")
    assert not SearchMiss.objects.exists()


def test_counts_older_than_thirty_days_are_purged(site_tree):
    today = timezone.localdate()
    SearchMiss.objects.create(query="vanha", language="fi", day=today - dt.timedelta(days=31))
    SearchMiss.objects.create(query="uusi", language="fi", day=today - dt.timedelta(days=29))
    assert search_misses_purge(today=today) == 1
    assert list(SearchMiss.objects.values_list("query", flat=True)) == ["uusi"]


def test_retention_task_purges_the_counts(site_tree):
    from groups.tasks import retention_erase_due

    SearchMiss.objects.create(
        query="vanha", language="fi", day=timezone.localdate() - dt.timedelta(days=40)
    )
    retention_erase_due()
    assert not SearchMiss.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "suru " * 500,
        "'; DROP TABLE cms_searchdocument; --",
        "1 OR 1=1",
        "😢💔 suru",
        "\u200b\u202e",
        "%_%",
        "menet:* & !suru | (",
    ],
)
def test_hostile_queries_give_a_normal_page(client, site_tree, query):
    CoursePageFactory(title="Sururyhmä")
    response = client.get("/fi/search/", {"q": query})
    assert response.status_code == 200
    assert "Kriisipuhelin" in response.content.decode() or "112" in response.content.decode()
    assert SearchDocument.objects.exists()


def test_query_count_does_not_grow_with_the_results(
    client, directory, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0

    def add(number):
        centre = CrisisCentreFactory(name=f"Kriisikeskus {number}", city=f"Kaupunki{number}")
        course = CoursePageFactory(title=f"Sururyhmä {number}")
        GroupFactory(course=course, centre=centre)

    for number in range(3):
        add(number)
    search(client, "sururyhmä")
    with django_assert_max_num_queries(14) as few:
        search(client, "sururyhmä kriisikeskus")
    for number in range(3, 25):
        add(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = search(client, "sururyhmä")
    assert html.count("Seuraava ryhmä:") == 25


def test_results_are_cached_like_pages_and_misses_are_not(client, site_tree, settings):
    settings.PAGE_CACHE_SECONDS = 300
    CoursePageFactory(title="Sururyhmä")
    search(client, "sururyhmä")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cached:
        assert "Sururyhmä" in search(client, "sururyhmä")
    assert len(cached) == 0
    search(client, "olematon")
    search(client, "olematon")
    assert SearchMiss.objects.get().count == 2


def test_suggestions_offer_titles_for_partial_words(client, site_tree):
    turku = CrisisCentreFactory(name="Kriisikeskus Turku", city="Turku")
    GroupFactory(course=CoursePageFactory(title="Nuorten sururyhmä"), centre=turku)
    CoursePageFactory(title="Koulutus ammattilaisille")

    def suggest(query, language="fi"):
        response = client.get(f"/{language}/search/suggest/", {"q": query})
        assert response["Content-Type"] == "application/json"
        return json.loads(response.content)["suggestions"]

    assert suggest("surur") == ["Nuorten sururyhmä"]
    assert suggest("nuorten su") == ["Nuorten sururyhmä"]
    assert suggest("åb") == ["Nuorten sururyhmä"]
    assert suggest("koul") == ["Koulutus ammattilaisille"]
    assert suggest("s") == []
    assert suggest("surur", "sv") == []


def test_header_search_box_has_a_visible_label_and_suggestions(client, site_tree):
    html = client.get("/sv/search/").content.decode()
    assert '<label for="site-search-q">Sök på webbplatsen</label>' in html
    assert 'list="site-search-suggestions"' in html
    assert "/static/js/search.js" in html or "js/search" in html


def test_rebuild_writes_every_document_again(site_tree, directory):
    CoursePageFactory(title="Sururyhmä")
    CrisisCentreFactory(name="Kriisikeskus Kajaani", city="Kajaani")
    before = set(SearchDocument.objects.values_list("source", "language", "title"))
    SearchDocument.objects.all().delete()
    call_command("search_index_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(SearchDocument.objects.values_list("source", "language", "title")) == before


def test_editors_see_searches_without_results_on_the_dashboard(client, site_tree, admin_user):
    SearchMiss.objects.create(
        query="kissaterapia", language="fi", day=timezone.localdate(), count=4
    )
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "kissaterapia" in html
    assert ">4<" in html


@pytest.mark.postgres
def test_postgres_searches_in_each_pages_own_text_search_configuration(client, site_tree):
    """On PostgreSQL the words are matched by the `finnish`, `swedish` and `english`
    configurations (stop words dropped, word forms stemmed), as on SQLite by the stems."""
    CoursePageFactory(title="Sururyhmä läheisensä menettäneille", summary="Menetyksen jälkeen.")
    CoursePageFactory(language="sv", title="Sorggrupp", summary="Stöd efter ett självmord.")
    CoursePageFactory(language="en", title="Group for the bereaved", summary="After a suicide.")

    assert "Sururyhmä läheisensä menettäneille" in search(client, "menetys sururyhmiin")
    assert "Sorggrupp" in search(client, "självmordet och sorggrupperna", "sv")
    assert "Group for the bereaved" in search(client, "the bereavement groups", "en")
    assert "0 tulosta" in search(client, "bereavement")


def test_a_page_made_private_leaves_the_results(client, site_tree, settings):
    from wagtail.models import PageViewRestriction

    settings.PAGE_CACHE_SECONDS = 0
    course = CoursePageFactory(title="Salainen sururyhmä")
    assert "Salainen sururyhmä" in search(client, "sururyhmä")
    restriction = PageViewRestriction.objects.create(
        page=course.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert "Salainen sururyhmä" not in search(client, "sururyhmä")
    restriction.delete()
    assert "Salainen sururyhmä" in search(client, "sururyhmä")


def test_a_centre_without_a_name_in_the_page_language_is_found_and_marked_finnish(
    client, directory, site_tree
):
    english = directory.copy_for_translation(site_tree["en"].locale)
    english.title = "Crisis centres"
    english.save_revision().publish()
    CrisisCentreFactory(name="Kriisikeskus Kemi", city="Kemi")
    CrisisCentreFactory(name="Kriisikeskus Kemi 2", name_en="Crisis Centre Kemi", city="Kemi")

    html = search(client, "Kemi", "en")

    assert 'lang="fi">Kriisikeskus Kemi</a>' in html
    assert '">Crisis Centre Kemi</a>' in html
