"""Secure defaults: cookies in production, upload limits for images, documents and imports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form

from tests.cms.test_settings import settings_in_subprocess

PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-key-for-the-check-only",
    "ALLOWED_HOSTS": "vertaistuki.example",
}


def test_production_cookies_are_secure_http_only_and_short_lived():
    out = settings_in_subprocess(
        "cms.settings.production",
        PRODUCTION,
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_HTTPONLY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.DEBUG",
    )
    assert out == "(True, True, True, True, True, 28800, True, True, False)"


def test_uploads_are_limited_in_type_and_size():
    out = settings_in_subprocess(
        "cms.settings.production",
        PRODUCTION,
        "s.WAGTAILIMAGES_MAX_UPLOAD_SIZE, s.WAGTAILDOCS_MAX_UPLOAD_SIZE, "
        "sorted(s.WAGTAILIMAGES_EXTENSIONS), sorted(s.WAGTAILDOCS_EXTENSIONS)",
    )
    assert out == (
        "(10485760, 20971520, ['avif', 'gif', 'jpeg', 'jpg', 'png', 'webp'], "
        "['csv', 'docx', 'odt', 'pdf', 'txt', 'xlsx'])"
    )


@pytest.mark.django_db
@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_a_document_over_the_size_limit_is_refused():
    form_class = get_document_form(get_document_model())
    big = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 " + b"x" * 2048)
    form = form_class(data={"title": "Notes"}, files={"file": big})
    assert not form.is_valid()
    assert "file" in form.errors

    small = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 small")
    form = form_class(data={"title": "Notes"}, files={"file": small})
    form.is_valid()
    assert "file" not in form.errors


@pytest.mark.django_db
def test_a_document_of_another_type_is_refused():
    form_class = get_document_form(get_document_model())
    script = SimpleUploadedFile("run.exe", b"MZ")
    form = form_class(data={"title": "Run"}, files={"file": script})
    assert not form.is_valid()
    assert "file" in form.errors
