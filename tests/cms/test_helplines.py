"""The crisis helplines have one source (issue 21 point 6, issue 23 point 2): the site setting gives
the numbers and hours, `templates/includes/helplines.html` and `.txt` write them, and every place
that shows them lists the same lines: the Finnish line that is open 24/7, the page's own line
with its hours on Swedish and English pages, and 112."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from cms.errors import render_static_error
from cms.models import HelplineSettings, HomePage
from groups.models import Enrolment
from groups.services import outbox
from groups.views.public import RISK_NOTICE_SESSION_KEY
from tests.factories import EnrolmentFactory, UserFactory

LANGUAGES = ["fi", "sv", "en"]
# What a reader of each language is given, as dialled (the Finnish 24/7 line in every language).
NUMBERS = {
    "fi": {"0925250111", "112"},
    "sv": {"0925250112", "0925250111", "112"},
    "en": {"0925250116", "0925250111", "112"},
}
# The network's published hours: the own line's on sv/en pages, 24/7 beside the Finnish line.
HOURS = {
    "fi": ["24/7"],
    "sv": ["mån och ons kl. 16–20, tis, tors och fre kl. 9–13", "24/7"],  # noqa: RUF001
    "en": ["Mon 16–20, Tue and Fri 9–13", "24/7"],  # noqa: RUF001
}
WRITTEN_NUMBER = re.compile(r"(?<![\w])(?:09 ?2525 ?01\d\d|112)(?![\w])")
TEL_LINK = re.compile(r'href="tel:([^"]+)"')


def numbers_written(fragment: str) -> set[str]:
    return {number.replace(" ", "") for number in WRITTEN_NUMBER.findall(fragment)}


def assert_helplines(fragment: str, language: str, *, html: bool = True) -> None:
    assert numbers_written(fragment) == NUMBERS[language], fragment
    if html:
        assert set(TEL_LINK.findall(fragment)) == NUMBERS[language], fragment
    for hours in HOURS[language]:
        assert hours in fragment, fragment


def fragment(pattern: str, html: str) -> str:
    match = re.search(pattern, html, re.DOTALL)
    assert match, f"{pattern} not in the page"
    return match.group(0)


def bar(html: str) -> str:
    return fragment(r'<aside class="helpline-bar".*?</aside>', html)


def footer(html: str) -> str:
    return fragment(r'<footer class="site-footer">.*?</footer>', html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_bar_and_footer_list_the_same_helplines(client, site_tree, language):
    html = client.get(f"/{language}/").content.decode()

    assert_helplines(bar(html), language)
    assert_helplines(footer(html), language)


def crisis_notice_url(client, enrolment, language: str) -> str:
    """The page that shows the crisis notice: the done page, once, in the browser that has just
    enrolled with a risk answer (groups.views.public.enrol marks its session)."""
    session = client.session
    session[RISK_NOTICE_SESSION_KEY] = enrolment.pk
    session.save()
    with translation.override(language):
        return reverse("groups:enrol_done", kwargs={"token": enrolment.done_token})


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_crisis_notice_lists_the_24_7_line_and_never_says_a_limited_line_is_always_open(
    client, site_tree, language
):
    enrolment = EnrolmentFactory(risk_flagged=True, language=language)
    url = crisis_notice_url(client, enrolment, language)

    html = client.get(url).content.decode()

    notice = fragment(r'<section class="crisis-notice".*?</section>', html)
    assert_helplines(notice, language)
    assert "listens at any time" not in notice
    assert "lyssnar när som helst" not in notice
    assert 'id="helplines-heading"' not in notice  # the footer's heading stays unique


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_participant_e_mail_lists_the_same_helplines_in_text_and_html(site_tree, language):
    enrolment = EnrolmentFactory(language=language, status=Enrolment.Status.CONFIRMED)
    message = outbox.enrolment_message_queue(enrolment=enrolment, template="confirmed")

    _subject, text, html = outbox.message_render(message)

    assert_helplines(text.rpartition("\n-- \n")[2], language, html=False)
    assert_helplines(fragment(r'<section class="helplines".*?</section>', html), language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_e_mail_lists_the_same_helplines(site_tree, language):
    from groups.models import OutboxMessage
    from groups.services.outbox import staff_message_queue

    staff_message_queue(
        recipient="coordinator@example.invalid",
        language=language,
        template="go_no_go_alert",
        context={"group": "Ryhmä", "confirmed": 3, "min": 5, "dashboard_url": "/admin/"},
        idempotency_key=f"helplines-{language}",
    )

    _subject, text, html = outbox.message_render(OutboxMessage.objects.get())

    assert_helplines(text.rpartition("\n-- \n")[2], language, html=False)
    assert_helplines(fragment(r'<section class="helplines".*?</section>', html), language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_e_mail_lists_the_same_helplines(client, site_tree, language, mailoutbox):
    UserFactory(email="fasi@example.invalid")

    client.post(
        "/accounts/password_reset/",
        {"email": "fasi@example.invalid"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert_helplines(mailoutbox[0].body.rpartition("\n-- \n")[2], language, html=False)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_facilitator_portal_lists_the_same_helplines(client, site_tree, language):
    from django.contrib.auth.models import Group as AuthGroup

    facilitator = UserFactory()
    facilitator.groups.add(AuthGroup.objects.get_or_create(name="Facilitators")[0])
    client.force_login(facilitator)

    html = client.get("/facilitate/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<html lang="{language}">' in html
    assert_helplines(bar(html), language)
    assert_helplines(footer(html), language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page_lists_the_same_helplines(client, site_tree, language):
    response = client.get(f"/{language}/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_helplines(bar(html), language)
    assert_helplines(footer(html), language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_server_error_page_lists_the_same_helplines_in_each_language(
    site_tree, monkeypatch, language
):
    def broken(*args, **kwargs):
        raise RuntimeError("internals")

    monkeypatch.setattr(HomePage, "serve", broken)

    response = Client(raise_request_exception=False).get(f"/{language}/")

    assert response.status_code == 500
    html = response.content.decode()
    assert_helplines(fragment(rf'<section lang="{language}">.*?</section>', html), language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_lost_database_page_lists_the_same_helplines_in_each_language(
    site_tree, monkeypatch, language
):
    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(HomePage, "serve", database_gone)

    response = Client(raise_request_exception=False).get(f"/{language}/")

    assert response.status_code == 503
    html = response.content.decode()
    assert_helplines(fragment(rf'<section lang="{language}">.*?</section>', html), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_static_error_page_needs_no_database_and_lists_the_same_helplines(language):
    # No django_db mark: a query here would fail the test.
    html = render_static_error(503)

    assert_helplines(fragment(rf'<section lang="{language}">.*?</section>', html), language)
    assert_helplines(bar(html), "fi")


@pytest.mark.django_db
def test_edited_hours_are_shown_wherever_the_line_is(client, site_tree):
    setting = HelplineSettings.for_site(Site.objects.get(is_default_site=True))
    setting.crisis_line_hours_sv = "mån 10–12"  # noqa: RUF001
    setting.save()
    enrolment = EnrolmentFactory(risk_flagged=True, language="sv")
    message = outbox.enrolment_message_queue(enrolment=enrolment, template="received")
    manage = crisis_notice_url(client, enrolment, "sv")

    html = client.get("/sv/").content.decode()
    notice = fragment(
        r'<section class="crisis-notice".*?</section>', client.get(manage).content.decode()
    )
    _subject, text, mail_html = outbox.message_render(message)

    for shown in (bar(html), footer(html), notice, text, mail_html):
        words = " ".join(re.sub(r"<[^>]+>", "", shown).split())
        assert "09 2525 0112 (mån 10–12)" in words  # noqa: RUF001
        assert "kl. 16–20" not in words  # noqa: RUF001


@pytest.mark.django_db
def test_hours_migration_fills_only_empty_hours(site_tree):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("cms.migrations.0004_helpline_hours")
    setting = HelplineSettings.for_site(Site.objects.get(is_default_site=True))
    setting.crisis_line_hours_sv = ""
    setting.crisis_line_hours_en = "Mon 9–10"  # noqa: RUF001
    setting.save()

    migration.fill_empty_hours(apps, None)

    setting.refresh_from_db()
    assert setting.crisis_line_hours_sv == HOURS["sv"][0]
    assert setting.crisis_line_hours_en == "Mon 9–10"  # noqa: RUF001


def template_folders() -> list[Path]:
    """The project's template folders: the shared one and any app's own (not installed packages)."""
    from django.apps import apps

    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(directory).resolve() for directory in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        folder = Path(config.path).resolve() / "templates"
        if folder.is_dir() and folder.is_relative_to(base) and ".venv" not in folder.parts:
            folders.append(folder)
    return folders


# The helpline setting read in a template: only the two includes may do it.
READS_A_NUMBER = re.compile(r"get_helplines|\.emergency\b|\bline\.number\b")


def written_anyhow(numbers: list[str]) -> re.Pattern:
    """Each number in any spacing, with the trunk 0, +358 or neither."""
    digits = [r"[\s-]*".join(re.sub(r"\D", "", number).removeprefix("0")) for number in numbers]
    return re.compile(r"(?<![\w.])(?:\+358[\s-]*|0[\s-]*)?(?:" + "|".join(digits) + r")(?!\w)")


def test_no_template_but_the_two_includes_writes_a_helpline_number():
    includes = {Path("includes/helplines.html"), Path("includes/helplines.txt")}
    written = written_anyhow(
        [
            HelplineSettings._meta.get_field(name).default
            for name in ("crisis_line_fi", "crisis_line_sv", "crisis_line_en", "emergency_number")
        ]
    )
    offenders = []
    for root in template_folders():
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.relative_to(root) in includes:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                # A number typed in, or one read from the setting outside the two includes.
                if written.search(line) or READS_A_NUMBER.search(line):
                    offenders.append(f"{path}:{number}: {line.strip()}")

    assert template_folders()[0].joinpath("includes/helplines.html").is_file()
    assert offenders == []


def test_the_number_check_would_catch_a_number_written_elsewhere():
    """The check above is only worth its silence if it sees the ways a number gets written."""
    written = written_anyhow(["09 2525 0111", "112"])
    for line in ("soita 09 2525 0111", 'href="tel:0925250111"', "+358 9 2525 0111", "ring 112."):
        assert written.search(line), line
    for line in ("width: 1120px", "id=2112", "v1.12"):
        assert not written.search(line), line


@pytest.mark.django_db
def test_an_administrator_edits_numbers_and_hours_on_one_settings_screen(client, site_tree):
    site = Site.objects.get(is_default_site=True)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    html = client.get(reverse("wagtailsettings:edit", args=["cms", "helplinesettings", site.pk]))
    html = html.content.decode()

    assert "Ruotsinkielisen linjan aukioloajat" in html  # the admin speaks Finnish by default
    assert HOURS["sv"][0] in html and HOURS["en"][0] in html
