"""Feedback answers get random ids (issue 22): a growing id told the order people answered in.

The old ids are dropped; every answer keeps its group, scores and comment under a new UUID,
given in a random order (not the old id order)."""

import random
import uuid

from django.db import migrations, models


def answers_number_randomly(apps, schema_editor):
    FeedbackAnswer = apps.get_model("groups", "FeedbackAnswer")
    rows = list(FeedbackAnswer.objects.only("pk"))
    random.SystemRandom().shuffle(rows)
    for row in rows:
        FeedbackAnswer.objects.filter(pk=row.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0019_enrolment_consent_taken_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedbackanswer",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(answers_number_randomly, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedbackanswer",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.RemoveField(model_name="feedbackanswer", name="id"),
        migrations.RenameField(model_name="feedbackanswer", old_name="uuid", new_name="id"),
        migrations.AlterField(
            model_name="feedbackanswer",
            name="id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
            ),
        ),
    ]
