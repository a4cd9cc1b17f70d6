"""Error pages in the visitor's language, each with the helplines and a way back (issue 13)."""

import pytest
from django.test import Client

from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [
    ("fi", "09 2525 0111", "Sivua ei löytynyt", "Liian monta yritystä lyhyessä ajassa"),
    ("sv", "09 2525 0112", "Sidan hittades inte", "För många försök på kort tid"),
    ("en", "09 2525 0116", "Page not found", "Too many tries in a short time"),
]


def assert_kind_page(response, language: str, helpline: str, title: str) -> None:
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert helpline in html and 'href="tel:112"' in html
    assert f'href="/{language}/"' in html  # a way back
    assert "Traceback" not in html
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("language", "helpline", "title", "_"), LANGUAGES)
def test_404_is_a_page_in_the_visitors_language_with_helplines(
    client, site_tree, language, helpline, title, _
):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert_kind_page(response, language, helpline, title)


@pytest.mark.parametrize(("language", "helpline", "_", "title"), LANGUAGES)
def test_a_burst_of_enrolments_meets_a_kind_429_page(
    client, site_tree, settings, language, helpline, _, title, django_assert_max_num_queries
):
    settings.ENROLMENT_RATE_LIMIT = 3
    group = GroupFactory()
    url = f"/{language}/enrol/{group.pk}/"
    client.get(url)  # the form first, as a visitor sees it (the helpline setting is made once)
    valid = {"display_name": "x", "language": "fi", "consent": "on"}
    for n in range(3):
        assert client.post(url, {**valid, "phone": f"040 000 000{n}"}).status_code == 302
    with django_assert_max_num_queries(4):
        response = client.post(url, {**valid, "phone": "040 000 0009"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert_kind_page(response, language, helpline, title)


def test_a_burst_of_logins_from_one_address_meets_the_429_page(client, site_tree, settings):
    settings.LOGIN_RATE_LIMIT = 5
    codes = [
        client.post(
            "/accounts/login/",
            {"username": f"user{n}", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="sv",
        ).status_code
        for n in range(8)
    ]
    assert codes == [200] * 5 + [429] * 3
    response = client.post("/accounts/login/", {"username": "u", "password": "p"})
    assert "09 2525 01" in response.content.decode()
    # Another address is not affected.
    other = client.post(
        "/accounts/login/", {"username": "u", "password": "p"}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 200


def test_the_admin_login_is_limited_too(client, site_tree, settings):
    settings.LOGIN_RATE_LIMIT = 1
    client.post("/admin/login/", {"username": "a", "password": "b"})
    assert client.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 429


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_an_oversized_form_is_refused_with_413_and_a_kind_page(site_tree, language):
    group = GroupFactory()
    response = Client().post(
        f"/{language}/enrol/{group.pk}/",
        {"display_name": "x", "accessibility_needs": "a" * 400_000},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "09 2525 0111" in html
    from groups.models import Enrolment

    assert not Enrolment.objects.exists()


def test_an_upload_too_large_for_the_admin_is_refused_before_it_is_read(site_tree, settings):
    settings.ADMIN_REQUEST_MAX_BYTES = 1000
    response = Client().post(
        "/admin/images/multiple/add/", {"files[]": "x" * 2000}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 413


def test_too_many_fields_give_a_kind_400_page(site_tree, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    group = GroupFactory()
    data = {f"field{n}": "x" for n in range(50)}
    response = Client().post(f"/en/enrol/{group.pk}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not read the form" in html
    assert "09 2525 0116" in html
