"""Admin imports as jobs (ImportJob): upload → preview (dry run) → confirm, for every
`PolicyImportExportAdmin`.

- The uploaded file is kept server-side under a generated name; the browser only ever holds the
  job's random token (no client-controlled file name between preview and confirm).
- CSV and XLSX only, with size and row limits (settings.IMPORT_MAX_BYTES, IMPORT_MAX_ROWS,
  IMPORT_MAX_UNZIPPED_BYTES), refused with a Spanish message before any row is imported.
- Files of more than IMPORT_SYNC_MAX_ROWS rows are previewed and imported by a Celery task
  (obligations.tasks) with progress; smaller ones in the request.
- The confirmation re-validates every row inside its transaction (the resources are all or
  nothing) and reports exactly what it saved, or that nothing was saved and why.
- The file (and its progress file) is removed on every path: refused preview, confirmation done
  or failed, cancellation, and after IMPORT_JOB_FILE_TTL_HOURS when nobody confirms.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export.results import RowResult

from agencies.resources import ImportFileError, read_dataset, result_messages
from obligations.models import ImportJob, ImportState

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")


class ImportRefused(Exception):
    """The upload is refused before any job exists (size, format)."""


def resource_path(resource_class) -> str:
    return f"{resource_class.__module__}.{resource_class.__qualname__}"


def _readable_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def start(*, user, model, resource_class, upload, file_format: str) -> ImportJob:
    """Check the upload's size and format, keep it as a job, and preview it (in the request
    for small files, else in a task once the job is committed)."""
    if file_format not in FORMATS:
        raise ImportRefused(_("Formato no admitido: %(format)s. Use CSV o XLSX.") % {"format": file_format})
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("El archivo pesa %(size)s; el máximo es %(max)s. Divídalo en archivos más pequeños.")
            % {"size": _readable_size(upload.size), "max": _readable_size(settings.IMPORT_MAX_BYTES)}
        )
    remove_stale_files()
    job = ImportJob(
        model_label=model._meta.label_lower,
        resource_path=resource_path(resource_class),
        file_format=file_format,
        original_name=os.path.basename(upload.name or "")[:255],
        created_by=user,
    )
    job.file.save(f"import.{file_format}", ContentFile(upload.read()), save=False)
    job.save()
    if _rows_hint(job) > settings.IMPORT_SYNC_MAX_ROWS:
        transaction.on_commit(lambda: _enqueue("preview", job.pk))
    else:
        preview(job.pk)
        job.refresh_from_db()
    return job


def _rows_hint(job: ImportJob) -> int:
    """A cheap upper bound of the rows (lines of a CSV; for XLSX, its size in kB)."""
    if job.file_format == "csv":
        with job.file.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 16), b""))
    return job.file.size // 1024


def _enqueue(task_name: str, job_id: int) -> None:
    from obligations import tasks

    task = {"preview": tasks.import_preview, "run": tasks.import_run}[task_name]
    try:
        task.apply_async(args=[job_id])
    except Exception as exc:  # broker down: say so on the job instead of leaving it running
        logger.warning("import enqueue failed job=%s: %s", job_id, exc)
        _finish(
            ImportJob.objects.get(pk=job_id),
            ImportState.FAILED,
            message=_("No se pudo encolar la importación (servicio de tareas no disponible): %(error)s")
            % {"error": exc},
        )


# --- progress (a small file next to the upload: the worker writes it, the page reads it) -------


def _progress_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"{job.token}.progress"


def _write_progress(job: ImportJob, done: int, total: int) -> None:
    path = _progress_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(int(100 * done / total) if total else 0))
    tmp.replace(path)


def progress(job: ImportJob) -> int:
    """Percent done of a running job (0 when unknown)."""
    if job.state in (ImportState.READY, ImportState.DONE):
        return 100
    try:
        return max(0, min(100, int(_progress_path(job).read_text())))
    except (OSError, ValueError):
        return 0


# --- the steps -------------------------------------------------------------------------------


def _dataset(job: ImportJob, first: int | None = None):
    with job.file.open("rb") as handle:
        return read_dataset(handle.read(), job.file_format, first=first)


def _resource(job: ImportJob, total: int):
    resource = import_string(job.resource_path)()
    resource.progress = lambda done: _write_progress(job, done, total)
    return resource


def _remove_files(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
    _progress_path(job).unlink(missing_ok=True)


def _finish(job: ImportJob, state: str, *, message: str = "", errors=None, remove_file: bool = True, **counts):
    job.state = state
    job.message = message
    if errors is not None:  # None: keep the preview's
        errors = list(errors)
        job.error_count = len(errors)
        job.errors = [str(e) for e in errors[: settings.IMPORT_MAX_ERRORS_SHOWN]]
    for name, value in counts.items():
        setattr(job, name, value)
    if remove_file:
        _remove_files(job)
        job.finished_at = timezone.now()
    else:
        _progress_path(job).unlink(missing_ok=True)
    job.save()


def _counts(result) -> dict:
    totals = result.totals
    return {
        "new": totals.get(RowResult.IMPORT_TYPE_NEW, 0),
        "updated": totals.get(RowResult.IMPORT_TYPE_UPDATE, 0),
        "unchanged": totals.get(RowResult.IMPORT_TYPE_SKIP, 0),
    }


def _run(job: ImportJob, *, dry_run: bool):
    """(result, dataset) or raises ImportFileError."""
    dataset = _dataset(job)
    resource = _resource(job, len(dataset))
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, user=job.created_by)
    return result, dataset


def preview(job_id: int) -> ImportJob:
    """The dry run: every row validated, nothing kept. A clean file waits for confirmation; a
    refused one is removed with its errors listed."""
    job = ImportJob.objects.get(pk=job_id)
    if job.state != ImportState.PREVIEWING:
        return job  # a redelivered message
    try:
        result, dataset = _run(job, dry_run=True)
    except ImportFileError as exc:
        _finish(job, ImportState.REFUSED, message=str(exc))
        return job
    errors = result_messages(result)
    if errors:
        _finish(
            job,
            ImportState.REFUSED,
            message=_("El archivo tiene errores: no se importará nada. Corríjalos y vuelva a subirlo."),
            errors=errors,
            rows=len(dataset),
        )
    else:
        _finish(job, ImportState.READY, rows=len(dataset), remove_file=False, **_counts(result))
    return job


def confirm(job: ImportJob, user) -> bool:
    """Claim a previewed job for its import (once: a second click does nothing); the import runs
    in the request for small files, else in a task."""
    claimed = ImportJob.objects.filter(pk=job.pk, state=ImportState.READY, created_by=user).update(
        state=ImportState.IMPORTING
    )
    if not claimed:
        return False
    if job.rows > settings.IMPORT_SYNC_MAX_ROWS:
        transaction.on_commit(lambda: _enqueue("run", job.pk))
    else:
        run(job.pk)
    return True


def run(job_id: int) -> ImportJob:
    """The import proper: every row validated again inside the import's transaction (things may
    have changed since the preview); all rows saved, or none."""
    job = ImportJob.objects.get(pk=job_id)
    if job.state != ImportState.IMPORTING:
        return job
    try:
        result, dataset = _run(job, dry_run=False)
    except ImportFileError as exc:
        _finish(job, ImportState.FAILED, message=str(exc))
        return job
    except Exception as exc:  # the database refused the write: the transaction was rolled back
        logger.exception("import failed job=%s", job.pk)
        _finish(job, ImportState.FAILED, message=_("No se guardó nada: %(error)s") % {"error": exc}, **_zero())
        return job
    errors = result_messages(result)
    if errors:
        _finish(
            job,
            ImportState.FAILED,
            message=_(
                "No se guardó nada: al confirmar, %(n)s filas ya no son válidas (los datos cambiaron desde la "
                "vista previa)."
            )
            % {"n": len(result.invalid_rows) + len(result.row_errors()) or len(errors)},
            errors=errors,
            **_zero(),
        )
    else:
        counts = _counts(result)
        _finish(job, ImportState.DONE, message=summary(counts), **counts)
    return job


def _zero() -> dict:
    return {"new": 0, "updated": 0, "unchanged": 0}


def summary(counts: dict) -> str:
    return _("Se guardaron %(new)s filas nuevas y %(updated)s actualizadas; %(unchanged)s sin cambios.") % counts


def cancel(job: ImportJob, user) -> bool:
    if job.created_by_id != user.pk or job.state not in (ImportState.READY, ImportState.REFUSED):
        return False
    _finish(job, ImportState.CANCELLED, message=_("Importación cancelada."))
    return True


def remove_stale_files(now=None) -> int:
    """Files of previews nobody confirmed within IMPORT_JOB_FILE_TTL_HOURS are removed."""
    limit = (now or timezone.now()) - timedelta(hours=settings.IMPORT_JOB_FILE_TTL_HOURS)
    stale = ImportJob.objects.filter(created_at__lt=limit).exclude(file="")
    count = 0
    for job in stale:
        state = ImportState.CANCELLED if job.state == ImportState.READY else job.state
        if job.is_running:
            state = ImportState.FAILED
        _finish(job, state, message=job.message or _("Vencida: nadie la confirmó a tiempo."))
        count += 1
    return count


def page_of_rows(job: ImportJob, page: int):
    """(headers, rows, number of pages) of one page of the kept file (empty once removed)."""
    if not job.file:
        return [], [], 0
    size = settings.IMPORT_PREVIEW_PAGE_ROWS
    pages = max(1, -(-job.rows // size))  # the preview counted the rows
    page = max(1, min(page, pages))
    try:
        dataset = _dataset(job, first=page * size)  # the file up to this page, not all of it
    except (ImportFileError, OSError):
        return [], [], 0
    return dataset.headers, dataset[(page - 1) * size : page * size], pages
