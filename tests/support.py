"""Helpers shared by the test suite: waiting on a condition, and private media folders.

One of each: tests import `wait_for` from here, and get a private MEDIA_ROOT from the `media`
fixture (tests/conftest.py) or, for a longer scope, from `private_media()`."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db.models import FileField
from django.test import override_settings


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.05, what: str = "the condition"):
    """Poll `predicate` until it returns something truthy, and return that; fail the test
    (AssertionError naming `what`, a text or a callable giving one, e.g. a log's tail) when
    `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what() if callable(what) else what}")
        time.sleep(interval)


@contextmanager
def private_media(path: Path):
    """Point MEDIA_ROOT, and every file field's storage, at `path` (created if missing).

    The private storage is a callable evaluated once when the models load; its instances follow
    MEDIA_ROOT, but patching the fields as well keeps a test isolated even if a storage is ever
    given an explicit location."""
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
