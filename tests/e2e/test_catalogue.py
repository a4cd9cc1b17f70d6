import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

# What a visitor clicks and picks, in the language of the site.
STEPS = {
    "fi": {
        "topic": "Itsemurhan kautta läheisensä menettäneet",
        "mode": "Etänä",
        "language": "ruotsi",
        "weeks": "2 kuukauden sisällä",
        "catalogue": "Ryhmät ja koulutukset",
        "submit": "Näytä ryhmät",
        "calendar": "Lisää kalenteriin",
    },
    "sv": {
        "topic": "Efterlevande efter självmord",
        "mode": "På distans",
        "language": "svenska",
        "weeks": "inom 2 månader",
        "catalogue": "Grupper och utbildningar",
        "submit": "Visa grupper",
        "calendar": "Lägg till i kalendern",
    },
    "en": {
        "topic": "Bereaved by suicide",
        "mode": "Remote",
        "language": "Swedish",
        "weeks": "within 2 months",
        "catalogue": "Groups and trainings",
        "submit": "Show groups",
        "calendar": "Add to calendar",
    },
}


def test_visitor_finds_a_remote_swedish_group_for_the_bereaved_by_suicide(live_server, page: Page):
    """In each language in turn, on one seeding of the demo (seeding is the slow part)."""
    call_command("seed_demo")
    for language in STEPS:
        visitor_finds_the_group(live_server, page, language)


def visitor_finds_the_group(live_server, page: Page, language: str) -> None:
    steps = STEPS[language]
    page.goto(f"{live_server.url}/{language}/")
    page.locator(".home-sections").get_by_role("link", name=steps["catalogue"]).click()
    page.locator("#filter-topic").select_option(label=steps["topic"])
    page.locator("#filter-mode").select_option(label=steps["mode"])
    page.locator("#filter-language").select_option(label=steps["language"])
    page.locator("#filter-weeks").select_option(label=steps["weeks"])
    page.get_by_role("button", name=steps["submit"]).click()

    expect(page).to_have_url(
        f"{live_server.url}/{language}/"
        + {"fi": "ryhmat", "sv": "grupper", "en": "groups"}[language]
        + "/?topic=bereaved-by-suicide&format=&mode=remote&place=&language=sv&weeks=9"
    )
    cards = page.locator(".group-card")
    expect(cards).to_have_count(1)
    calendar_link = cards.first.get_by_role("link", name=steps["calendar"])
    response = page.request.get(live_server.url + calendar_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.text(), language
