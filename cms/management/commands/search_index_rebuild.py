from django.core.management.base import BaseCommand

from cms.services.search import search_index_rebuild


class Command(BaseCommand):
    help = "Write every search document again (after a bulk load, or to refresh groups' towns)."

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"{count} search documents")
