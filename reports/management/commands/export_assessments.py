from django.core.management.base import BaseCommand, CommandError

from agencies.policy import SYSTEM
from lib.tabular import WRITERS
from obligations.models import Assessment, ReviewCycle
from reports.open_data import ASSESSMENT_COLUMNS, assessment_rows


class Command(BaseCommand):
    help = (
        "Write one row per assessment of a review cycle in the open-data format "
        f"({', '.join(ASSESSMENT_COLUMNS)}). Runs as the system: every assessment of the cycle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="Slug of the review cycle, e.g. cndh-2019.")
        parser.add_argument("--format", choices=sorted(WRITERS), default="csv")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        slug = options["cycle"]
        if not ReviewCycle.objects.filter(slug=slug).exists():
            known = ", ".join(ReviewCycle.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"Unknown review cycle «{slug}» (known: {known}).")
        rows = assessment_rows(Assessment.objects.visible_to(SYSTEM).filter(cycle__slug=slug))
        writer = WRITERS[options["format"]]
        if options["output"]:
            # utf-8-sig for CSV so that spreadsheet programs read the accents right.
            encoding = "utf-8-sig" if options["format"] == "csv" else "utf-8"
            with open(options["output"], "w", encoding=encoding, newline="") as stream:
                count = writer(rows, ASSESSMENT_COLUMNS, stream)
            self.stderr.write(f"{count} assessments written to {options['output']}.")
        else:
            self.stdout.ending = ""  # the writers end their own lines
            writer(rows, ASSESSMENT_COLUMNS, self.stdout)
