"""Go/no-go: at the go/no-go date a group under its minimum alerts the coordinators once."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from wagtail.users.models import UserProfile

from groups.models import Group, OutboxMessage
from groups.tasks import go_no_go_check_due
from tests.factories import EnrolmentFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory(
        username="koordinaattori", is_superuser=True, is_staff=True, email="koord@example.invalid"
    )
    client.force_login(user)
    return user


def small_group(confirmed=3, **kwargs):
    group = GroupFactory(
        name="Pieni ryhmä", min_size=5, go_no_go_date=timezone.localdate(), **kwargs
    )
    for _ in range(confirmed):
        EnrolmentFactory(group=group)
    return group


def test_group_under_minimum_alerts_the_coordinators_once(
    coordinator, django_capture_on_commit_callbacks
):
    group = small_group(confirmed=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert go_no_go_check_due() == 1
        go_no_go_check_due()
    group.refresh_from_db()
    assert group.under_minimum_since is not None
    alert = OutboxMessage.objects.get(template="go_no_go_alert")
    assert (alert.recipient, alert.language, alert.status) == (
        "koord@example.invalid",
        "fi",
        OutboxMessage.Status.SENT,
    )
    assert alert.enrolment is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["koord@example.invalid"]
    assert mail.outbox[0].subject == "Ryhmä on alle vähimmäiskoon"
    assert "Pieni ryhmä" in mail.outbox[0].body
    assert "http://127.0.0.1:8000/admin/" in mail.outbox[0].body
    assert "0111" in mail.outbox[0].body
    assert "0111" in mail.outbox[0].alternatives[0][0]


def test_the_alert_is_in_each_coordinators_admin_language(
    coordinator, django_capture_on_commit_callbacks
):
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "sv"
    profile.save(update_fields=["preferred_language"])
    small_group(confirmed=1)
    with django_capture_on_commit_callbacks(execute=True):
        go_no_go_check_due()
    assert OutboxMessage.objects.get(template="go_no_go_alert").language == "sv"
    assert mail.outbox[0].subject == "En grupp är under sin minimistorlek"


def test_group_at_its_minimum_goes_ahead_silently(coordinator, django_capture_on_commit_callbacks):
    group = small_group(confirmed=5)
    with django_capture_on_commit_callbacks(execute=True):
        go_no_go_check_due()
    group.refresh_from_db()
    assert group.under_minimum_since is None
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_group_before_its_date_is_not_checked(coordinator):
    small_group(confirmed=0).__class__.objects.update(
        go_no_go_date=timezone.localdate() + dt.timedelta(days=3)
    )
    assert go_no_go_check_due() == 0


def test_the_check_is_a_registered_q2_schedule():
    schedule = Schedule.objects.get(name="groups.go_no_go_check_due")
    assert schedule.func == "groups.tasks.go_no_go_check_due"


def test_dashboard_offers_extend_merge_and_cancel(client, coordinator, site_tree):
    group = small_group(confirmed=2)
    go_no_go_check_due()
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Pieni ryhmä" in html
    assert reverse("groups_group_extend", args=[group.pk]) in html
    assert reverse("groups_group_cancel", args=[group.pk]) in html
    assert reverse("groups_group_merge", args=[group.pk]) in html


def test_extending_enrolment_clears_the_alert(client, coordinator, site_tree):
    group = small_group(confirmed=2)
    go_no_go_check_due()
    new_date = timezone.localdate() + dt.timedelta(days=7)
    response = client.post(
        reverse("groups_group_extend", args=[group.pk]), {"go_no_go_date": new_date.isoformat()}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.go_no_go_date == new_date
    assert group.under_minimum_since is None


def test_cancelling_from_the_dashboard_tells_everyone(
    client, coordinator, site_tree, django_capture_on_commit_callbacks
):
    group = small_group(confirmed=2)
    go_no_go_check_due()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("groups_group_cancel", args=[group.pk]))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == Group.Status.CANCELLED
    assert OutboxMessage.objects.filter(template="group_cancelled").count() == 2
    assert len(mail.outbox) == 2
