"""Audit entries about a person's rows are labelled by number (issue 22): the entries written
before carry the person's name (Wagtail labels an entry with `str(row)`); they keep everything
else."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat

PERSONAL_MODELS = ["expert", "certification", "supervisionsession", "supervisionattendance"]


def log_entries_label_by_number(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    types = ContentType.objects.filter(app_label="network", model__in=PERSONAL_MODELS)
    ModelLogEntry.objects.filter(content_type__in=types).update(
        label=Concat(Value("#"), F("object_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_network_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0065_log_entry_uuid"),
    ]

    operations = [migrations.RunPython(log_entries_label_by_number, migrations.RunPython.noop)]
