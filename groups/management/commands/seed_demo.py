from django.core.management.base import BaseCommand
from django.db import transaction

from cms.services.demo import demo_data_ensure
from courses.demo import demo_catalogue_ensure
from courses.experts.demo import expert_network_demo_ensure
from groups.demo import (
    dashboard_demo_ensure,
    demo_groups_ensure,
    enrolment_demo_ensure,
    portal_demo_ensure,
    residential_demo_ensure,
    roles_demo_ensure,
    schedule_demo_ensure,
)
from groups.services.scale_seed import scale_data_seed

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
    residential_demo_ensure,
    roles_demo_ensure,
    dashboard_demo_ensure,
]


class Command(BaseCommand):
    help = "Create the demo site, users and data. Safe to run again: it only adds what is missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=0,
            help="Also add the large benchmark data set: 10 gives 1,000 courses, 10,000 groups, "
            "150,000 meetings, 60,000 enrolments, ~500,000 attendance rows, 1,500 experts.",
        )

    def handle(self, *args, **options):
        for step in DEMO_STEPS:
            with transaction.atomic():
                step()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if options["scale"]:
            counts = scale_data_seed(scale=options["scale"])
            self.stdout.write(self.style.SUCCESS(f"Scale data is in place: added {counts}."))
