"""Editors make the Swedish and English versions of a page from the Finnish one in the admin
(Wagtail's simple translation), and the switcher then links the versions together."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.management import call_command
from wagtail.models import Locale

from cms.models import CrisisCentre, CrisisCentreIndexPage, HomePage, RemotePoint
from cms.search_text import words
from cms.towns import town_names
from courses.models import CourseIndexPage, CoursePage, Topic
from groups.models import Enrolment, Group, Meeting, Venue
from tests.factories import CoursePageFactory, UserFactory
from tests.page_text import unmarked_text

pytestmark = pytest.mark.django_db


def test_an_editor_creates_the_swedish_version_of_a_course_from_the_finnish_one(client, site_tree):
    course = CoursePageFactory(title="Surutyön ryhmä", slug="surutyo")
    sv = Locale.objects.get(language_code="sv")
    course.get_parent().copy_for_translation(sv).save_revision().publish()  # the sv catalogue
    editor = UserFactory(username="toimittaja")
    editor.groups.add(AuthGroup.objects.get(name="Editors"))
    assert editor.has_perm("simple_translation.submit_translation")
    client.force_login(editor)

    form = client.get(f"/admin/translation/submit/page/{course.pk}/")
    assert form.status_code == 200
    response = client.post(
        f"/admin/translation/submit/page/{course.pk}/",
        {"locales": [sv.pk], "include_subtree": ""},
    )

    assert response.status_code == 302
    swedish = CoursePage.objects.get(translation_key=course.translation_key, locale=sv)
    assert swedish.title == "Surutyön ryhmä"  # a copy to translate, not yet published
    assert not swedish.live
    assert swedish.get_parent().locale == sv


# --- No Finnish on Swedish and English pages except a marked fallback ----------------------------


def finnish_only_words() -> set[str]:
    """Words of the demo's Finnish texts that have no Swedish or English counterpart: names,
    addresses and titles written only in Finnish, and the Finnish side of translated ones."""
    finnish, other = [], []
    for centre in CrisisCentre.objects.all():
        finnish += [centre.name, centre.address, centre.opening_hours]
        other += [centre.name_sv, centre.name_en, centre.opening_hours_sv, centre.opening_hours_en]
    finnish += RemotePoint.objects.values_list("address", flat=True)
    for venue in Venue.objects.all():
        finnish += [venue.name, venue.address]
    finnish += Group.objects.values_list("name", flat=True)
    for meeting in Meeting.objects.exclude(title=""):
        finnish.append(meeting.title)
        other += [meeting.title_sv, meeting.title_en]
    for language, texts in (("fi", finnish), ("sv", other), ("en", other)):
        texts += Topic.objects.filter(locale__language_code=language).values_list("name", flat=True)
        texts += CoursePage.objects.filter(locale__language_code=language).values_list(
            "title", flat=True
        )
    towns = {
        name.casefold()
        for city in [*CrisisCentre.objects.values_list("city", flat=True), "Helsinki"]
        for name in town_names(city)
    }
    others = set(words(" ".join(other)))
    return {
        word
        for word in words(" ".join(finnish))
        if len(word) > 4 and word not in others and word not in towns and not word.isdigit()
    }


def public_urls(language: str) -> list[str]:
    """Every kind of public page of the demo in one language."""
    home = HomePage.objects.get(locale__language_code=language)
    catalogue = CourseIndexPage.objects.get(locale__language_code=language)
    directory = CrisisCentreIndexPage.objects.get(locale__language_code=language)
    courses = CoursePage.objects.live().filter(locale__language_code=language)
    enrolments = Enrolment.objects.select_related("group").order_by("pk")
    search = {
        "sv": ["Åbo", "Helsingfors", "sorg", "Jakobstad"],
        "en": ["Turku", "Helsinki", "grief"],
    }
    return [
        home.url,
        catalogue.url,
        directory.url,
        *(course.url for course in courses),
        *(f"/{language}/enrol/{group_id}/" for group_id in {e.group_id for e in enrolments}),
        *(f"/{language}/my/{enrolment.manage_token}/" for enrolment in enrolments),
        *(f"/{language}/enrol/done/{enrolment.done_token}/" for enrolment in enrolments[:5]),
        *(f"/{language}/search/?q={query}" for query in search[language]),
        f"/{language}/staying-safe-online/",
        f"/{language}/accessibility/",
        f"/{language}/privacy/",
    ]


def test_swedish_and_english_pages_show_finnish_only_marked_lang_fi(client, site_tree):
    """Every kind of public page of the demo (home, catalogue, course pages, enrol, done and
    manage pages, search results, the centre directory, the information pages) in Swedish and
    English: Finnish-only names, addresses and titles appear only inside elements marked
    lang="fi". One seeding for both languages."""
    call_command("seed_demo")
    finnish = finnish_only_words()
    assert "esimerkkikatu" in finnish
    found: dict[str, list[str]] = {}  # word: the pages showing it unmarked
    for url in [*public_urls("sv"), *public_urls("en")]:
        response = client.get(url)
        assert response.status_code == 200, url
        for word in set(words(unmarked_text(response.content.decode()))) & finnish:
            found.setdefault(word, []).append(url)
    assert {word: urls[:3] for word, urls in found.items()} == {}
