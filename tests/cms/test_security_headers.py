import pytest


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client, site_tree):
    response = client.get("/fi/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_wagtail_admin_is_left_without_the_public_policy(client):
    response = client.get("/admin/login/")

    assert "Content-Security-Policy" not in response
