"""Register the daily go/no-go check as a django-q2 schedule (idempotent: keyed by name)."""

from django.db import migrations

NAME = "groups.go_no_go_check_due"


def schedule_add(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "groups.tasks.go_no_go_check_due",
            "schedule_type": "H",
            "repeats": -1,
        },
    )


def schedule_remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_group_under_minimum"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule_add, schedule_remove)]
