from django.core.management.base import BaseCommand, CommandError

from obligations.models import ReviewCycle
from reports.snapshots import run_freeze


class Command(BaseCommand):
    help = (
        "Freeze the scorecards of published cycles (one snapshot per agency plus the national one). "
        "Run it after publishing a large cycle so that no reader pays for the first freeze."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Cycle slugs (default: every published cycle).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Recompute existing snapshots (changes nothing published unless the ratings changed).",
        )

    def handle(self, *args, slugs=(), force=False, **options):
        cycles = ReviewCycle.objects.published().order_by("period_end")
        if slugs:
            cycles = cycles.filter(slug__in=slugs)
            missing = set(slugs) - set(cycles.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"Not a published cycle: {', '.join(sorted(missing))}")
        for cycle in cycles:
            written = run_freeze(cycle, force=force)
            self.stdout.write(
                f"{cycle.slug}: {written} snapshots written" if written else f"{cycle.slug}: already frozen"
            )
