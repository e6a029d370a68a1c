"""Point every private file field at a temporary folder.

`private_storage` is a callable storage, evaluated once when the models load, so overriding
MEDIA_ROOT in a test does not move it: patch the fields' storages instead."""

from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db.models import FileField
from django.test import override_settings


@contextmanager
def private_media(path: Path):
    path.mkdir(parents=True, exist_ok=True)
    patched = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and isinstance(field.storage, FileSystemStorage):
                patched.append((field, field.storage))
                field.storage = FileSystemStorage(location=str(path), base_url=None)
    try:
        with override_settings(MEDIA_ROOT=str(path)):
            yield path
    finally:
        for field, storage in patched:
            field.storage = storage


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []
