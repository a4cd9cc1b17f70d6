"""Attendance certificates for people who completed a training."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from courses.models import CourseFormat
from groups.models import Enrolment, Meeting
from tests.factories import (
    AttendanceFactory,
    CoursePageFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def training():
    course = CoursePageFactory(
        title="Itsemurhien ehkäisyn koulutus",
        format=CourseFormat.TRAINING,
        training_hours=Decimal("12.0"),
    )
    group = GroupFactory(course=course, status="completed")
    now = timezone.now()
    meetings = [
        MeetingFactory(group=group, starts_at=now - dt.timedelta(days=d)) for d in (9, 8, 7)
    ]
    return group, meetings


def person(group, meetings, statuses, **kwargs):
    enrolment = EnrolmentFactory(group=group, **kwargs)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    for meeting, status in zip(meetings, statuses, strict=True):
        AttendanceFactory(meeting=meeting, enrolment=enrolment, status=status)
    return enrolment


def test_someone_who_completed_a_training_gets_a_certificate_with_its_hours(client, training):
    group, meetings = training
    anna = person(group, meetings, ["present", "absent", "present"], display_name="Anna")

    response = client.get(f"/fi/certificate/{anna.certificate_token}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Anna" in page
    assert "Itsemurhien ehkäisyn koulutus" in page
    assert "12,0" in page
    assert "2 / 3" in page  # sessions attended of held
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_certificate_speaks_swedish(client, training):
    group, meetings = training
    anna = person(group, meetings, ["present"] * 3)
    page = client.get(f"/sv/certificate/{anna.certificate_token}/").content.decode()
    assert '<html lang="sv">' in page


def test_no_certificate_below_two_thirds(client, training):
    group, meetings = training
    ben = person(group, meetings, ["present", "absent", "absent"])
    assert client.get(f"/fi/certificate/{ben.certificate_token}/").status_code == 404


def test_no_certificate_for_a_peer_group(client):
    group = GroupFactory()
    MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=3))
    enrolment = person(group, list(group.meetings.all()), ["present"])
    assert client.get(f"/fi/certificate/{enrolment.certificate_token}/").status_code == 404


def test_no_certificate_before_the_training_ends(client, training):
    group, meetings = training
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=2))
    anna = person(group, meetings, ["present"] * 3)
    assert client.get(f"/fi/certificate/{anna.certificate_token}/").status_code == 404


def test_coordinator_finds_certificates_in_the_admin(client, training, django_user_model):
    group, meetings = training
    anna = person(group, meetings, ["present"] * 3, display_name="Anna")
    person(group, meetings, ["absent"] * 3, display_name="Ben")
    client.force_login(
        django_user_model.objects.create_superuser("koordinaattori", "k@example.invalid", "x")
    )

    report = client.get("/admin/reports/groups/?by=group").content.decode()
    assert f"/admin/reports/groups/{group.pk}/certificates/" in report
    page = client.get(f"/admin/reports/groups/{group.pk}/certificates/").content.decode()
    assert f"/certificate/{anna.certificate_token}/" in page
    assert page.count("/certificate/") == 1


def test_the_certificate_opens_with_its_own_key_only(client, training):
    group, meetings = training
    anna = person(group, meetings, ["present"] * 3, display_name="Anna")

    assert client.get(f"/fi/certificate/{anna.certificate_token}/").status_code == 200
    assert client.get(f"/fi/certificate/{anna.manage_token}/").status_code == 404


@override_settings(CERTIFICATE_LINK_DAYS=180, RETENTION_DAYS=365)
def test_the_certificate_states_its_validity_and_expires_after_it(client, training):
    group, meetings = training
    anna = person(group, meetings, ["present"] * 3, display_name="Anna")
    last_day = timezone.localdate(meetings[-1].starts_at)
    valid_until = last_day + dt.timedelta(days=180)

    page = client.get(f"/en/certificate/{anna.certificate_token}/").content.decode()
    assert f"checked at this address until {valid_until:%-d %b %Y}." in page

    shift = dt.timedelta(days=181)  # the same training, held 181 days earlier
    Meeting.objects.filter(group=group).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    expired = client.get(f"/fi/certificate/{anna.certificate_token}/")
    assert expired.status_code == 410
    assert "Anna" not in expired.content.decode()
