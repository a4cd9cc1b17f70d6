"""The expert network's models now belong to the `network` app (network/0001 takes them over
with their tables and rows): `courses` only forgets them. Nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0002_expert_network'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Certification'),
                migrations.DeleteModel(name='SupervisionSession'),
                migrations.DeleteModel(name='SupervisionAttendance'),
                migrations.DeleteModel(name='Training'),
                migrations.DeleteModel(name='Expert'),
                migrations.DeleteModel(name='ExpertDirectoryPage'),
            ],
            database_operations=[],
        ),
    ]
