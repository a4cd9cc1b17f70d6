"""Audit entries about accessibility feedback are labelled by number: Wagtail labelled them
with `str(row)`, the start of the message, which often names the sender. Everything else in the
entries is kept."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def log_entries_label_by_number(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    types = ContentType.objects.filter(app_label="cms", model="accessibilityfeedback")
    ModelLogEntry.objects.filter(content_type__in=types).update(
        label=Concat(Value("#"), F("object_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0009_short_links"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0065_log_entry_uuid"),
    ]

    operations = [migrations.RunPython(log_entries_label_by_number, migrations.RunPython.noop)]
