"""Absolute links start with BASE_URL, never with the Host a request carried; `make run`
shows the site's own error pages (issue 23)."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from wagtail.models import Site

from cms.services.site import site_address_sync
from demo.management.commands.serve import server_environment
from tests.cms.test_settings import settings_in_subprocess
from tests.factories import CoursePageFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://vertaistuki.example"
FORGED_HOST = "attacker.example"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE
    settings.WAGTAILADMIN_BASE_URL = BASE


def test_the_sitemap_lists_pages_on_base_url(client, site_tree):
    body = client.get("/sitemap.xml", HTTP_HOST=FORGED_HOST).content.decode()

    assert f"<loc>{BASE}/fi/</loc>" in body
    assert f"<loc>{BASE}/sv/</loc>" in body
    assert FORGED_HOST not in body
    assert "localhost" not in body


def test_canonical_link_and_structured_data_are_on_base_url(client, site_tree):
    group = GroupFactory(course=CoursePageFactory(title="Surevien ryhmä"))
    home = client.get("/fi/", HTTP_HOST=FORGED_HOST).content.decode()
    assert f'<link rel="canonical" href="{BASE}/fi/">' in home
    assert f'<meta property="og:url" content="{BASE}/fi/">' in home

    course = client.get(group.course.url, HTTP_HOST=FORGED_HOST).content.decode()
    assert f'"url": "{BASE}{group.course.url}"' in course
    assert f'"url": "{BASE}/fi/enrol/{group.pk}/"' in course
    assert FORGED_HOST not in course


def test_a_password_reset_link_never_takes_the_requests_host(client, site_tree):
    UserFactory(username="ohjaaja", email="ohjaaja@example.invalid")
    client.post(
        "/accounts/password_reset/", {"email": "ohjaaja@example.invalid"}, HTTP_HOST=FORGED_HOST
    )

    assert f"{BASE}/accounts/reset/" in mail.outbox[0].body
    assert FORGED_HOST not in mail.outbox[0].body


def test_the_wagtail_site_follows_base_url(site_tree):
    site_address_sync()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("vertaistuki.example", 443)
    assert site.root_url == BASE

    with override_settings(BASE_URL="http://127.0.0.1:8001"):
        site_address_sync()
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8001)


def test_make_run_serves_with_debug_off_on_its_own_address():
    environment = server_environment({"PATH": "/usr/bin"}, "127.0.0.1:8001")
    assert environment["DEBUG"] == "0"
    assert environment["BASE_URL"] == "http://127.0.0.1:8001"
    # Someone who asks for the debug pages, or runs behind another address, still can.
    asked = server_environment({"DEBUG": "1", "BASE_URL": "http://demo.example"}, "0.0.0.0:80")
    assert (asked["DEBUG"], asked["BASE_URL"]) == ("1", "http://demo.example")


def test_dev_settings_with_debug_off_still_serve_static_files(site_tree):
    out = settings_in_subprocess(
        "cms.settings.dev", {"DEBUG": "0"}, "s.DEBUG, s.WHITENOISE_USE_FINDERS"
    )
    assert out == "(False, True)"
    with override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=True):
        response = Client().get("/static/css/site.css")
        assert response.status_code == 200
        # A missing page is the site's own, with the helplines, not a debug page of URLs.
        missing = Client().get("/fi/no-such-page/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "09 2525 0111" in page
    assert "URLconf" not in page
