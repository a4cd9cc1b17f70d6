"""Mailing the anonymous feedback links: one each, straight through the mail API, no trace."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from groups.exceptions import FeedbackError
from groups.models import FeedbackAnswer, FeedbackToken, Group, OutboxMessage
from groups.services.feedback import feedback_links_send
from groups.tasks import feedback_links_send_due
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/(?:fi|sv|en)/feedback/[^/\s\"]+/)")


@pytest.fixture
def ended_group(site_tree):
    yesterday = timezone.now() - dt.timedelta(days=1)
    group = GroupFactory(
        status="completed", name="Torstairyhmä", ends_on=timezone.localdate(yesterday)
    )
    MeetingFactory(group=group, starts_at=yesterday - dt.timedelta(hours=2))
    EnrolmentFactory(group=group, email="aino@example.invalid", language="fi")
    EnrolmentFactory(group=group, email="sara@example.invalid", language="sv")
    EnrolmentFactory(group=group, email="sam@example.invalid", language="en", status="completed")
    EnrolmentFactory(group=group, email="", phone="0401234567", display_name="Puhelin")
    EnrolmentFactory(group=group, email="peruttu@example.invalid", status="cancelled")
    return group


def links_by_recipient() -> dict[str, str]:
    found = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        links = set(LINK.findall(message.body))
        assert len(links) == 1  # exactly one link in the mail
        assert links == set(LINK.findall(message.alternatives[0][0]))
        found[message.to[0]] = links.pop()
    return found


def test_each_participant_with_an_email_gets_exactly_one_working_link(client, ended_group):
    sending = feedback_links_send(group_id=ended_group.pk)

    assert (sending.sent, sending.failed, sending.without_email) == (3, 0, 1)
    links = links_by_recipient()
    assert set(links) == {"aino@example.invalid", "sara@example.invalid", "sam@example.invalid"}
    assert len(set(links.values())) == 3
    assert links["sara@example.invalid"].startswith("/sv/feedback/")
    assert links["sam@example.invalid"].startswith("/en/feedback/")
    for link in links.values():
        assert client.get(link).status_code == 200
    assert (
        client.post(links["aino@example.invalid"], {"helped": 5, "recommend": "yes"}).status_code
        == 200
    )
    assert FeedbackAnswer.objects.count() == 1


def test_mails_are_in_the_participants_language_with_helplines(ended_group):
    feedback_links_send(group_id=ended_group.pk)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    swedish = by_recipient["sara@example.invalid"]
    assert swedish.subject == "Hur var gruppen? Berätta anonymt"
    assert "0112" in swedish.body
    finnish = by_recipient["aino@example.invalid"]
    assert finnish.subject == "Millainen ryhmä oli? Kerro meille nimettömästi"
    assert "0111" in finnish.body


def test_no_row_holds_a_token_or_ties_one_to_a_person(ended_group):
    feedback_links_send(group_id=ended_group.pk)
    tokens = [link.rstrip("/").rsplit("/", 1)[1] for link in links_by_recipient().values()]

    assert not OutboxMessage.objects.exists()  # nothing went through the outbox
    assert FeedbackToken.objects.filter(group=ended_group).count() == 3
    # No table anywhere holds a raw token: dump every text column of every table.
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                for token in tokens:
                    assert token not in text, table
    entry = ModelLogEntry.objects.get(action="groups.group.feedback_links_sent")
    assert entry.data == {"issued": 3}


def test_sending_twice_sends_nothing_more(ended_group):
    feedback_links_send(group_id=ended_group.pk)
    with pytest.raises(FeedbackError) as refusal:
        feedback_links_send(group_id=ended_group.pk)
    assert refusal.value.code == "already_issued"
    assert len(mail.outbox) == 3


def test_the_daily_task_sends_ended_groups_once(ended_group):
    running = GroupFactory(status="running", ends_on=timezone.localdate())
    MeetingFactory(group=running, starts_at=timezone.now() + dt.timedelta(hours=3))
    EnrolmentFactory(group=running)
    long_ago = GroupFactory(status="completed", ends_on=timezone.localdate() - dt.timedelta(90))
    MeetingFactory(group=long_ago, starts_at=timezone.now() - dt.timedelta(days=90))
    EnrolmentFactory(group=long_ago)

    assert feedback_links_send_due() == 1
    assert feedback_links_send_due() == 0
    assert len(mail.outbox) == 3
    ended_group.refresh_from_db()
    assert ended_group.feedback_issued_at is not None
    # Not yet (the last meeting is later today), and not for groups long finished.
    assert Group.objects.get(pk=running.pk).feedback_issued_at is None
    assert Group.objects.get(pk=long_ago.pk).feedback_issued_at is None


def test_a_group_with_only_phone_numbers_gets_nothing_and_nothing_breaks(site_tree):
    yesterday = timezone.now() - dt.timedelta(days=1)
    group = GroupFactory(status="completed", ends_on=timezone.localdate(yesterday))
    MeetingFactory(group=group, starts_at=yesterday)
    EnrolmentFactory(group=group, email="", phone="0401234567")

    assert feedback_links_send_due() == 1
    assert mail.outbox == []
    group.refresh_from_db()
    assert group.feedback_issued_at is not None
    assert feedback_links_send_due() == 0


def test_an_unreachable_mail_server_issues_nothing(ended_group, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(OSError):
        feedback_links_send(group_id=ended_group.pk)
    assert not FeedbackToken.objects.exists()
    ended_group.refresh_from_db()
    assert ended_group.feedback_issued_at is None


def test_the_outbox_refuses_a_feedback_mail(ended_group):
    from groups.services.outbox import message_queue

    with pytest.raises(ValueError):
        message_queue(
            recipient="x@example.invalid",
            language="fi",
            template="feedback_invite",
            context={},
            idempotency_key="x",
        )


def test_coordinator_sends_from_the_group_row_menu(client, ended_group):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    url = reverse("groups_group_feedback_send", args=[ended_group.pk])
    assert url in client.get(reverse("groups_group:index")).content.decode()
    assert client.get(url).status_code == 200

    response = client.post(url, follow=True)
    assert "Palautelinkkejä lähetetty: 3" in response.content.decode()
    assert len(mail.outbox) == 3
    again = client.post(url, follow=True)
    assert "Palautelinkit on jo luotu." in again.content.decode()
    assert len(mail.outbox) == 3
    # Once sent, the row menu no longer offers it.
    assert url not in client.get(reverse("groups_group:index")).content.decode()


def test_sending_needs_the_coordinator_permission(client, ended_group):
    client.force_login(UserFactory(username="toimittaja", is_staff=True))
    response = client.post(reverse("groups_group_feedback_send", args=[ended_group.pk]))
    assert response.status_code in (302, 403)
    assert mail.outbox == []


def test_the_daily_task_is_a_registered_q2_schedule():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="groups.tasks.feedback_links_send_due")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == ("I", 24 * 60, -1)
