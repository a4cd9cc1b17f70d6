import pytest

from demo.courses import seed_courses

pytestmark = pytest.mark.django_db


def test_search_finds_courses_in_the_visitors_language_only(client, site_tree):
    seed_courses()  # the demo catalogue, without the rest of the demo

    finnish = client.get("/fi/search/", {"q": "itsemurhan"}).content.decode()
    swedish = client.get("/sv/search/", {"q": "självmord"}).content.decode()

    assert "Vertaisryhmä itsemurhan kautta läheisensä menettäneille" in finnish
    assert "Kamratstödsgrupp för efterlevande efter självmord" not in finnish
    assert "Kamratstödsgrupp för efterlevande efter självmord" in swedish
    assert "Vertaisryhmä itsemurhan kautta" not in swedish


def test_empty_and_unmatched_searches_say_what_to_do(client, site_tree):
    assert "Kirjoita hakukenttään" in client.get("/fi/search/").content.decode()
    html = client.get("/fi/search/", {"q": "zzzzqqq"}).content.decode()
    assert "0 tulosta haulle" in html


@pytest.mark.parametrize("query", ['"', 'suru"', "(suru", "suru AND", "* -", "NEAR("])
def test_query_syntax_typed_by_a_visitor_is_only_words(client, site_tree, query):
    response = client.get("/fi/search/", {"q": query})
    assert response.status_code == 200


def test_words_inside_quotes_are_still_found(client, site_tree):
    seed_courses()  # the demo catalogue, without the rest of the demo
    html = client.get("/fi/search/", {"q": '"itsemurhan'}).content.decode()
    assert "Vertaisryhmä itsemurhan kautta läheisensä menettäneille" in html
