"""The visitor's address behind reverse proxies, shared login budgets and limited password
resets (issue 22): one rule for every rate limit and for django-axes."""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory, override_settings

from cms.client_address import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def login(client, path="/accounts/login/", forwarded_for=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(path, {"username": "someone", "password": "wrong"}, **extra)


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client, site_tree, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.LOGIN_RATE_LIMIT = 2
    codes = [
        login(client, forwarded_for=f"198.51.100.{n}", remote="203.0.113.9").status_code
        for n in range(3)
    ]
    # A bot inventing a new X-Forwarded-For for every try still spends its own one budget.
    assert codes == [200, 200, 429]


def test_behind_one_proxy_each_visitor_has_their_own_budget(client, site_tree, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_LIMIT = 2
    assert [login(client, forwarded_for="198.51.100.1").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    # Another visitor through the same proxy is not blocked by the first one.
    assert login(client, forwarded_for="198.51.100.2").status_code == 200


def test_behind_one_proxy_only_the_right_most_address_counts(client, site_tree, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_LIMIT = 2
    codes = [
        # The visitor wrote the left part; our proxy appended the address it really saw.
        login(client, forwarded_for=f"192.0.2.{n}, 198.51.100.7").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_client_address_rule():
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7, 10.0.0.2"
    )
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_address(request) == PROXY
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_address(request) == "198.51.100.7"
    with override_settings(TRUSTED_PROXY_COUNT=4):
        # Fewer entries than proxies: the header did not come through our chain.
        assert client_address(request) == PROXY
    garbage = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>")
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(garbage) == PROXY


@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_django_axes_records_the_same_address_as_the_rate_limits(client, site_tree):
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7"
    )
    assert get_client_ip_address(request) == client_address(request) == "198.51.100.7"

    login(client, forwarded_for="192.0.2.1, 198.51.100.7")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]


def test_the_site_and_admin_logins_share_one_budget(client, site_tree, settings):
    settings.LOGIN_RATE_LIMIT = 2
    assert login(client, "/accounts/login/").status_code == 200
    assert login(client, "/admin/login/").status_code == 200
    assert login(client, "/accounts/login/").status_code == 429
    assert login(client, "/admin/login/").status_code == 429


def reset(client, path, email, remote=PROXY):
    return client.post(path, {"email": email}, REMOTE_ADDR=remote)


@pytest.mark.parametrize("path", ["/admin/password_reset/", "/accounts/password_reset/"])
def test_password_reset_mails_to_one_person_are_limited(client, site_tree, settings, path):
    settings.PASSWORD_RESET_ACCOUNT_RATE_LIMIT = 3
    user = UserFactory(username="koordinaattori", email="koordinaattori@example.invalid")
    codes = [
        # From a new address every time: the limit is the person's, not only the address's.
        reset(client, path, user.email.upper(), remote=f"198.51.100.{n}").status_code
        for n in range(35)
    ]
    assert codes[:3] == [302] * 3
    assert set(codes[3:]) == {429}
    assert len(mail.outbox) == 3


def test_password_reset_forms_share_a_budget_per_address(client, site_tree, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 4
    codes = [
        reset(client, path, f"person{n}@example.invalid").status_code
        for n, path in enumerate(["/admin/password_reset/", "/accounts/password_reset/"] * 3)
    ]
    assert codes == [302] * 4 + [429] * 2
