"""Public forms the way GOV.UK's design system does them: an error summary linking to each
field, "Error:" in the page title, autocomplete and input types, required and optional said in
words, no pre-chosen radio, and a mistake never counts towards the enrolment rate limit."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from groups.models import Enrolment
from groups.services.feedback import feedback_links_issue
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def enrol_url(group, language="en") -> str:
    with translation.override(language):
        return reverse("groups:enrol", kwargs={"group_id": group.pk})


VALID = {
    "display_name": "Sininen lintu",
    "phone": "040 123 4567",
    "language": "fi",
    "consent": "on",
}


def test_a_mistake_shows_an_error_summary_linking_to_each_field(client, site_tree, settings):
    settings.ENROLMENT_RATE_LIMIT = 0
    group = GroupFactory()

    response = client.post(enrol_url(group), {"display_name": "", "language": "fi"})

    assert response.status_code == 400
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith("Error: ")
    summary = re.search(r'<div class="error-summary"(.*?)</div>', html, re.S).group(0)
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert "There is a problem" in summary
    assert 'href="#id_display_name"' in summary
    assert 'href="#id_phone"' in summary  # neither e-mail nor phone
    assert 'href="#id_consent"' in summary
    assert 'src="/static/js/error-summary.js"' in html
    assert "<script>" not in html  # no inline script (CSP)


def test_the_summary_and_title_prefix_are_translated(client, site_tree, settings):
    settings.ENROLMENT_RATE_LIMIT = 0
    group = GroupFactory()
    for language, prefix, heading in [
        ("fi", "Virhe: ", "Tarkista tiedot"),
        ("sv", "Fel: ", "Det finns ett problem"),
    ]:
        html = client.post(enrol_url(group, language), {"language": "fi"}).content.decode()
        assert re.search(r"<title>\s*" + prefix, html), language
        assert heading in html, language


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, site_tree):
    html = client.get(enrol_url(GroupFactory())).content.decode()
    assert "error-summary" not in html
    assert "error-summary.js" not in html
    assert "<title>Error" not in html


def test_personal_fields_say_what_they_are_for_autofill(client, site_tree):
    html = client.get(enrol_url(GroupFactory())).content.decode()
    assert re.search(r'<input[^>]*name="display_name"[^>]*autocomplete="nickname"', html) or (
        re.search(r'<input[^>]*autocomplete="nickname"[^>]*name="display_name"', html)
    )
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert 'type="tel"' in phone and 'autocomplete="tel"' in phone
    email = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'type="email"' in email and 'autocomplete="email"' in email


def test_required_and_optional_are_said_in_words(client, site_tree):
    html = client.get(enrol_url(GroupFactory())).content.decode()
    name_label = re.search(r'<label for="id_display_name">(.*?)</label>', html, re.S).group(1)
    email_label = re.search(r'<label for="id_email">(.*?)</label>', html, re.S).group(1)
    consent_label = re.search(r'<label class="choice" for="id_consent">(.*?)</label>', html, re.S)
    assert "(required)" in name_label
    assert "(optional)" in email_label
    assert "(required)" in consent_label.group(1)


def test_the_feedback_form_has_no_pre_chosen_dashes_radio(client, site_tree):
    past = GroupFactory(status="running")
    MeetingFactory(group=past, starts_at=timezone.now() - dt.timedelta(days=3))
    EnrolmentFactory(group=past)
    path = feedback_links_issue(group=past)[0]

    html = client.get(path).content.decode()

    assert "---------" not in html
    assert " checked" not in html
    response = client.post(path, {"comment": "x"})
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert 'href="#id_recommend_0"' in html
    assert 'href="#id_helped_0"' in html


def test_failed_validations_do_not_count_towards_the_rate_limit(client, site_tree, settings):
    settings.ENROLMENT_RATE_LIMIT = 2
    group = GroupFactory()
    for _n in range(5):
        assert client.post(enrol_url(group), {"display_name": ""}).status_code == 400
    assert client.post(enrol_url(group), VALID).status_code == 302
    assert client.post(enrol_url(group), {**VALID, "phone": "040 765 4321"}).status_code == 302
    assert client.post(enrol_url(group), {**VALID, "phone": "040 111 2222"}).status_code == 429
    assert Enrolment.objects.count() == 2


def test_the_login_page_shows_the_same_summary(client, site_tree):
    response = client.post(
        "/accounts/login/", {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "error-summary" in html
    assert re.search(r"<title>\s*Error: ", html)
