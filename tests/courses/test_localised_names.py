"""No Finnish on Swedish and English pages unless marked lang="fi": the accessible names of the
Enrol and Add-to-calendar links take the course's title in the page's language."""

import pytest
from wagtail.models import Locale

from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    GroupFactory,
    course_translate,
)
from tests.page_text import unmarked_text

pytestmark = pytest.mark.django_db

FINNISH = "Vertaisryhmä äkillisesti läheisensä menettäneille"
TITLES = {"sv": "Kamratstödsgrupp efter en plötslig död", "en": "Peer group after a sudden death"}


@pytest.fixture
def translated_course(site_tree):
    course = CoursePageFactory(title=FINNISH, languages=["fi", "sv", "en"])
    for language, title in TITLES.items():
        course_translate(course, language, title=title)
    centre = CrisisCentreFactory(
        name="Kriisikeskus Helsinki",
        name_sv="Kriscentret i Helsingfors",
        name_en="Crisis Centre Helsinki",
    )
    GroupFactory.create_batch(2, course=course, centre=centre)
    return course


@pytest.mark.parametrize("language", ["sv", "en"])
def test_catalogue_and_course_page_name_their_links_in_the_page_language(
    client, translated_course, language
):
    course = translated_course.get_translation(Locale.objects.get(language_code=language))
    for url in [course.get_parent().url, course.url]:
        html = client.get(url).content.decode()
        # Two groups, each with an Enrol and an Add-to-calendar link.
        assert html.count(f"<span>{TITLES[language]}</span>,") == 4, url
        assert FINNISH not in unmarked_text(html), url


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_enrol_page_names_the_course_in_the_page_language(client, translated_course, language):
    group = translated_course.groups.first()
    html = client.get(f"/{language}/enrol/{group.pk}/").content.decode()
    assert TITLES[language] in html
    assert FINNISH not in unmarked_text(html)


def test_the_parser_sees_marked_finnish_as_marked():
    html = f'<html lang="sv"><p>Hej <span lang="fi">{FINNISH}</span></p></html>'
    assert FINNISH not in unmarked_text(html)
    assert FINNISH in unmarked_text(f'<html lang="sv"><p>{FINNISH}</p></html>')


@pytest.mark.parametrize(
    ("language", "name"),
    [("sv", "Kriscentret i Helsingfors"), ("en", "Crisis Centre Helsinki")],
)
def test_crisis_centres_are_named_in_the_page_language(client, translated_course, language, name):
    course = translated_course.get_translation(Locale.objects.get(language_code=language))
    html = client.get(course.url).content.decode()
    assert f"<h3>{name}</h3>" in html
    assert "Kriisikeskus Helsinki" not in unmarked_text(html)


def test_a_centre_without_a_translated_name_is_marked_finnish(client, translated_course):
    translated_course.groups.first().centre.__class__.objects.update(name_en="")
    course = translated_course.get_translation(Locale.objects.get(language_code="en"))
    html = client.get(course.url).content.decode()
    assert '<h3><span lang="fi">Kriisikeskus Helsinki</span></h3>' in html


def test_the_network_centres_have_swedish_and_english_names(db):
    from cms.services.site import crisis_centres_ensure

    centres = {centre.city: centre for centre in crisis_centres_ensure()}
    assert centres["Turku"].name_sv == "Kriscentret i Åbo"
    assert centres["Turku"].name_en == "Crisis Centre Turku"
    assert centres["Kuopio"].name_sv == "Kriscentret i Kuopio"


@pytest.fixture
def swedish_topic(translated_course):
    topic = translated_course.topic
    swedish = topic.copy_for_translation(Locale.objects.get(language_code="sv"))
    swedish.name = "Efterlevande efter självmord"
    swedish.save()
    return swedish


def test_topics_are_named_in_the_page_language(client, translated_course, swedish_topic):
    course = translated_course.get_translation(Locale.objects.get(language_code="sv"))
    finnish = translated_course.topic.name
    for url in [course.get_parent().url, course.url]:
        html = client.get(url).content.decode()
        assert "Efterlevande efter självmord" in html, url
        assert finnish not in unmarked_text(html), url


def test_a_topic_without_a_translation_is_marked_finnish(client, translated_course):
    course = translated_course.get_translation(Locale.objects.get(language_code="en"))
    finnish = translated_course.topic.name
    for url in [course.get_parent().url, course.url]:
        html = client.get(url).content.decode()
        assert f'<span lang="fi">{finnish}</span>' in html, url
        assert finnish not in unmarked_text(html), url
