"""Private links: a key per purpose, each expiring; the crisis notice after a risk answer shows
once; pages with personal data are never stored; no key reaches a log line."""

import datetime as dt
import importlib.util
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from gunicorn.config import Config

from cms.logs import PrivateLinkFilter
from courses.models import IntakeQuestion
from groups.models import Enrolment
from groups.services.privacy import person_data_erase
from tests.factories import CoursePageFactory, EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


def link(name: str, token: str, language: str = "fi") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"token": token})


def enrol(client, group, **answers):
    data = {
        "display_name": "Sininen lintu",
        "phone": "040 123 4567",
        "language": "fi",
        "consent": "on",
        "website": "",
        **answers,
    }
    return client.post(link_enrol(group), data, follow=True)


def link_enrol(group) -> str:
    with translation.override("fi"):
        return reverse("groups:enrol", kwargs={"group_id": group.pk})


def risk_group():
    course = CoursePageFactory()
    question = IntakeQuestion.objects.create(
        course=course,
        text="Onko sinulla ollut viime aikoina itsetuhoisia ajatuksia?",
        kind=IntakeQuestion.Kind.YES_NO,
        is_risk_question=True,
        risk_answers="yes",
    )
    return GroupFactory(course=course), f"intake_{question.pk}"


# --- A key per purpose --------------------------------------------------------------------


def test_each_purpose_has_its_own_key_and_none_opens_anothers_page(client, site_tree):
    enrolment = EnrolmentFactory()
    keys = {enrolment.manage_token, enrolment.done_token, enrolment.certificate_token}
    assert len(keys) == 3

    assert client.get(link("groups:enrol_done", enrolment.done_token)).status_code == 200
    assert client.get(link("groups:enrol_done", enrolment.manage_token)).status_code == 404
    assert client.get(link("groups:manage", enrolment.done_token)).status_code == 404
    assert client.get(link("groups:manage", enrolment.certificate_token)).status_code == 404
    assert client.get(link("certificates:certificate", enrolment.manage_token)).status_code == 404


def test_enrolling_leads_to_the_done_page_by_its_own_key(client, site_tree):
    response = enrol(client, GroupFactory())

    enrolment = Enrolment.objects.get()
    assert response.redirect_chain[-1][0] == link("groups:enrol_done", enrolment.done_token)
    assert link("groups:manage", enrolment.manage_token) in response.content.decode()


def test_erasure_retires_every_key(client, site_tree):
    enrolment = EnrolmentFactory()
    old = (enrolment.manage_token, enrolment.done_token, enrolment.certificate_token)

    person_data_erase(enrolments=[enrolment], user=None)

    enrolment.refresh_from_db()
    new = (enrolment.manage_token, enrolment.done_token, enrolment.certificate_token)
    assert not set(old) & set(new)
    assert client.get(link("groups:enrol_done", old[1])).status_code == 404


# --- The crisis notice shows once ---------------------------------------------------------


def test_the_crisis_notice_shows_once_on_the_confirmation_and_never_later(client, site_tree):
    group, question = risk_group()

    first = enrol(client, group, **{question: "yes"}).content.decode()

    enrolment = Enrolment.objects.get()
    assert enrolment.risk_flagged
    assert 'class="crisis-notice"' in first
    again = client.get(link("groups:enrol_done", enrolment.done_token)).content.decode()
    assert 'class="crisis-notice"' not in again
    manage = client.get(link("groups:manage", enrolment.manage_token)).content.decode()
    assert 'class="crisis-notice"' not in manage


def test_someone_else_opening_the_done_page_learns_nothing_of_a_risk_answer(site_tree):
    from django.test import Client

    group, question = risk_group()
    enrol(Client(), group, **{question: "yes"})
    enrolment = Enrolment.objects.get()

    page = Client().get(link("groups:enrol_done", enrolment.done_token)).content.decode()

    assert 'class="crisis-notice"' not in page


# --- Every key expires --------------------------------------------------------------------


@override_settings(DONE_LINK_HOURS=24)
def test_the_done_page_expires(client, site_tree):
    enrolment = EnrolmentFactory()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )

    response = client.get(link("groups:enrol_done", enrolment.done_token))

    assert response.status_code == 410
    assert "Sininen" not in response.content.decode()


def test_a_group_without_an_end_date_expires_after_its_last_meeting(client, site_tree):
    group = GroupFactory(ends_on=None, starts_on=None)
    MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=30))
    enrolment = EnrolmentFactory(group=group)

    assert client.get(link("groups:manage", enrolment.manage_token)).status_code == 410


def test_a_group_without_an_end_date_still_running_keeps_its_link(client, site_tree):
    group = GroupFactory(ends_on=None, starts_on=None)
    MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=3))
    enrolment = EnrolmentFactory(group=group)

    assert client.get(link("groups:manage", enrolment.manage_token)).status_code == 200


@override_settings(RETENTION_DAYS=60)
def test_a_group_with_no_dates_at_all_expires_after_the_retention_period(client, site_tree):
    group = GroupFactory(ends_on=None, starts_on=None)
    enrolment = EnrolmentFactory(group=group)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=timezone.now() - dt.timedelta(days=61 + 14)
    )

    assert client.get(link("groups:manage", enrolment.manage_token)).status_code == 410


@override_settings(RETENTION_DAYS=7)
def test_a_manage_link_never_outlives_the_retention_period(client, site_tree):
    ended = timezone.localdate() - dt.timedelta(days=8)
    enrolment = EnrolmentFactory(group=GroupFactory(ends_on=ended, starts_on=ended))

    assert client.get(link("groups:manage", enrolment.manage_token)).status_code == 410


# --- Never stored --------------------------------------------------------------------------


def no_store(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return "no-store" in cache_control and "private" in cache_control


def test_pages_with_personal_data_are_never_stored(client, site_tree, django_user_model):
    enrolment = EnrolmentFactory()
    for url in (
        link("groups:enrol_done", enrolment.done_token),
        link("groups:manage", enrolment.manage_token),
        link("groups:manage_calendar", enrolment.manage_token),
        "/fi/feedback/not-a-real-token/",
    ):
        assert no_store(client.get(url)), url

    facilitator = django_user_model.objects.create_user("vetaja", password="x")
    from django.contrib.auth.models import Group as Role

    from groups.services.roles import roles_ensure

    roles_ensure()
    facilitator.groups.add(Role.objects.get(name="Facilitators"))
    client.force_login(facilitator)
    assert no_store(client.get(reverse("portal:home")))


def test_admin_exports_are_never_stored(client, site_tree, django_user_model):
    group = GroupFactory()
    EnrolmentFactory(group=group, email="anna@example.invalid")
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.invalid"))

    roster = client.get(reverse("groups_roster_export"), {"group": group.pk})
    person = client.post(
        reverse("groups_data_request"), {"email": "anna@example.invalid", "action": "json"}
    )

    assert roster.status_code == 200 and no_store(roster)
    assert person.status_code == 200 and no_store(person)


# --- No key in a log line -----------------------------------------------------------------


def test_a_wrong_or_expired_key_is_logged_masked(client, site_tree, caplog):
    group = GroupFactory(ends_on=None, starts_on=None)
    MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=30))
    expired = EnrolmentFactory(group=group)
    unknown = "x" * 43

    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(link("groups:manage", unknown)).status_code == 404
        assert client.get(link("groups:manage", expired.manage_token)).status_code == 410
        assert client.get(link("certificates:certificate", unknown)).status_code == 404

    lines = [record.getMessage() for record in caplog.records]
    assert any("/fi/my/[private]/" in line for line in lines)
    assert any("/fi/certificate/[private]/" in line for line in lines)
    assert not [line for line in lines if unknown in line or expired.manage_token in line]


def test_every_line_the_site_writes_goes_through_the_mask():
    console = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(each, PrivateLinkFilter) for each in handler.filters)
    ]
    assert console
    record = logging.LogRecord(
        "groups", logging.INFO, __file__, 1, "Opened %s", ("/sv/enrol/done/abcDEF123_-/",), None
    )
    assert console[0].filter(record)
    assert record.getMessage() == "Opened /sv/enrol/done/[private]/"


def test_gunicorns_access_log_masks_keys_in_the_path_referrer_and_redirect(tmp_path):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    config = Config()
    config.set("logger_class", conf.logger_class)
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", '%(r)s %(s)s "%(f)s" %({location}o)s')
    logger = config.logger_class(config)
    token = "k" * 43
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/fi/my/{token}/cancel/",
        "PATH_INFO": f"/fi/my/{token}/cancel/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://vertaistuki.example/fi/my/{token}/",
    }
    response = SimpleNamespace(
        status="302 Found", headers=[("Location", f"/fi/certificate/{token}/")], sent=0
    )

    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(seconds=0))

    line = (tmp_path / "access.log").read_text()
    assert token not in line
    assert "/fi/my/[private]/cancel/" in line
    assert "/fi/certificate/[private]/" in line


def test_a_password_reset_link_is_masked_too():
    from cms.logs import private_paths_mask

    assert private_paths_mask("GET /accounts/reset/MQ/cabc-123def/ 200") == (
        "GET /accounts/reset/[private]/[private]/ 200"
    )
    assert private_paths_mask("/admin/password_reset/confirm/MQ/x-y/") == (
        "/admin/password_reset/confirm/[private]/[private]/"
    )


def test_a_short_link_of_a_text_message_is_masked_too():
    from cms.logs import private_paths_mask

    assert (
        private_paths_mask('"GET /s/3k7m9x2bqa HTTP/1.1" 302') == '"GET /s/[private] HTTP/1.1" 302'
    )
