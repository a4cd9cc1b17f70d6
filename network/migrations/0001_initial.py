"""The expert network's models leave `courses` for this app, rows and all.

Only Django's record of the models moves here (state_operations); the tables stay as they
are, still named courses_*, until 0002 renames them. The operations are those of
courses/0002_expert_network, pointing at `network`; courses/0003 forgets the models there.
"""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('courses', '0002_expert_network'),
        ('groups', '0016_roles'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExpertDirectoryPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('introduction', models.TextField(blank=True, verbose_name='Introduction')),
                        ('body', wagtail.fields.StreamField([('heading', 0), ('paragraph', 1), ('image', 2), ('quote', 5), ('faq', 11), ('facilitator_intro', 15)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'form_classname': 'title', 'label': 'Heading', 'template': 'cms/blocks/heading_block.html'}), 1: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'h3'], 'label': 'Text'}), 2: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image', 'template': 'cms/blocks/image_block.html'}), 3: ('wagtail.blocks.TextBlock', (), {'label': 'Quote'}), 4: ('wagtail.blocks.CharBlock', (), {'label': 'Attribution', 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('text', 3), ('attribution', 4)]], {}), 6: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'required': False}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'Question'}), 8: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ul'], 'label': 'Answer'}), 9: ('wagtail.blocks.StructBlock', [[('question', 7), ('answer', 8)]], {}), 10: ('wagtail.blocks.ListBlock', (9,), {'label': 'Questions'}), 11: ('wagtail.blocks.StructBlock', [[('heading', 6), ('items', 10)]], {}), 12: ('wagtail.blocks.CharBlock', (), {'label': 'Profession'}), 13: ('wagtail.blocks.CharBlock', (), {'label': 'Name (optional)', 'required': False}), 14: ('wagtail.blocks.TextBlock', (), {'label': 'Introduction', 'required': False}), 15: ('wagtail.blocks.StructBlock', [[('profession', 12), ('name', 13), ('text', 14)]], {})}, verbose_name='Body')),
                    ],
                    options={
                        'db_table': 'courses_expertdirectorypage',
                        'verbose_name': 'Linity/ASSIP expert directory',
                    },
                    bases=('wagtailcore.page',),
                ),
                migrations.CreateModel(
                    name='Expert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='Name')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='Professional title')),
                        ('organisation', models.CharField(blank=True, max_length=200, verbose_name='Organisation')),
                        ('county', models.CharField(choices=[('helsinki', 'City of Helsinki'), ('ita-uusimaa', 'Eastern Uusimaa'), ('keski-uusimaa', 'Central Uusimaa'), ('lansi-uusimaa', 'Western Uusimaa'), ('vantaa-kerava', 'Vantaa and Kerava'), ('varsinais-suomi', 'Southwest Finland'), ('satakunta', 'Satakunta'), ('kanta-hame', 'Kanta-Häme'), ('pirkanmaa', 'Pirkanmaa'), ('paijat-hame', 'Päijät-Häme'), ('kymenlaakso', 'Kymenlaakso'), ('etela-karjala', 'South Karelia'), ('etela-savo', 'South Savo'), ('pohjois-savo', 'North Savo'), ('pohjois-karjala', 'North Karelia'), ('keski-suomi', 'Central Finland'), ('etela-pohjanmaa', 'South Ostrobothnia'), ('pohjanmaa', 'Ostrobothnia'), ('keski-pohjanmaa', 'Central Ostrobothnia'), ('pohjois-pohjanmaa', 'North Ostrobothnia'), ('kainuu', 'Kainuu'), ('lappi', 'Lapland'), ('ahvenanmaa', 'Åland')], db_index=True, max_length=30, verbose_name='Wellbeing services county')),
                        ('city', models.CharField(blank=True, max_length=100, verbose_name='City')),
                        ('email', models.EmailField(max_length=254, verbose_name='Work e-mail')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='Work phone')),
                        ('languages', models.JSONField(blank=True, default=list, help_text='Language codes, e.g. fi, sv, en.', verbose_name='Languages')),
                        ('practises_assip', models.BooleanField(default=False, verbose_name='ASSIP for adults')),
                        ('practises_adoassip', models.BooleanField(default=False, verbose_name='AdoASSIP for adolescents')),
                        ('practises_home', models.BooleanField(default=False, verbose_name='Home-based ASSIP')),
                        ('status', models.CharField(choices=[('active', 'Active'), ('paused', 'Paused'), ('left', 'Left the network')], db_index=True, default='active', max_length=10, verbose_name='Status')),
                        ('public_listing_consent', models.BooleanField(default=False, help_text='Name, title, organisation, county, city, languages and variants are shown.', verbose_name='Consents to the public directory')),
                        ('public_listing_consented_at', models.DateTimeField(blank=True, null=True, verbose_name='Consent given at')),
                        ('public_email_consent', models.BooleanField(default=False, verbose_name='Consents to showing the work e-mail publicly')),
                        ('left_at', models.DateTimeField(blank=True, null=True, verbose_name='Left the network at')),
                        ('anonymised_at', models.DateTimeField(blank=True, null=True, verbose_name='Anonymised at')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'courses_expert',
                        'verbose_name': 'Linity/ASSIP expert',
                        'verbose_name_plural': 'Linity/ASSIP experts',
                        'ordering': ['name'],
                        'indexes': [models.Index(fields=['status', 'public_listing_consent', 'county'], name='courses_exp_status_70e60f_idx')],
                        'constraints': [models.UniqueConstraint(fields=('email',), name='expert_unique_email')],
                    },
                ),
                migrations.CreateModel(
                    name='SupervisionAttendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('expert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supervision_attendances', to='network.expert')),
                    ],
                    options={
                        'db_table': 'courses_supervisionattendance',
                        'verbose_name': 'Supervision attendance',
                        'verbose_name_plural': 'Supervision attendances',
                    },
                ),
                migrations.CreateModel(
                    name='SupervisionSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(db_index=True, verbose_name='Date')),
                        ('supervisor', models.CharField(max_length=200, verbose_name='Supervisor')),
                        ('format', models.CharField(choices=[('in_person', 'In person'), ('remote', 'Remote'), ('hybrid', 'Hybrid')], default='remote', max_length=10, verbose_name='Format')),
                        ('attendees', models.ManyToManyField(blank=True, related_name='supervision_sessions', through='network.SupervisionAttendance', to='network.expert', verbose_name='Attendees')),
                    ],
                    options={
                        'db_table': 'courses_supervisionsession',
                        'verbose_name': 'Supervision session',
                        'verbose_name_plural': 'Supervision sessions',
                        'ordering': ['-held_on'],
                    },
                ),
                migrations.AddField(
                    model_name='supervisionattendance',
                    name='session',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='network.supervisionsession'),
                ),
                migrations.CreateModel(
                    name='Training',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='Cohort name')),
                        ('starts_on', models.DateField(verbose_name='Starts on')),
                        ('ends_on', models.DateField(verbose_name='Ends on')),
                        ('trainers', models.CharField(blank=True, max_length=300, verbose_name='Trainers')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='Place')),
                        ('group', models.ForeignKey(blank=True, help_text='The training group that ran this cohort, if it was run as a group.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='expert_trainings', to='groups.group', verbose_name='Training group')),
                    ],
                    options={
                        'db_table': 'courses_training',
                        'verbose_name': 'Expert training',
                        'verbose_name_plural': 'Expert trainings',
                        'ordering': ['-starts_on'],
                    },
                ),
                migrations.CreateModel(
                    name='Certification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('certified_on', models.DateField(verbose_name='Certified on')),
                        ('certifier', models.CharField(blank=True, max_length=200, verbose_name='Certified by')),
                        ('expert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certifications', to='network.expert', verbose_name='Expert')),
                        ('training', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certifications', to='network.training', verbose_name='Training')),
                    ],
                    options={
                        'db_table': 'courses_certification',
                        'verbose_name': 'Certification',
                        'verbose_name_plural': 'Certifications',
                        'ordering': ['-certified_on'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='supervisionattendance',
                    constraint=models.UniqueConstraint(fields=('session', 'expert'), name='supervision_attendance_unique'),
                ),
                migrations.AddConstraint(
                    model_name='training',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='training_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='certification',
                    constraint=models.UniqueConstraint(fields=('expert', 'training'), name='certification_unique_expert_training'),
                ),
            ],
            database_operations=[],
        ),
    ]
