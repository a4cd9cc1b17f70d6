from django.core.management.base import BaseCommand
from django.db import transaction

from demo.centres import seed_centres
from demo.courses import seed_courses, seed_topics
from demo.experts import seed_expert_network
from demo.groups import (
    seed_attention_cases,
    seed_groups,
    seed_online_group,
    seed_running_group,
    seed_scheduled_group,
)
from demo.interest import seed_interests
from demo.people import (
    seed_coordinator_permissions,
    seed_facilitator_profiles,
    seed_logins,
    seed_roles,
)
from demo.residential import seed_residential_groups, seed_venues
from demo.site import seed_site

# In the order they depend on each other; each only adds what is missing, so `make run` can run
# the command any number of times. The catalogue's groups come first among the groups: the
# attention cases go to the first open catalogue group with a place left.
SEED_STEPS = [
    seed_site,
    seed_centres,
    seed_logins,
    seed_roles,
    seed_coordinator_permissions,
    seed_topics,
    seed_courses,
    seed_groups,
    seed_facilitator_profiles,
    seed_scheduled_group,
    seed_expert_network,
    seed_running_group,
    seed_online_group,
    seed_venues,
    seed_residential_groups,
    seed_attention_cases,
    seed_interests,
]


class Command(BaseCommand):
    help = "Create the demo site, users and data. Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        for step in SEED_STEPS:
            with transaction.atomic():
                step()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
