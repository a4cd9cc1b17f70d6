"""The periodic django-q2 tasks enrolment needs; created by a migration, safe to rerun."""

from django.utils import timezone

SCHEDULES = [
    # (name, function, minutes between runs)
    ("groups: send due e-mails", "groups.tasks.outbox_send_due", 5),
    ("groups: expire waiting-list offers", "groups.tasks.offers_expire_due", 10),
    ("groups: meeting reminders", "groups.tasks.meeting_reminders_queue", 60),
    ("groups: feedback links", "groups.tasks.feedback_links_send_due", 24 * 60),
    ("groups: residential stay reminders", "groups.tasks.stay_reminders_queue", 60),
    ("groups: erase personal data after retention", "groups.tasks.retention_erase_due", 24 * 60),
]


def background_schedules_ensure(schedule_model=None) -> None:
    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    for name, func, minutes in SCHEDULES:
        schedule_model.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "I",
                "minutes": minutes,
                "repeats": -1,
            },
            create_defaults={
                "func": func,
                "schedule_type": "I",
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )
