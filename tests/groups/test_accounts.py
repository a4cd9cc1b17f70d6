"""Logging in to the portal: Django's auth pages, lockout, reset by e-mail, no admin for
facilitators."""

import pytest
from django.core import mail
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_login_page_has_the_site_layout_and_labelled_fields(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'class="helpline-bar"' in page
    assert '<label for="id_username"' in page
    assert '<label for="id_password"' in page


def test_facilitator_logs_in_and_lands_in_the_portal(client, facilitator):
    response = client.post(
        "/accounts/login/", {"username": "fasilitaattori", "password": "test-password-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/facilitate/"
    # The session ends with the browser (and after SESSION_COOKIE_AGE at the latest).
    assert client.session.get_expire_at_browser_close()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_the_login(client, facilitator):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "fasilitaattori", "password": "wrong"})

    response = client.post(
        "/accounts/login/", {"username": "fasilitaattori", "password": "test-password-123"}
    )

    assert response.status_code == 429
    assert "Liian monta yritystä" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_by_e_mail(client, facilitator):
    response = client.post("/accounts/password_reset/", {"email": "fasi@example.invalid"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fasi@example.invalid"]
    assert "/accounts/reset/" in message.body
    assert "09 2525 0111" in message.body


def test_facilitator_never_sees_the_wagtail_admin(client, facilitator):
    client.force_login(facilitator)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/" not in client.get("/facilitate/").content.decode()


def test_logout_ends_the_session(client, facilitator):
    client.force_login(facilitator)
    response = client.post("/accounts/logout/")
    assert "Olet kirjautunut ulos" in response.content.decode()
    assert client.get("/facilitate/").status_code == 302
