"""Build a compliance report PDF from the command line (scripted use, no worker needed).

python manage.py build_report --cycle cndh-2019 --agency SEP --lang es -o sep.pdf
python manage.py build_report --cycle cndh-2019 -o nacional.pdf          # national report
python manage.py build_report --cycle cndh-2019 --agency SEP --fingerprint
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from obligations.models import ReviewCycle
from reports import jobs, pdf
from reports.models import ReportKind


class Command(BaseCommand):
    help = "Genera el PDF de la cédula de una dependencia (--agency) o el reporte nacional de un ciclo."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="clave (slug) del ciclo de revisión")
        parser.add_argument("--agency", help="siglas de la dependencia; sin ella, el reporte nacional")
        parser.add_argument("--lang", choices=["es", "en"], default="es")
        parser.add_argument("-o", "--output", help="archivo PDF de salida")
        parser.add_argument(
            "--fingerprint", action="store_true", help="sólo imprimir la huella actual de los datos (sin generar)"
        )

    def handle(self, *args, cycle, agency, lang, output, fingerprint, **options):
        try:
            cycle_obj = ReviewCycle.objects.get(slug=cycle)
        except ReviewCycle.DoesNotExist:
            raise CommandError(f"No existe el ciclo «{cycle}».") from None
        agency_obj = None
        if agency:
            agency_obj = Agency.objects.filter(acronym__iexact=agency).first()
            if agency_obj is None:
                raise CommandError(f"No existe la dependencia «{agency}».")
        kind = ReportKind.AGENCY if agency_obj else ReportKind.NATIONAL
        data_fingerprint = jobs.data_fingerprint(kind, cycle_obj, agency_obj)
        if fingerprint:
            self.stdout.write(data_fingerprint)
            return
        if not output:
            raise CommandError("Indique el archivo de salida con -o/--output.")
        started = time.monotonic()
        built = pdf.build_report(kind, cycle_obj, agency_obj, language=lang, fingerprint=data_fingerprint)
        Path(output).write_bytes(built.content)
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {built.page_count} páginas, {len(built.content)} bytes, "
                f"{time.monotonic() - started:.2f} s, huella {data_fingerprint[:16]}"
            )
        )
