from django.core.management.base import BaseCommand
from django.db import transaction

from cms.services.demo import DEMO_LOGINS, demo_data_ensure
from groups.demo import portal_demo_ensure

# Each app's demo step, in dependency order (cms -> courses -> groups). Every step only adds
# what is missing, so `make run` can run this any number of times.
DEMO_STEPS = [
    demo_data_ensure,
    portal_demo_ensure,
]


class Command(BaseCommand):
    help = "Create the demo site, users and data. Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        for step in DEMO_STEPS:
            with transaction.atomic():
                step()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        for role, username, password in DEMO_LOGINS:
            self.stdout.write(f"  {role:<12} {username} / {password}")
