"""A random key per purpose (issue 22): the done page and the certificate no longer open with
the manage link's key. Every existing enrolment gets two new random keys of its own; its
manage link keeps working."""

import secrets

from django.db import migrations, models

import groups.models

TOKEN_FIELDS = ("done_token", "certificate_token")


def enrolments_get_own_tokens(apps, schema_editor):
    Enrolment = apps.get_model("groups", "Enrolment")
    rows = list(Enrolment.objects.only("pk"))
    for row in rows:
        for name in TOKEN_FIELDS:
            setattr(row, name, secrets.token_urlsafe(32))
    Enrolment.objects.bulk_update(rows, list(TOKEN_FIELDS), batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0021_audit_labels_by_number"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name="enrolment",
                name=name,
                field=models.CharField(editable=False, max_length=64, null=True),
            )
            for name in TOKEN_FIELDS
        ),
        migrations.RunPython(enrolments_get_own_tokens, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name="enrolment",
                name=name,
                field=models.CharField(
                    default=groups.models.new_manage_token,
                    editable=False,
                    max_length=64,
                    unique=True,
                ),
            )
            for name in TOKEN_FIELDS
        ),
    ]
