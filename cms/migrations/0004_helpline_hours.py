"""The Swedish and English crisis lines get their published opening hours (issue 23): new sites
by the fields' defaults, existing sites here, only where an editor has left the hours empty.
The fields get names and help texts for the settings screen."""

from django.db import migrations, models

# As published by the network; a time range takes an en dash. Written out here, not imported,
# so the migration keeps meaning what it meant when later code changes.
HOURS = {
    "crisis_line_hours_sv": "mån och ons kl. 16–20, tis, tors och fre kl. 9–13",
    "crisis_line_hours_en": "Mon 16–20, Tue and Fri 9–13",
}


def fill_empty_hours(apps, schema_editor):
    HelplineSettings = apps.get_model("cms", "HelplineSettings")
    for field, hours in HOURS.items():
        HelplineSettings.objects.filter(**{field: ""}).update(**{field: hours})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_editors_submit_translation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="helplinesettings",
            name="crisis_line_fi",
            field=models.CharField(
                default="09 2525 0111", max_length=40, verbose_name="Finnish crisis helpline"
            ),
        ),
        migrations.AlterField(
            model_name="helplinesettings",
            name="crisis_line_sv",
            field=models.CharField(
                default="09 2525 0112", max_length=40, verbose_name="Swedish crisis helpline"
            ),
        ),
        migrations.AlterField(
            model_name="helplinesettings",
            name="crisis_line_en",
            field=models.CharField(
                default="09 2525 0116", max_length=40, verbose_name="English crisis helpline"
            ),
        ),
        migrations.AlterField(
            model_name="helplinesettings",
            name="crisis_line_hours_fi",
            field=models.CharField(
                blank=True,
                default="24/7",
                help_text="Shown on every page beside the number, in every language.",
                max_length=100,
                verbose_name="Opening hours of the Finnish line",
            ),
        ),
        migrations.AlterField(
            model_name="helplinesettings",
            name="crisis_line_hours_sv",
            field=models.CharField(
                blank=True,
                default=HOURS["crisis_line_hours_sv"],
                help_text="Written in Swedish: shown on Swedish pages and in Swedish e-mails.",
                max_length=100,
                verbose_name="Opening hours of the Swedish line",
            ),
        ),
        migrations.AlterField(
            model_name="helplinesettings",
            name="crisis_line_hours_en",
            field=models.CharField(
                blank=True,
                default=HOURS["crisis_line_hours_en"],
                help_text="Written in English: shown on English pages and in English e-mails.",
                max_length=100,
                verbose_name="Opening hours of the English line",
            ),
        ),
        migrations.AlterField(
            model_name="helplinesettings",
            name="emergency_number",
            field=models.CharField(default="112", max_length=10, verbose_name="Emergency number"),
        ),
        migrations.RunPython(fill_empty_hours, migrations.RunPython.noop),
    ]
