from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib import backup


class Command(BaseCommand):
    help = "Respalda la base de datos y los archivos (MEDIA_ROOT) en una carpeta, con un manifiesto SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("target", help="carpeta nueva o vacía donde escribir el respaldo")

    def handle(self, *args, target, **options):
        try:
            summary = backup.backup(Path(target))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Respaldo en {target}: {summary.as_text()}")
