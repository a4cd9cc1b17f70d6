from django.core.management.base import BaseCommand

from cms.services.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo creates."

    def handle(self, *args, **options):
        self.stdout.write("  Demo logins (username / password):")
        for role, username, password in DEMO_LOGINS:
            self.stdout.write(f"    {role:<12} {username} / {password}")
