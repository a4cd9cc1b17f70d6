import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.experts.exceptions import ExpertStateError
from courses.experts.models import Expert
from courses.experts.selectors import experts_public_list
from courses.experts.services import (
    expert_consent_withdraw,
    expert_mark_left,
    expert_pause,
    experts_anonymise_expired,
    supervision_reminders_send,
)
from courses.experts.tasks import expert_retention_task, expert_supervision_reminders_task
from tests.factories import ExpertFactory, SupervisionSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_withdrawn_consent_takes_the_expert_off_the_directory_at_once():
    expert = ExpertFactory()
    user = UserFactory()
    expert_consent_withdraw(expert=expert, user=user)
    assert expert not in experts_public_list()
    entry = ModelLogEntry.objects.get(action="courses.expert.consent_withdrawn")
    assert entry.user_id == user.pk


def test_pausing_is_logged_and_only_active_experts_can_be_paused():
    expert = expert_pause(expert=ExpertFactory())
    assert expert.status == Expert.Status.PAUSED
    assert ModelLogEntry.objects.filter(action="courses.expert.paused").count() == 1
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


def test_monthly_task_mails_the_coordinator_and_the_due_experts(settings):
    settings.EXPERT_NETWORK_COORDINATOR_EMAIL = "coordinator@example.invalid"
    settings.EXPERT_SUPERVISION_RULE = {"assip": (1, 12)}
    today = timezone.localdate()
    due = ExpertFactory(name="Sara Svensson", languages=["sv"], email="sara@example.invalid")
    SupervisionSessionFactory(held_on=today - dt.timedelta(days=330), attendees=[due])
    current = ExpertFactory()
    SupervisionSessionFactory(held_on=today, attendees=[current])

    assert expert_supervision_reminders_task() == 2

    coordinator_mail, reminder = mail.outbox
    assert coordinator_mail.to == ["coordinator@example.invalid"]
    assert "Sara Svensson" in coordinator_mail.body
    assert "09 2525 0111" in coordinator_mail.body
    assert reminder.to == ["sara@example.invalid"]
    assert "09 2525 0112" in reminder.body  # Swedish helpline for a Swedish-speaking expert
    assert supervision_reminders_send(today=today) == 2


def test_monthly_reminders_wait_for_the_first_of_next_month_not_the_worker_start():
    from django.utils import timezone
    from django_q.models import Schedule

    from courses.experts.tasks import expert_schedules_ensure

    expert_schedules_ensure()

    monthly = Schedule.objects.get(func="courses.experts.tasks.expert_supervision_reminders_task")
    next_run = timezone.localtime(monthly.next_run)
    assert next_run > timezone.now()
    assert (next_run.day, next_run.hour) == (1, 8)
