import re

import pytest
from django.db import OperationalError
from django.test import Client

from cms.models import HomePage


@pytest.mark.django_db
def test_a_lost_database_gives_a_503_page_with_helplines_in_three_languages(site_tree, monkeypatch):
    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(HomePage, "serve", database_gone)

    response = Client(raise_request_exception=False).get("/fi/")

    assert response.status_code == 503
    html = response.content.decode()
    assert "Palvelu on hetken poissa käytöstä" in html
    assert "Tjänsten är tillfälligt otillgänglig" in html
    assert "The service is briefly unavailable" in html
    assert "09 2525 0111" in html and "09 2525 0112" in html and "09 2525 0116" in html
    assert 'href="tel:112"' in html
    assert "Traceback" not in html
    assert response["Retry-After"] == "60"
    # Exit this page works without the database and without a script: a plain link.
    assert re.search(
        r'<div class="exit-bar" role="region"[^>]*>\s*<div[^>]*>\s*<a class="exit-button" href="https://yle.fi/saa"',
        html,
    )
    assert "Poistu sivulta" in html and "Lämna sidan" in html and "Exit this page" in html


@pytest.mark.django_db
def test_an_unexpected_error_gives_a_500_page_with_helplines_and_no_stack_trace(
    site_tree, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(HomePage, "serve", broken)

    response = Client(raise_request_exception=False).get("/en/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "Jotain meni vikaan" in html
    assert "09 2525 0111" in html and 'href="tel:112"' in html
    assert "secret internals" not in html
