import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import groups.models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0025_interest_list_and_held_places"),
    ]

    operations = [
        migrations.RenameField(model_name="group", old_name="remote_link", new_name="video_link"),
        migrations.AlterField(
            model_name="group",
            name="video_link",
            field=models.URLField(
                blank=True,
                help_text=(
                    "Teams, Zoom, Jitsi or any https address. Shown only to people with a "
                    "confirmed place, from a day before each meeting until it ends, and in the "
                    "reminder. A meeting can have its own link."
                ),
                validators=[groups.models.video_link_validator],
                verbose_name="Video meeting link",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="video_link",
            field=models.URLField(
                blank=True,
                help_text="Only for this meeting; empty: the group's link.",
                validators=[groups.models.video_link_validator],
                verbose_name="Video meeting link",
            ),
        ),
        migrations.CreateModel(
            name="Apology",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_at", models.DateTimeField(verbose_name="Sent apologies")),
                (
                    "enrolment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="apologies",
                        to="groups.enrolment",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="apologies",
                        to="groups.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "Apology",
                "verbose_name_plural": "Apologies",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "enrolment"), name="apology_one_per_meeting_enrolment"
                    )
                ],
            },
        ),
    ]
