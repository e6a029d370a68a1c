from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the reference catalogue from fixtures/ (placeholder until the reference-data issue lands)."

    def handle(self, *args, **options):
        self.stdout.write("No reference data files yet.")
