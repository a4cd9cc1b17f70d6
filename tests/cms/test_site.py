import pytest
from django.db import DatabaseError
from django.test import override_settings

from cms.models import HelplineSettings

HELPLINES = {"fi": "09 2525 0111", "sv": "09 2525 0112", "en": "09 2525 0116"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_home_page_shows_the_helpline_of_its_language_and_112(client, site_tree, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert HELPLINES[language] in html
    assert 'href="tel:112"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_pages_in_swedish_and_english_also_show_the_24_7_finnish_line(client, site_tree, language):
    html = client.get(f"/{language}/").content.decode()

    assert "09 2525 0111" in html


@pytest.mark.django_db
def test_standard_page_shows_helplines_too(client, site_tree):
    from cms.models import StandardPage

    about = site_tree["en"].add_child(instance=StandardPage(title="About us", slug="about"))
    about.save_revision().publish()

    response = client.get("/en/about/")

    assert response.status_code == 200
    assert "09 2525 0116" in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_shows_helplines(client, site_tree):
    response = client.get("/fi/no-such-page/")

    assert response.status_code == 404
    assert "09 2525 0111" in response.content.decode()


@pytest.mark.django_db
def test_edited_helpline_number_is_shown(client, site_tree):
    from wagtail.models import Site

    setting = HelplineSettings.for_site(Site.objects.get(is_default_site=True))
    setting.crisis_line_en = "09 0000 0000"
    setting.save()

    assert "09 0000 0000" in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_root_redirects_to_a_language(client, site_tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 302
    assert response["Location"] == "/sv/"


@pytest.mark.django_db
def test_language_switcher_names_each_language_in_itself(client, site_tree):
    html = client.get("/en/").content.decode()

    assert 'hreflang="fi">suomi<' in html
    assert 'hreflang="sv">svenska<' in html
    assert 'hreflang="en" aria-current="true">English<' in html


@pytest.mark.django_db
def test_switcher_of_an_untranslated_page_shows_the_finnish_page_with_a_notice(client, site_tree):
    from cms.models import StandardPage

    only_fi = site_tree["fi"].add_child(instance=StandardPage(title="Vain suomeksi", slug="vain"))
    only_fi.save_revision().publish()

    html = client.get("/fi/vain/").content.decode()
    assert 'href="/fi/vain/?unavailable=sv" lang="sv"' in html
    assert 'href="/fi/vain/?unavailable=en" lang="en"' in html
    assert 'href="/fi/vain/" lang="fi"' in html
    assert "translation-notice" not in html

    response = client.get("/fi/vain/?unavailable=sv")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<p class="message translation-notice" role="status" lang="sv">'
        "Den här sidan finns inte på svenska; här visas den finska versionen.</p>"
    ) in html
    assert "Vain suomeksi" in html
    # The switcher does not carry the notice along.
    assert 'href="/fi/vain/?unavailable=en" lang="en"' in html

    english = client.get("/fi/vain/?unavailable=en").content.decode()
    assert "This page is not available in English; showing the Finnish version." in english


@pytest.mark.django_db
def test_a_page_missing_in_finnish_too_falls_back_to_the_nearest_translated_ancestor(
    client, site_tree
):
    from cms.models import StandardPage

    parent = site_tree["en"].add_child(instance=StandardPage(title="About", slug="about"))
    parent.save_revision().publish()
    only_en = parent.add_child(instance=StandardPage(title="Only in English", slug="only"))
    only_en.save_revision().publish()

    html = client.get("/en/about/only/").content.decode()
    assert 'href="/sv/?unavailable=sv" lang="sv"' in html
    assert 'href="/fi/?unavailable=fi" lang="fi"' in html

    response = client.get("/sv/?unavailable=sv")
    assert response.status_code == 200
    assert "Sidan du var på finns inte på det här språket" in response.content.decode()


@pytest.mark.django_db
def test_unknown_language_in_the_notice_parameter_is_ignored(client, site_tree):
    html = client.get("/fi/?unavailable=de").content.decode()
    assert "translation-notice" not in html


@pytest.mark.django_db
def test_site_tree_ensure_is_idempotent(site_tree):
    from wagtail.models import Page, Site

    from cms.services.site import site_tree_ensure

    pages_before = Page.objects.count()
    again = site_tree_ensure()

    assert Page.objects.count() == pages_before
    assert Site.objects.count() == 1
    assert {code: page.pk for code, page in again.items()} == {
        code: page.pk for code, page in site_tree.items()
    }


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(ADMIN_PATH="admin")
@pytest.mark.django_db
def test_wagtail_admin_login_page_is_served(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
