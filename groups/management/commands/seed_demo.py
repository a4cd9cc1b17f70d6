from django.core.management.base import BaseCommand
from django.db import transaction

from cms.services.demo import demo_data_ensure
from courses.demo import demo_catalogue_ensure
from courses.experts.demo import expert_network_demo_ensure
from groups.demo import (
    demo_groups_ensure,
    enrolment_demo_ensure,
    portal_demo_ensure,
    roles_demo_ensure,
    schedule_demo_ensure,
)

# Each app's demo step, in dependency order (cms -> courses -> groups). Every step only adds
# what is missing, so `make run` can run this any number of times.
DEMO_STEPS = [
    demo_data_ensure,
    demo_catalogue_ensure,
    demo_groups_ensure,
    schedule_demo_ensure,
    enrolment_demo_ensure,
    expert_network_demo_ensure,
    portal_demo_ensure,
    roles_demo_ensure,
]


class Command(BaseCommand):
    help = "Create the demo site, users and data. Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        for step in DEMO_STEPS:
            with transaction.atomic():
                step()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
