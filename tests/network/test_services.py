import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from groups.models import OutboxMessage
from groups.services.outbox import messages_send_due
from network.exceptions import ExpertStateError
from network.models import Expert
from network.selectors import experts_public_list
from network.services.experts import (
    expert_anonymise,
    expert_consent_withdraw,
    expert_mark_left,
    expert_pause,
    experts_anonymise_expired,
    supervision_reminders_queue,
)
from network.tasks import expert_retention_task, expert_supervision_reminders_task
from tests.factories import ExpertFactory, SupervisionSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_withdrawn_consent_takes_the_expert_off_the_directory_at_once():
    expert = ExpertFactory()
    user = UserFactory()
    expert_consent_withdraw(expert=expert, user=user)
    assert expert not in experts_public_list()
    entry = ModelLogEntry.objects.get(action="network.expert.consent_withdrawn")
    assert entry.user_id == user.pk


def test_pausing_is_logged_and_only_active_experts_can_be_paused():
    expert = expert_pause(expert=ExpertFactory())
    assert expert.status == Expert.Status.PAUSED
    assert ModelLogEntry.objects.filter(action="network.expert.paused").count() == 1
    with pytest.raises(ExpertStateError):
        expert_pause(expert=expert)


def test_left_expert_is_anonymised_after_retention_and_still_counted(settings):
    settings.EXPERT_RETENTION_DAYS = 365
    now = timezone.now()
    old = expert_mark_left(
        expert=ExpertFactory(name="Maija Meikäläinen", county="lappi"),
        now=now - dt.timedelta(days=400),
    )
    recent = expert_mark_left(
        expert=ExpertFactory(name="Matti Meikäläinen"), now=now - dt.timedelta(days=10)
    )

    assert experts_anonymise_expired(now=now) == 1
    assert expert_retention_task() == 0  # running again changes nothing

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None
    assert "Meikäläinen" not in old.name
    assert old.email.endswith(".invalid")
    assert old.county == "lappi"
    assert recent.anonymised_at is None
    assert not ModelLogEntry.objects.filter(label__contains="Maija").exists()
    assert Expert.objects.filter(county="lappi", status=Expert.Status.LEFT).count() == 1


def test_monthly_task_mails_the_coordinator_and_the_due_experts_once_through_the_outbox(
    settings, django_capture_on_commit_callbacks
):
    settings.EXPERT_NETWORK_COORDINATOR_EMAIL = "coordinator@example.invalid"
    settings.EXPERT_SUPERVISION_RULE = {"assip": (1, 12)}
    today = timezone.localdate()
    due = ExpertFactory(name="Sara Svensson", languages=["sv"], email="sara@example.invalid")
    SupervisionSessionFactory(held_on=today - dt.timedelta(days=330), attendees=[due])
    current = ExpertFactory()
    SupervisionSessionFactory(held_on=today, attendees=[current])

    with django_capture_on_commit_callbacks(execute=True):
        assert expert_supervision_reminders_task() == 2

    coordinator_mail, reminder = mail.outbox
    assert coordinator_mail.to == ["coordinator@example.invalid"]
    assert coordinator_mail.subject == "Linity/ASSIP-verkosto: kuukauden työnohjauskooste"
    assert "Sara Svensson" in coordinator_mail.body
    assert "09 2525 0111" in coordinator_mail.body
    assert "Sara Svensson" in coordinator_mail.alternatives[0][0]
    assert reminder.to == ["sara@example.invalid"]
    assert "Sara Svensson" in reminder.body
    assert "09 2525 0112" in reminder.body  # Swedish helpline for a Swedish-speaking expert
    messages = OutboxMessage.objects.order_by("pk")
    assert [(m.recipient, m.status) for m in messages] == [
        ("coordinator@example.invalid", OutboxMessage.Status.SENT),
        ("sara@example.invalid", OutboxMessage.Status.SENT),
    ]
    assert messages[1].language == "sv"

    # The task runs again in the same month (a retry, a second worker): nothing new goes out.
    with django_capture_on_commit_callbacks(execute=True):
        assert supervision_reminders_queue(today=today) == 0
    assert messages_send_due() == 0
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.count() == 2


def test_a_reminder_the_mail_server_refused_is_sent_again_later(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.EXPERT_SUPERVISION_RULE = {"assip": (1, 12)}
    settings.EXPERT_NETWORK_COORDINATOR_EMAIL = ""
    today = timezone.localdate()
    due = ExpertFactory(email="due@example.invalid")
    SupervisionSessionFactory(held_on=today - dt.timedelta(days=330), attendees=[due])

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            assert supervision_reminders_queue(today=today) == 1
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.QUEUED, 1)
    assert mail.outbox == []

    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert messages_send_due() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [["due@example.invalid"]]


def test_anonymising_an_expert_erases_the_networks_mail_to_them(
    settings, django_capture_on_commit_callbacks
):
    settings.EXPERT_SUPERVISION_RULE = {"assip": (1, 12)}
    settings.EXPERT_NETWORK_COORDINATOR_EMAIL = "coordinator@example.invalid"
    today = timezone.localdate()
    expert = ExpertFactory(name="Maija Meikäläinen", email="maija@example.invalid")
    SupervisionSessionFactory(held_on=today - dt.timedelta(days=330), attendees=[expert])
    assert supervision_reminders_queue(today=today) == 2  # queued, not sent (no commit)

    expert_mark_left(expert=expert)
    expert_anonymise(expert=expert)

    summary, reminder = OutboxMessage.objects.order_by("pk")
    assert (reminder.recipient, reminder.context) == ("", {})
    assert reminder.status == OutboxMessage.Status.FAILED
    assert summary.recipient == "coordinator@example.invalid"
    assert summary.context["due"] == ["Anonymised"]


def test_monthly_reminders_wait_for_the_first_of_next_month_not_the_worker_start():
    from django.utils import timezone
    from django_q.models import Schedule

    from network.tasks import expert_schedules_ensure

    expert_schedules_ensure()

    monthly = Schedule.objects.get(func="network.tasks.expert_supervision_reminders_task")
    next_run = timezone.localtime(monthly.next_run)
    assert next_run > timezone.now()
    assert (next_run.day, next_run.hour) == (1, 8)
