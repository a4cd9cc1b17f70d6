import pytest

from tests.factories import UserFactory


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    pairs = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: value for name, _, value in pairs}


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client, site_tree):
    response = client.get("/fi/")

    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_error_pages_and_the_login_carry_the_public_policy(client, site_tree):
    for response in (client.get("/fi/no-such-page/"), client.get("/accounts/login/")):
        assert directives(response)["script-src"] == "'self'"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/admin/", "/admin/pages/"])
def test_the_wagtail_admin_has_its_own_policy(client, site_tree, path):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(path, follow=path == "/admin/login/")

    policy = directives(response)
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"
    # Wagtail's own inline scripts run, but nothing is loaded from another site.
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["default-src"] == "'self'"
    assert "camera=()" in response["Permissions-Policy"]
