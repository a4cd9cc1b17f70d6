"""The expert network's tables, content types, audit entries and schedules take its name.

Tables courses_* become network_* (foreign keys between them and to groups_group follow the
rename on SQLite and PostgreSQL), and so does the expert index. Rows that name the models by
app label move with them: the content types (and with them the permissions and the roles
holding them, the directory pages' page type, revisions, the reference index and every audit
entry), the audit actions that were named after `courses` or `groups`, and the q2 schedules
whose function moved to network.tasks. Run backwards, it puts every one of them back.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "expert",
    "expertdirectorypage",
    "training",
    "certification",
    "supervisionsession",
    "supervisionattendance",
]
ACTIONS = {
    "courses.expert.paused": "network.expert.paused",
    "courses.expert.resumed": "network.expert.resumed",
    "courses.expert.left": "network.expert.left",
    "courses.expert.consent_given": "network.expert.consent_given",
    "courses.expert.consent_withdrawn": "network.expert.consent_withdrawn",
    "courses.expert.anonymised": "network.expert.anonymised",
    "courses.expert.imported": "network.expert.imported",
    "courses.supervision.attendance_recorded": "network.supervision.attendance_recorded",
    "groups.training.participants_certified": "network.training.participants_certified",
    "groups.expert.created_from_training": "network.expert.created_from_training",
    "groups.expert.certified": "network.expert.certified",
}
TASKS = {
    "courses.experts.tasks.expert_supervision_reminders_task": (
        "network.tasks.expert_supervision_reminders_task"
    ),
    "courses.experts.tasks.expert_retention_task": "network.tasks.expert_retention_task",
}


def _relabel(apps, *, old_label: str, new_label: str, actions: dict, tasks: dict) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A content type already under the new label (made by a post_migrate run in between)
        # is left alone: the old one, which the rows point to, is the one to keep.
        if not content_type.objects.filter(app_label=new_label, model=model).exists():
            content_type.objects.filter(app_label=old_label, model=model).update(
                app_label=new_label
            )
    log_entry = apps.get_model("wagtailcore", "ModelLogEntry")
    for old, new in actions.items():
        log_entry.objects.filter(action=old).update(action=new)
    schedule = apps.get_model("django_q", "Schedule")
    for old, new in tasks.items():
        schedule.objects.filter(func=old).update(func=new)


def forwards(apps, schema_editor):
    _relabel(apps, old_label="courses", new_label="network", actions=ACTIONS, tasks=TASKS)
    # The network coordinators' role names its permissions by the new label; on a new
    # database they are made here, like groups/0016 does, so the role gets them at once.
    from groups.services.roles import roles_ensure

    app_config = apps.get_app_config("network")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    roles_ensure(apps)


def backwards(apps, schema_editor):
    _relabel(
        apps,
        old_label="network",
        new_label="courses",
        actions={new: old for old, new in ACTIONS.items()},
        tasks={new: old for old, new in TASKS.items()},
    )


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0001_initial'),
        ('courses', '0003_expert_network_to_network_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('wagtailcore', '0098_apitoken'),
        ('django_q', '0018_task_success_index'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='expert',
            new_name='network_exp_status_084919_idx',
            old_name='courses_exp_status_70e60f_idx',
        ),
        migrations.AlterModelTable(name='certification', table=None),
        migrations.AlterModelTable(name='expert', table=None),
        migrations.AlterModelTable(name='expertdirectorypage', table=None),
        migrations.AlterModelTable(name='supervisionattendance', table=None),
        migrations.AlterModelTable(name='supervisionsession', table=None),
        migrations.AlterModelTable(name='training', table=None),
        migrations.RunPython(forwards, backwards),
    ]
