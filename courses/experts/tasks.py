"""django-q2 entry points of the expert network: each safe to run twice."""

from django_q.models import Schedule

from courses.experts.services import experts_anonymise_expired, supervision_reminders_send


def expert_supervision_reminders_task() -> int:
    return supervision_reminders_send()


def expert_retention_task() -> int:
    return experts_anonymise_expired()


SCHEDULES = [
    ("courses.experts.tasks.expert_supervision_reminders_task", Schedule.MONTHLY),
    ("courses.experts.tasks.expert_retention_task", Schedule.DAILY),
]


def expert_schedules_ensure() -> None:
    """Create the q2 schedules if missing (called from the demo step and deployments)."""
    for func, schedule_type in SCHEDULES:
        Schedule.objects.get_or_create(
            func=func, defaults={"schedule_type": schedule_type, "name": func.rsplit(".", 1)[1]}
        )
