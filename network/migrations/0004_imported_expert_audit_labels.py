"""The spreadsheet import wrote its audit entries in bulk, past the rule that labels entries
about a person by number, so "network.expert.imported" entries carry the expert's name: they
are labelled "#<id>" like every other entry about an expert."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def log_entries_label_by_number(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    types = ContentType.objects.filter(app_label="network", model="expert")
    ModelLogEntry.objects.filter(content_type__in=types).update(
        label=Concat(Value("#"), F("object_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_audit_labels_by_number"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0065_log_entry_uuid"),
    ]

    operations = [migrations.RunPython(log_entries_label_by_number, migrations.RunPython.noop)]
