from django.core.management.base import BaseCommand, CommandError

from obligations.reference import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = (
        "Load the reference catalogue from fixtures/ (agencies, law, obligations, indicators, "
        "recommendations, CNDH 2019 baseline) in one transaction. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Fixture directory (default: fixtures/ of the project).")

    def handle(self, *args, **options):
        try:
            report = load_reference_data(options.get("directory"))
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data not loaded (nothing was written): {exc}") from exc
        if options["verbosity"] >= 2:
            for line in report.lines():
                self.stdout.write(line)
        if report.changed:
            created = sum(report.created.values())
            updated = sum(report.updated.values())
            self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {created} created, {updated} updated."))
        else:
            self.stdout.write("Reference data already up to date: nothing changed.")
