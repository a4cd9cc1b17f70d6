"""django-q2 entry points of the expert network: each safe to run twice."""

import datetime as dt

from django.utils import timezone
from django_q.models import Schedule

from network.services.experts import experts_anonymise_expired, supervision_reminders_queue


def expert_supervision_reminders_task() -> int:
    return supervision_reminders_queue()


def expert_retention_task() -> int:
    return experts_anonymise_expired()


SCHEDULES = [
    ("network.tasks.expert_supervision_reminders_task", Schedule.MONTHLY),
    ("network.tasks.expert_retention_task", Schedule.DAILY),
]


def first_run(schedule_type: str) -> dt.datetime:
    """Monthly mail goes out on the first of the month at 8, daily work runs at 3 at night
    (Helsinki time), never straight away when a worker first starts."""
    now = timezone.localtime()
    if schedule_type == Schedule.MONTHLY:
        first = (now.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return first.replace(hour=8, minute=0, second=0, microsecond=0)
    tomorrow = now + dt.timedelta(days=1)
    return tomorrow.replace(hour=3, minute=0, second=0, microsecond=0)


def expert_schedules_ensure() -> None:
    """Create the q2 schedules if missing (called from the demo step and deployments)."""
    for func, schedule_type in SCHEDULES:
        Schedule.objects.get_or_create(
            func=func,
            defaults={
                "schedule_type": schedule_type,
                "name": func.rsplit(".", 1)[1],
                "next_run": first_run(schedule_type),
            },
        )
