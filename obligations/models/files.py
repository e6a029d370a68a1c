"""Stored files: evidence, request attachments, answer and reply documents, in one way.

- `private_storage()`: files live under MEDIA_ROOT with no public URL (downloads go through
  permission-checked views, lib.downloads).
- `GeneratedName(folder)`: an unguessable stored name; the original name is kept for display.
- `FileRecord.attach(upload, info=None)`: the one place that records a checked upload on a model
  (file, original name, size, SHA-256 and, where the model has it, the content type). The check
  itself is `lib.uploads.validate_upload`; `info` is its result when a form already ran it.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from agencies.policy import ScopedQuerySet
from lib.uploads import UploadInfo, safe_filename, validate_upload

logger = logging.getLogger(__name__)

# Files written inside `files_removed_if_failed()`: (storage, name) of each FileRecord saved.
_written: ContextVar[list | None] = ContextVar("files_written", default=None)


@contextmanager
def files_removed_if_failed():
    """Around a transaction that stores uploads: if it fails (a refusal, a conflict, a database
    error), the files its rows pointed to are deleted too, so a rolled-back submission leaves no
    orphan file behind."""
    written = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError as exc:  # pragma: no cover - a full disk, a lost volume
                logger.warning("could not remove the file of a failed submission %s: %s", name, exc)
        raise
    finally:
        _written.reset(token)


def _remember_written(sender, instance, created, **kwargs):
    written = _written.get()
    # New rows only: a row saved again keeps a file an earlier, committed transaction wrote.
    if written is not None and created and isinstance(instance, FileRecord) and instance.file:
        written.append((instance.file.storage, instance.file.name))


post_save.connect(_remember_written, dispatch_uid="obligations.files.remember_written")


def private_storage():
    """Evidence and reports live under MEDIA_ROOT and have no public URL."""
    # No explicit location: it follows settings.MEDIA_ROOT, also when tests override it.
    return FileSystemStorage()


@deconstructible
class GeneratedName:
    """upload_to: `<folder>/<year>/<month>/<random hex><.ext>` (at most 75 characters for our
    folders); only the extension of the uploaded name is used."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        # Only ASCII letters and digits of the extension: the name is short and plain whatever
        # the upload was called (a 300-character name, spaces, accents, control characters).
        extension = re.sub(r"[^a-z0-9]", "", PurePosixPath(filename).suffix.lower())[:8]
        suffix = f".{extension}" if extension else ""
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


class FileRecord:
    """Mixin of models that store one checked file (`file`, `original_filename`, `sha256`, `size`,
    optionally `content_type`)."""

    default_download_name = "documento"

    def attach(self, upload, info: UploadInfo | None = None) -> UploadInfo:
        """Check `upload` (unless `info`, the result of the check, is given) and record it."""
        info = info or validate_upload(upload)
        upload.name = info.original_name  # the stored name is generated; only its extension is used
        self.original_filename = info.original_name
        self.sha256 = info.sha256
        self.size = info.size
        if hasattr(self, "content_type"):
            self.content_type = info.content_type
        self.file = upload
        return info

    @property
    def download_name(self) -> str:
        return safe_filename(
            self.original_filename or PurePosixPath(self.file.name or "").name, self.default_download_name
        )


class StoredFile(FileRecord, models.Model):
    """A private document (request attachment, answer or reply document) with its original name,
    size and SHA-256 (the same checks as evidence)."""

    title = models.CharField(_("título"), max_length=255, blank=True)
    original_filename = models.CharField(_("nombre original"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrado el"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title or self.original_filename

    @classmethod
    def store(cls, uploads, by, **parent) -> list:
        """Check and store uploaded files as rows of this model (one per file). Each upload is
        a file, or a `(file, UploadInfo)` pair from a form that already checked it."""
        stored = []
        for item in uploads or ():
            upload, info = item if isinstance(item, tuple) else (item, None)
            document = cls(**parent, uploaded_by=by)
            info = document.attach(upload, info)
            document.title = document.title or info.original_name
            document.save()
            stored.append(document)
        return stored
