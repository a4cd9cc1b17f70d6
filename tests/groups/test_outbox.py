import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from cms.formats import meeting_format
from groups import tasks
from groups.models import Enrolment, Meeting, OutboxMessage
from groups.services import outbox
from groups.services.enrolment import enrolment_create
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def queue(**overrides) -> OutboxMessage:
    enrolment = EnrolmentFactory(language=overrides.pop("language", "fi"))
    return outbox.enrolment_message_queue(enrolment=enrolment, template="confirmed", **overrides)


@pytest.mark.parametrize(
    ("language", "helpline", "words"),
    [
        ("fi", "09 2525 0111", "Hei"),
        ("sv", "09 2525 0112", "Hej"),
        ("en", "09 2525 0116", "Hello"),
    ],
)
def test_enrolment_mail_goes_out_after_commit_in_the_persons_language_with_helplines(
    django_capture_on_commit_callbacks, site_tree, language, helpline, words
):
    group = GroupFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            group_id=group.pk,
            display_name="Tuuli",
            email="tuuli@example.invalid",
            language=language,
            consent_text_version="2026-1",
        )

    message = OutboxMessage.objects.get(enrolment=enrolment)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["tuuli@example.invalid"]
    html = sent.alternatives[0][0]
    for body in (sent.body, html):
        assert words in body
        assert helpline in body
        assert "112" in body
        assert f"/{language}/my/{enrolment.manage_token}/" in body


def test_a_message_is_never_sent_twice():
    message = queue()
    outbox.message_send(message_id=message.pk)
    outbox.message_send(message_id=message.pk)
    tasks.outbox_send(message.pk)

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1


def test_a_message_left_sending_is_not_sent_again_while_its_worker_may_still_live():
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, next_attempt_at=timezone.now() + dt.timedelta(60)
    )
    outbox.message_send(message_id=message.pk)
    tasks.outbox_send_due()
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception`."""


def test_a_worker_killed_before_the_mail_left_is_recovered_once_its_lease_ends(monkeypatch):
    message = queue()

    def killed(self, *args, **kwargs):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", killed)
        with pytest.raises(WorkerKilled):
            tasks.outbox_send(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING
    assert message.next_attempt_at > timezone.now() + dt.timedelta(minutes=5)

    tasks.outbox_send_due()  # lease still running: a check, no send
    assert mail.outbox == []

    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    tasks.outbox_send_due()

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.outbox_message_id(message)


def test_a_kill_between_acceptance_and_commit_repeats_the_same_message_id(monkeypatch):
    """The one window SMTP leaves: the copy that goes out again is the same message."""
    message = queue()
    real_send = outbox.EmailMultiAlternatives.send

    def accepted_then_killed(self, *args, **kwargs):
        real_send(self, *args, **kwargs)
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", accepted_then_killed)
        with pytest.raises(WorkerKilled):
            outbox.message_send(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.messages_send_due()

    ids = {sent.message()["Message-ID"] for sent in mail.outbox}
    assert len(mail.outbox) == 2
    assert ids == {outbox.outbox_message_id(message)}


def test_a_message_lost_by_workers_too_often_waits_for_a_person(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, attempts=2, next_attempt_at=timezone.now()
    )
    outbox.messages_send_due()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error == "WorkerLost"
    assert mail.outbox == []


def test_queueing_the_same_event_twice_stores_one_message():
    enrolment = EnrolmentFactory()
    first = outbox.enrolment_message_queue(enrolment=enrolment, template="offer", key_suffix="x")
    second = outbox.enrolment_message_queue(enrolment=enrolment, template="offer", key_suffix="x")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_failure_is_retried_later_with_growing_delay_then_given_up(monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = queue()

    def broken_send(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)

    outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.last_error == "ConnectionRefusedError"
    first_delay = message.next_attempt_at - timezone.now()
    # Not due yet: a rerun does nothing.
    outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.attempts == 1

    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.messages_send_due()
    message.refresh_from_db()
    assert message.next_attempt_at - timezone.now() > first_delay

    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    tasks.outbox_send_due()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert mail.outbox == []


def test_people_with_only_a_phone_get_a_text_message_and_no_mail(
    django_capture_on_commit_callbacks, smsoutbox
):
    enrolment = EnrolmentFactory(email="", phone="+358401234567")

    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enrolment_message_queue(enrolment=enrolment, template="confirmed")

    assert message.channel == OutboxMessage.Channel.SMS
    assert message.recipient == "+358401234567"
    assert OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).count() == 0
    assert [sms.to for sms in smsoutbox] == ["+358401234567"]
    assert mail.outbox == []


def test_reminder_goes_once_to_confirmed_people_a_day_before():
    group = GroupFactory()
    confirmed = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED)
    tomorrow = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=3))

    assert tasks.meeting_reminders_queue() == 1
    tasks.meeting_reminders_queue()

    reminder = OutboxMessage.objects.get(template="reminder")
    assert reminder.enrolment == confirmed
    assert str(tomorrow.pk) in reminder.idempotency_key
    subject, text, _html = outbox.message_render(reminder)
    assert "muistutus" in subject.lower() or "reminder" in subject.lower()
    with translation.override("fi"):
        when = meeting_format(tomorrow.starts_at, "MEETING_DATETIME_FORMAT")
    assert when in text


def test_meeting_change_is_told_to_everyone_holding_a_place():
    group = GroupFactory()
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    EnrolmentFactory(group=group, status=Enrolment.Status.OFFERED)
    EnrolmentFactory(group=group, status=Enrolment.Status.CANCELLED)
    meeting = MeetingFactory(group=group, status=Meeting.Status.CANCELLED)

    assert tasks.meeting_changed_notify(meeting.pk) == 2
    message = OutboxMessage.objects.filter(template="meeting_changed").first()
    _subject, text, _html = outbox.message_render(message)
    assert "peruttu" in text or "cancelled" in text


@pytest.mark.parametrize("template", sorted(set(outbox.SUBJECTS) - outbox.NOT_FOR_THE_OUTBOX))
def test_every_message_renders_in_plain_text_and_html_with_helplines(template):
    enrolment = EnrolmentFactory(
        status=Enrolment.Status.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=48),
        language="sv",
    )
    message = outbox.enrolment_message_queue(
        enrolment=enrolment,
        template=template,
        extra={"meeting_starts_at": timezone.now().isoformat(), "meeting_status": "moved"},
    )
    subject, text, html = outbox.message_render(message)
    assert subject
    assert "09 2525 0112" in text
    assert "09 2525 0112" in html
    assert "<p>" in html
    if template == "offer":
        assert f"/sv/my/{enrolment.manage_token}/offer/" in text


def test_periodic_tasks_are_scheduled_by_the_migrations():
    from django_q.models import Schedule

    funcs = set(Schedule.objects.values_list("func", flat=True))
    assert {
        "groups.tasks.outbox_send_due",
        "groups.tasks.offers_expire_due",
        "groups.tasks.meeting_reminders_queue",
    } <= funcs
