"""Exit this page, staying safe online, the accessibility statement with its feedback form, and
the privacy notice made from what the models store: on every public page, in fi, sv and en."""

import datetime as dt
import re

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from cms.models import AccessibilityFeedback
from cms.selectors import privacy_notice
from groups.models import Enrolment
from groups.services.roles import COORDINATORS, roles_ensure
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def path(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def public_pages(group) -> list[str]:
    return [
        "/fi/",
        "/sv/",
        "/en/",
        path("groups:enrol", "sv", group_id=group.pk),
        path("search", "en"),
        path("staying_safe", "fi"),
        path("accessibility_statement", "en"),
        path("privacy_notice", "sv"),
    ]


def test_every_public_page_has_the_exit_button_in_a_landmark_and_the_footer_links(
    client, site_tree, settings
):
    settings.QUICK_EXIT_URL = "https://www.example.org/weather"
    group = GroupFactory()
    for url in public_pages(group):
        html = client.get(url).content.decode()
        region = re.search(
            r'<div class="exit-bar" role="region" aria-label="[^"]+">(.*?)</div>\s*</div>',
            html,
            re.S,
        )
        assert region, url
        button = re.search(r"<a [^>]*data-quick-exit[^>]*>", region.group(1)).group(0)
        assert 'href="https://www.example.org/weather"' in button, url
        assert 'role="button"' in button
        assert "Shift" in region.group(1), url  # the shortcut said on the page
        language = url.split("/")[1]
        assert f'href="/{language}/staying-safe-online/"' in region.group(1), url
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'href="/{language}/accessibility/"' in footer, url
        assert f'href="/{language}/privacy/"' in footer, url
        assert "<script>" not in html


@pytest.mark.parametrize(
    ("language", "button", "heading"),
    [
        ("fi", "Poistu sivulta", "Turvallisesti verkossa"),
        ("sv", "Lämna sidan", "Tryggt på nätet"),
        ("en", "Exit this page", "Staying safe online"),
    ],
)
def test_the_staying_safe_page_speaks_the_visitors_language(
    client, site_tree, language, button, heading
):
    response = client.get(path("staying_safe", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert button in html
    assert "112" in html
    assert "09 2525 0111" in html  # helplines from the one source


def test_the_accessibility_statement_names_what_the_law_asks_for(client, site_tree):
    html = client.get(path("accessibility_statement", "fi")).content.decode()
    assert "<h1>Saavutettavuusseloste</h1>" in html
    assert "306/2019" in html
    assert "Traficom" in html  # supervises accessibility since 2025
    assert "saavutettavuusvaatimukset.fi" in html
    assert "5.12.2026" in html  # when it was prepared
    assert "osittain" in html  # compliance status
    assert 'name="message"' in html  # the feedback channel


def test_accessibility_feedback_is_stored_for_the_coordinators(client, site_tree):
    url = path("accessibility_statement", "sv")
    response = client.post(
        url,
        {"message": "Kontrasten i menyn är för svag.", "email": "a@example.org", "name": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "Tack." in response.content.decode()
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == "Kontrasten i menyn är för svag."
    assert feedback.language == "sv"
    assert feedback.replied_at is None


def test_an_empty_feedback_form_comes_back_with_the_error_summary(client, site_tree):
    response = client.post(path("accessibility_statement", "en"), {"message": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_message"' in html
    assert re.search(r"<title>\s*Error: ", html)
    assert not AccessibilityFeedback.objects.exists()


def test_the_dashboard_shows_unanswered_feedback_with_its_two_week_deadline(client, site_tree):
    roles = roles_ensure()
    coordinator = UserFactory()
    coordinator.groups.add(roles[COORDINATORS])
    old = AccessibilityFeedback.objects.create(message="Kuvilta puuttuu tekstivastine.")
    AccessibilityFeedback.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - dt.timedelta(days=20)
    )
    new = AccessibilityFeedback.objects.create(message="Lomakkeen virhe ei näy.")
    AccessibilityFeedback.objects.create(message="Vastattu jo.", replied_at=timezone.now())

    client.force_login(coordinator)
    with translation.override("en"):
        html = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    panel = html[html.index('id="accessibility-feedback-heading"') :]
    panel = panel[: panel.index("</section>")]
    assert "(2)" in panel
    assert "Kuvilta puuttuu" in panel and "Reply overdue since" in panel
    due = timezone.localtime(new.received_at + dt.timedelta(days=14))
    assert "Lomakkeen virhe" in panel
    assert "Vastattu jo" not in panel
    assert due.strftime("%d/%m/%Y") in panel or f"{due.day}" in panel
    # The coordinator can open and answer it.
    edit = client.get(reverse("wagtailsnippets_cms_accessibilityfeedback:edit", args=[new.pk]))
    assert edit.status_code == 200


def test_a_facilitator_sees_no_feedback_panel(client, site_tree):
    AccessibilityFeedback.objects.create(message="x")
    editor = UserFactory(is_superuser=False)
    roles = roles_ensure()
    editor.groups.add(roles["Editors"])
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "accessibility-feedback-heading" not in html


def test_the_privacy_notice_lists_what_the_models_store(client, site_tree, settings):
    settings.RETENTION_DAYS = 90
    html = client.get(path("privacy_notice", "en")).content.decode()
    enrolments = html[html.index(">Enrolments<") :]
    enrolments = enrolments[: enrolments.index("</section>")]
    for field in ["Name or pseudonym", "E-mail", "Phone", "Accessibility needs", "Intake answers"]:
        assert field in enrolments
    assert "90 days after the group" in enrolments
    assert "Manage token" not in enrolments.lower().title()  # bookkeeping is not listed
    records = {str(record["name"]) for record in privacy_notice()}
    assert {"Enrolments", "Stays", "Accessibility feedback"} <= records
    for record in records:
        assert f">{record[0].upper()}{record[1:]}</h2>" in html, record


def test_the_privacy_notice_is_in_swedish(client, site_tree):
    html = client.get(path("privacy_notice", "sv")).content.decode()
    assert "<h1>Dataskyddsbeskrivning</h1>" in html
    assert "Varför" in html and "Hur länge" in html


def test_a_personal_field_added_to_a_model_shows_in_the_privacy_notice(
    client, site_tree, monkeypatch
):
    field = models.CharField(
        max_length=10, blank=True, verbose_name="Shoe size", help_text="For the sauna slippers."
    )
    field.set_attributes_from_name("shoe_size")
    field.model = Enrolment
    monkeypatch.setattr(
        Enrolment._meta, "concrete_fields", (*Enrolment._meta.concrete_fields, field)
    )

    html = client.get(path("privacy_notice", "en")).content.decode()

    assert "Shoe size: <span" in html
    assert "For the sauna slippers." in html
