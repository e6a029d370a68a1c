from django.core.management.base import BaseCommand, CommandError

from obligations.exports import WRITERS, assessment_rows
from obligations.models import Assessment, ReviewCycle


class Command(BaseCommand):
    help = (
        "Write one row per assessment of a review cycle in the open-data format "
        "(cycle, agency, obligation_code, obligation_title_en, obligation_title_es, component, level, "
        "legal_basis, status, source). Runs as the system: every assessment of the cycle."
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
        rows = assessment_rows(Assessment.objects.filter(cycle__slug=slug))
        writer = WRITERS[options["format"]]
        if options["output"]:
            # utf-8-sig for CSV so that spreadsheet programs read the accents right.
            encoding = "utf-8-sig" if options["format"] == "csv" else "utf-8"
            with open(options["output"], "w", encoding=encoding, newline="") as stream:
                count = writer(rows, stream)
            self.stderr.write(f"{count} assessments written to {options['output']}.")
        else:
            self.stdout.ending = ""  # the writers end their own lines
            writer(rows, self.stdout)
