import json

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

# What a visitor types into the header search box, and what must come first.
STEPS = {
    "fi": {
        "label": "Hae sivustolta",
        "query": "itsemurhaan Turku",
        "course": "Vertaisryhmä itsemurhan kautta läheisensä menettäneille",
        "next": "Seuraava ryhmä:",
        "centre_query": "Pietarsaari",
        "centre": "Kriisikeskus Pietarsaari",
        "partial": "vertaisr",
    },
    "sv": {
        "label": "Sök på webbplatsen",
        "query": "självmordet Åbo",
        "course": "Kamratstödsgrupp för efterlevande efter självmord",
        "next": "Nästa grupp:",
        "centre_query": "Jakobstad",
        "centre": "Kriscentret i Jakobstad",
        "partial": "kamratst",
    },
    "en": {
        "label": "Search the site",
        "query": "bereavement Turku",
        "course": "Peer group for people bereaved by suicide",
        "next": "Next group:",
        "centre_query": "Jakobstad",
        "centre": "Crisis Centre Pietarsaari",
        "partial": "peer gr",
    },
}


def test_visitor_finds_a_course_by_a_word_form_and_a_town_and_a_centre_by_its_town(
    live_server, page: Page
):
    """In each language in turn, on one seeding of the demo (seeding is the slow part)."""
    call_command("seed_demo")
    for language in STEPS:
        visitor_searches(live_server, page, language)


def visitor_searches(live_server, page: Page, language: str) -> None:
    steps = STEPS[language]

    page.goto(f"{live_server.url}/{language}/")
    page.get_by_label(steps["label"]).fill(steps["query"])
    page.get_by_label(steps["label"]).press("Enter")

    first = page.locator(".search-results li").first
    expect(first.get_by_role("link").first).to_have_text(steps["course"])
    expect(first).to_contain_text(steps["next"])

    page.get_by_label(steps["label"]).fill(steps["centre_query"])
    page.get_by_label(steps["label"]).press("Enter")
    expect(page.get_by_role("link", name=steps["centre"])).to_be_visible()

    response = page.request.get(
        f"{live_server.url}/{language}/search/suggest/?q={steps['partial']}"
    )
    assert steps["course"] in json.loads(response.text())["suggestions"], language
