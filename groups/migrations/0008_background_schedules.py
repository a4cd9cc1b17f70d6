from django.db import migrations


def ensure(apps, schema_editor):
    from groups.services.background import background_schedules_ensure

    background_schedules_ensure(apps.get_model("django_q", "Schedule"))


class Migration(migrations.Migration):
    dependencies = [
        ("groups", '0007_enrolment_contact_permission'),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(ensure, migrations.RunPython.noop)]
