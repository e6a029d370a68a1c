from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib import backup


class Command(BaseCommand):
    help = (
        "Restaura un respaldo en una base de datos y una carpeta de archivos VACÍAS, verificando cada SHA-256 "
        "y el número de filas de cada tabla."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="carpeta escrita por `manage.py backup`")
        parser.add_argument("--verify-only", action="store_true", help="sólo comprueba los SHA-256 del respaldo")

    def handle(self, *args, source, verify_only, **options):
        try:
            if verify_only:
                manifest = backup.verify(Path(source))
                self.stdout.write(
                    f"Respaldo íntegro: {len(manifest['files'])} archivos y la base de datos verificados."
                )
                return
            summary = backup.restore(Path(source))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restaurado desde {source}: {summary.as_text()}")
