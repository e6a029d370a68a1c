"""Report jobs: requesting, enqueuing, claiming, running and repairing them.

The lifecycle of a `ReportJob` (state in our database, not in Celery):

    queued ──claim──▶ running ──▶ done
       ▲                 │  └───▶ failed ──retry──▶ queued
       └──transient error┘

- `request_report()` records the job and publishes the task only after the transaction
  commits (`transaction.on_commit`). If the broker is down the job stays `queued` and
  `requeue_lost_jobs()` (periodic) publishes it later.
- `claim_job()` is a conditional UPDATE: of several deliveries of the same job only one
  runs it. A redelivery of the message that claimed a job (same Celery task id: the worker
  running it died, or a retry) may claim it again; any other message does nothing.
- One deterministic file name per job, written atomically: a re-run replaces its own file.
- A claim is a lease (`lease_until`): the process building the job renews it every
  REPORT_HEARTBEAT_SECONDS (`JobLease`, and every progress step). A running job whose lease
  ran out has no live worker (the whole worker was killed: no message comes back before the
  broker's visibility timeout); `reap_dead_jobs()` — periodic, and on every request for the
  same report — re-queues it under a new task id (at most MAX_ATTEMPTS claims) or fails it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies import policy
from obligations.choices import CycleState
from obligations.figure_choices import BREAKDOWN_DIMENSIONS
from obligations.models import Assessment, Evidence, Obligation, RecommendationFollowUp
from reports import figures, pdf
from reports.models import JobState, ReportJob, ReportKind, ReportLanguage

logger = logging.getLogger(__name__)

# A worker dying this many times on the same job (out of memory, killed) fails it for good.
MAX_ATTEMPTS = getattr(settings, "REPORT_MAX_ATTEMPTS", 3)


class ReportNotAllowed(Exception):
    """The user may not request this report (views answer 404)."""


# --- Who may request what ------------------------------------------------------------


@dataclass(frozen=True)
class ReportTarget:
    """What a report is about: the object of the policy's REQUEST_REPORT action."""

    kind: str
    cycle: object
    agency: object = None


def can_request(user, kind: str, cycle, agency=None) -> bool:
    """agencies.policy decides (Action.REQUEST_REPORT)."""
    return policy.can(user, policy.Action.REQUEST_REPORT, ReportTarget(kind, cycle, agency))


# --- Data fingerprint --------------------------------------------------------------------


def data_fingerprint(kind: str, cycle, agency=None) -> str:
    """SHA-256 of everything a report shows: the cycle, its method, the ratings with their
    rationale and workflow state, the evidence, the obligations' catalogue entries, the
    recommendations' follow-up and, in the national report, the sources' figures. Printed on every page, so a paper copy can be checked
    against the system on the public page "Verificar reporte" (/verificar/)."""

    assessments = Assessment.objects.filter(cycle=cycle)
    evidence = Evidence.objects.filter(assessment__cycle=cycle)
    follow_ups = RecommendationFollowUp.objects.filter(cycle=cycle)
    if agency is not None:
        assessments = assessments.filter(agency=agency)
        evidence = evidence.filter(assessment__agency=agency)
        follow_ups = follow_ups.filter(agency=agency)
    obligation_ids = assessments.values("obligation_id")
    payload = {
        "kind": kind,
        "cycle": [
            cycle.slug,
            cycle.name_es,
            cycle.name_en,
            str(cycle.period_start),
            str(cycle.period_end),
            cycle.state,
            cycle.methodology_version,
            cycle.published_at.isoformat() if cycle.published_at else None,
        ],
        "agency": agency.acronym if agency is not None else None,
        # The cover shows the source's publication date; only where known, so that the
        # fingerprints of cycles without one stay as they were.
        **(
            {"source_published": [str(cycle.source_published_on), cycle.source_published_precision]}
            if cycle.source_published_on
            else {}
        ),
        "assessments": list(
            assessments.order_by("pk").values_list(
                "pk",
                "agency_id",
                "obligation_id",
                "status",
                "workflow_state",
                "version",
                "rationale",
                "source_reference",
            )
        ),
        "evidence": list(
            evidence.order_by("pk").values_list("pk", "assessment_id", "title", "fact_date", "sha256", "confidential")
        ),
        "obligations": list(
            Obligation.objects.filter(pk__in=obligation_ids)
            .order_by("pk", "provisions")
            .values_list("pk", "code", "title_es", "title_en", "component", "level", "provisions")
        ),
        "follow_ups": list(follow_ups.order_by("pk").values_list("pk", "status", "note")),
        **_figures_payload(kind),
    }
    encoded = json.dumps(payload, default=str, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


# What decides the national PDF's "Cifras de las fuentes" (reports.pdf.national_context): each
# figure's indicator, value, unit, period and source, and the breakdown fields that tell a total
# (printed, and compared year on year for the effort flag) from a breakdown.
FIGURE_FIELDS = (
    "pk",
    "indicator__code",
    "indicator__statement_es",
    "indicator__statement_en",
    "status",
    "value",
    "unit",
    "percent_base",
    "year",
    "period_start",
    "period_end",
    *BREAKDOWN_DIMENSIONS,
    "source",
)


def _figures_payload(kind: str) -> dict:
    """The sources' figures the national report prints; only when it prints some, so that the
    fingerprints of agency reports, and of national reports without figures, stay as they were."""
    if kind != ReportKind.NATIONAL:
        return {}
    rows = list(figures.national_values().order_by("pk").values_list(*FIGURE_FIELDS))
    return {"figures": rows} if rows else {}


# --- Requesting -----------------------------------------------------------------------


def interface_language() -> str:
    """The report language that matches the active interface language (en → en, else es): the
    default of the request form and of a request that names none."""
    return ReportLanguage.ENGLISH if (get_language() or "").startswith("en") else ReportLanguage.SPANISH


def latest_job(user, kind: str, cycle, agency=None) -> ReportJob | None:
    """The newest job of that report the user may see (the PDF panel shows its state)."""
    return (
        ReportJob.objects.visible_to(user)
        .filter(kind=kind, cycle=cycle, agency=agency)
        .order_by("-created_at", "-pk")
        .first()
    )


def latest_url(kind: str, cycle, agency=None) -> str:
    """Where the PDF panel of a cached page loads `latest_job` from (reports.job_views.latest)."""
    query = urlencode({"kind": kind, "cycle": cycle.slug, **({"agency": agency.acronym} if agency else {})})
    return f"{reverse('report_jobs:latest')}?{query}"


def request_report(user, kind: str, cycle, agency=None, language: str = ReportLanguage.SPANISH) -> ReportJob:
    """Record a report job and enqueue it after commit; or return the job that already
    answers the request (one in progress with the same parameters, or — for a published
    cycle — a finished one built from the same data). `job.reused` tells which."""
    if language not in ReportLanguage.values:
        language = ReportLanguage.SPANISH
    if kind == ReportKind.NATIONAL:
        agency = None
    if not can_request(user, kind, cycle, agency):
        raise ReportNotAllowed
    params_key = ReportJob.make_params_key(kind, cycle, agency, language)

    reap_dead_jobs(params_key=params_key)  # never answer with a job whose worker is dead
    existing = ReportJob.objects.filter(params_key=params_key).active().first()
    if existing is None and cycle.state == CycleState.PUBLISHED:
        existing = _reusable_done_job(params_key, data_fingerprint(kind, cycle, agency))
    if existing is not None:
        existing.reused = True
        logger.info("report reused job=%s kind=%s params=%s", existing.pk, kind, params_key)
        return existing

    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                kind=kind, cycle=cycle, agency=agency, language=language, requested_by=user, step=_("En cola")
            )
    except IntegrityError:
        # Someone pressed the same button a moment earlier: answer with their job.
        job = ReportJob.objects.filter(params_key=params_key).active().first()
        if job is None:
            raise
        job.reused = True
        return job
    job.reused = False
    transaction.on_commit(lambda: enqueue(job.pk))
    logger.info("report requested job=%s kind=%s params=%s", job.pk, kind, params_key)
    return job


def _reusable_done_job(params_key: str, fingerprint: str) -> ReportJob | None:
    candidates = ReportJob.objects.filter(
        params_key=params_key, state=JobState.DONE, data_fingerprint=fingerprint
    ).order_by("-finished_at")
    for job in candidates[:3]:
        if job.file and job.file.storage.exists(job.file.name):
            return job
    return None


BUILD_TASK = "reports.build_report"  # reports.tasks.build_report, by name: the tasks import this module


def enqueue(job_id: int) -> bool:
    """Publish the report task for a queued job. With the broker down, log it and leave
    the job queued (no `enqueued_at`): `requeue_lost_jobs` publishes it later."""
    task_id = uuid.uuid4().hex
    updated = ReportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        task_id=task_id, enqueued_at=timezone.now()
    )
    if not updated:
        return False
    try:
        current_app.signature(BUILD_TASK).apply_async(
            (job_id,),
            task_id=task_id,
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1.0},
        )
    except Exception as exc:  # kombu.exceptions.OperationalError, redis errors, socket errors
        ReportJob.objects.filter(pk=job_id, state=JobState.QUEUED, task_id=task_id).update(enqueued_at=None)
        logger.warning("report enqueue failed job=%s broker unavailable: %s", job_id, exc)
        return False
    return True


def retry_job(job: ReportJob, user) -> ReportJob:
    """Put a failed job back in the queue (same job, same file name), if `user` may request that
    report (ReportNotAllowed otherwise). If an identical job is already queued or running, that one
    answers instead."""
    if not can_request(user, job.kind, job.cycle, job.agency):
        raise ReportNotAllowed
    updated = 0
    try:
        with transaction.atomic():
            updated = ReportJob.objects.filter(pk=job.pk, state=JobState.FAILED).update(
                state=JobState.QUEUED, progress=0, step=_("En cola"), error="", enqueued_at=None, attempts=0
            )
    except IntegrityError:
        other = ReportJob.objects.filter(params_key=job.params_key).active().first()
        if other is not None:
            return other
        raise
    if updated:
        transaction.on_commit(lambda: enqueue(job.pk))
        logger.info("report retry job=%s by=%s", job.pk, getattr(user, "pk", None))
    job.refresh_from_db()
    return job


# --- Running (called by the Celery task) ----------------------------------------------


class TransientReportError(Exception):
    """A failure worth retrying later (database or storage briefly unavailable)."""


def claim_job(job_id: int, task_id: str, hostname: str = "") -> ReportJob | None:
    """Claim a job for this task with one conditional UPDATE; None when there is nothing
    to do (finished, or being built by another task).

    A queued job is claimed by whichever message arrives first. A running job is claimed
    again only by the message that claimed it (same task id): it comes back only when the
    worker running it died (acks_late + reject_on_worker_lost) or on a retry."""
    now = timezone.now()
    changes = {
        **_lease(now),
        "state": JobState.RUNNING,
        "task_id": task_id,
        "worker": f"{hostname}:{os.getpid()}"[:255],  # host and process (the one to look at if it hangs)
        "started_at": now,
        "finished_at": None,
        "progress": 1,
        "step": _("Iniciando"),
        "error": "",
        "attempts": F("attempts") + 1,
    }
    claimed = ReportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(**changes)
    if not claimed:
        claimed = ReportJob.objects.filter(
            pk=job_id, state=JobState.RUNNING, task_id=task_id, attempts__lt=MAX_ATTEMPTS
        ).update(**changes)
        if claimed:
            logger.warning("report reclaimed job=%s after a lost worker", job_id)
        elif ReportJob.objects.filter(pk=job_id, state=JobState.RUNNING, task_id=task_id).exists():
            fail_job(
                job_id,
                task_id,
                _("El proceso que generaba el reporte se detuvo %(n)s veces; revise la memoria del worker.")
                % {"n": MAX_ATTEMPTS},
            )
            return None
    if not claimed:
        logger.info("report not claimed job=%s (finished or taken)", job_id)
        return None
    return ReportJob.objects.select_related("cycle", "agency").get(pk=job_id)


def _lease(now=None) -> dict:
    now = now or timezone.now()
    return {"heartbeat_at": now, "lease_until": now + timedelta(seconds=settings.REPORT_LEASE_SECONDS)}


def renew_lease(job_id: int, task_id: str) -> bool:
    """Extend the claim of a running job; False when it is no longer ours."""
    return bool(ReportJob.objects.filter(pk=job_id, state=JobState.RUNNING, task_id=task_id).update(**_lease()))


class JobLease:
    """Renews a job's lease from a thread while the render runs (WeasyPrint can work for
    minutes between two progress steps). It stops when the job is no longer ours, when the
    worker's main process is gone (a pool process orphaned by a killed worker must not keep
    a dead job alive) or after the hard time limit."""

    def __init__(self, job_id: int, task_id: str):
        self.job_id, self.task_id = job_id, task_id
        self.stop_event = threading.Event()
        self.parent = os.getppid()
        self.thread = None

    def __enter__(self):
        # Inside a test's transaction the renewals could not commit: progress steps renew it.
        if settings.REPORT_HEARTBEAT_SECONDS > 0 and not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._run, name=f"lease-{self.job_id}", daemon=True)
            self.thread.start()
        return self

    def _run(self):
        deadline = time.monotonic() + settings.REPORT_HARD_TIME_LIMIT
        try:
            while not self.stop_event.wait(settings.REPORT_HEARTBEAT_SECONDS):
                if os.getppid() != self.parent or time.monotonic() > deadline:
                    return
                try:
                    if not renew_lease(self.job_id, self.task_id):
                        return
                except (OperationalError, InterfaceError) as exc:
                    logger.warning("report lease renewal failed job=%s: %s", self.job_id, exc)
        finally:
            connection.close()  # this thread's own connection

    def __exit__(self, *exc):
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
        return False


def set_progress(job_id: int, task_id: str, progress: int, step: str) -> None:
    ReportJob.objects.filter(pk=job_id, state=JobState.RUNNING, task_id=task_id).update(
        progress=max(0, min(int(progress), 99)), step=str(step)[:120], **_lease()
    )


def fail_job(job_id: int, task_id: str | None, error: str) -> bool:
    filters = {"pk": job_id, "state__in": (JobState.RUNNING, JobState.QUEUED)}
    if task_id is not None:
        filters["task_id"] = task_id
    done = ReportJob.objects.filter(**filters).update(
        state=JobState.FAILED, error=str(error)[:4000], finished_at=timezone.now(), step=_("Falló")
    )
    if done:
        logger.error("report failed job=%s error=%s", job_id, error)
    return bool(done)


def release_for_retry(job_id: int, task_id: str, error: str) -> None:
    """A transient error: back to queued (the retried message claims it again)."""
    ReportJob.objects.filter(pk=job_id, state=JobState.RUNNING, task_id=task_id).update(
        state=JobState.QUEUED, step=_("Reintento programado"), error=str(error)[:4000]
    )


@dataclass
class Outcome:
    state: str
    job: ReportJob | None = None


def run_job(job_id: int, task_id: str, hostname: str = "") -> Outcome:
    """Build the PDF of a job: claim, fingerprint, render, store, finish. Transient errors
    propagate (the task retries); any other error fails the job with a readable message."""
    job = claim_job(job_id, task_id, hostname)
    if job is None:
        return Outcome("skipped")
    started = time.monotonic()
    try:
        with JobLease(job.pk, task_id):
            built, fingerprint, name = _build(job, task_id)
    except SoftTimeLimitExceeded:
        fail_job(
            job.pk,
            task_id,
            _("El reporte tardó más de %(s)s s y se detuvo. Reintente o avise a soporte.")
            % {"s": settings.REPORT_SOFT_TIME_LIMIT},
        )
        return Outcome(JobState.FAILED)
    except (OperationalError, InterfaceError, TransientReportError) as exc:
        release_for_retry(job.pk, task_id, _("Error transitorio: %(e)s") % {"e": exc})
        raise TransientReportError(str(exc)) from exc
    except Exception as exc:
        logger.exception("report render failed job=%s", job.pk)
        fail_job(job.pk, task_id, _("No se pudo generar el PDF: %(e)s") % {"e": _readable(exc)})
        return Outcome(JobState.FAILED)

    finished = ReportJob.objects.filter(pk=job.pk, state=JobState.RUNNING, task_id=task_id).update(
        state=JobState.DONE,
        progress=100,
        step=_("Listo"),
        file=name,
        sha256=hashlib.sha256(built.content).hexdigest(),
        size=len(built.content),
        page_count=built.page_count,
        data_fingerprint=fingerprint,
        finished_at=timezone.now(),
        render_seconds=round(time.monotonic() - started, 3),
        error="",
    )
    job.refresh_from_db()
    if finished:
        logger.info("report done job=%s pages=%s seconds=%.2f", job.pk, job.page_count, job.render_seconds)
        return Outcome(JobState.DONE, job)
    return Outcome("lost", job)


def _build(job: ReportJob, task_id: str):
    _remove_partial_files(job)
    set_progress(job.pk, task_id, 5, _("Reuniendo los datos"))
    fingerprint = data_fingerprint(job.kind, job.cycle, job.agency)
    built = pdf.build_report(
        job.kind,
        job.cycle,
        job.agency,
        language=job.language,
        fingerprint=fingerprint,
        progress=lambda percent, step: set_progress(job.pk, task_id, percent, step),
    )
    set_progress(job.pk, task_id, 97, _("Guardando el archivo"))
    name = job.storage_name()
    _write_atomically(job, name, built.content)
    return built, fingerprint, name


def _readable(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:1000] if text != exc.__class__.__name__ else text


def _job_path(name: str) -> Path:
    return Path(ReportJob._meta.get_field("file").storage.path(name))


def _remove_partial_files(job: ReportJob) -> None:
    """Temporary files of an attempt that was killed mid-write."""
    final = _job_path(job.storage_name())
    if final.parent.exists():
        for part in final.parent.glob(f"{final.name}.*.part"):
            part.unlink(missing_ok=True)


def _write_atomically(job: ReportJob, name: str, content: bytes) -> None:
    """Write to a temporary file and rename over the job's one file name."""
    final = _job_path(name)
    final.parent.mkdir(parents=True, exist_ok=True)
    part = final.with_name(f"{final.name}.{uuid.uuid4().hex}.part")
    try:
        with open(part, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, final)
    finally:
        part.unlink(missing_ok=True)


# --- Repairs (periodic) ---------------------------------------------------------------


def stale_after() -> timedelta:
    """A job running longer than the hard time limit (plus a margin) has no live worker."""
    return timedelta(seconds=settings.REPORT_HARD_TIME_LIMIT + 60)


def reap_dead_jobs(now=None, params_key: str | None = None) -> dict:
    """Running jobs whose lease ran out (their worker died whole): back to the queue under a
    new task id while they have attempts left, otherwise failed with a message. A message of
    the dead worker redelivered later finds the job claimed or finished and does nothing."""
    now = now or timezone.now()
    dead = ReportJob.objects.lease_expired(now)
    if params_key is not None:
        dead = dead.filter(params_key=params_key)
    requeued = []
    failed = 0
    for job_id, attempts, lease_until in dead.values_list("pk", "attempts", "lease_until")[:100]:
        still_dead = ReportJob.objects.filter(pk=job_id, state=JobState.RUNNING, lease_until=lease_until)
        if attempts < MAX_ATTEMPTS:
            if still_dead.update(
                state=JobState.QUEUED,
                task_id="",
                enqueued_at=None,
                progress=0,
                step=_("En cola de nuevo: el worker que lo generaba se detuvo"),
                error="",
            ):
                requeued.append(job_id)
                logger.warning("report job=%s lease expired at %s: re-queued", job_id, lease_until)
        elif still_dead.update(
            state=JobState.FAILED,
            finished_at=now,
            step=_("Falló"),
            error=_(
                "El worker que generaba el reporte dejó de responder %(n)s veces; revise los workers. "
                "Puede reintentarlo."
            )
            % {"n": attempts},
        ):
            failed += 1
            logger.error("report job=%s lease expired after %s attempts: failed", job_id, attempts)
    for job_id in requeued:
        transaction.on_commit(lambda job_id=job_id: enqueue(job_id))
    return {"requeued": len(requeued), "failed": failed}


def mark_stale_jobs_failed(now=None) -> int:
    """Jobs stuck in `running` past the hard limit → failed (they can be retried). A backstop:
    a job whose worker died is normally re-queued by `reap_dead_jobs` as soon as its lease
    runs out (claims made before leases existed have none)."""
    now = now or timezone.now()
    count = ReportJob.objects.filter(state=JobState.RUNNING, started_at__lt=now - stale_after()).update(
        state=JobState.FAILED,
        finished_at=now,
        step=_("Falló"),
        error=_(
            "El trabajo quedó detenido más allá del tiempo máximo (%(s)s s): el worker se detuvo. Puede reintentarlo."
        )
        % {"s": settings.REPORT_HARD_TIME_LIMIT},
    )
    if count:
        logger.warning("report stale jobs marked failed count=%s", count)
    return count


def requeue_lost_jobs(now=None) -> int:
    """Publish again the queued jobs that no worker picked up: never published (broker
    down at request time) or published so long ago that the message must be lost."""
    now = now or timezone.now()
    lost_after = timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600))
    ids = list(
        ReportJob.objects.filter(state=JobState.QUEUED)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - lost_after))
        .filter(created_at__lt=now - timedelta(seconds=5))  # let on_commit publish fresh ones
        .values_list("pk", flat=True)[:100]
    )
    published = sum(1 for job_id in ids if enqueue(job_id))
    if ids:
        logger.info("report requeue queued=%s published=%s", len(ids), published)
    return published


def check_jobs() -> dict:
    dead = reap_dead_jobs()
    return {
        "dead_requeued": dead["requeued"],
        "dead_failed": dead["failed"],
        "stale_failed": mark_stale_jobs_failed(),
        "requeued": requeue_lost_jobs(),
    }


# --- What the site shows of a job -------------------------------------------------------


def job_payload(job: ReportJob) -> dict:
    """What the progress widget shows (also the JSON of the status endpoint)."""
    payload = {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "progress": job.progress,
        "step": job.step,
        "language": job.language,
        "status_url": reverse("report_jobs:status", args=[job.pk]),
        "reused": bool(getattr(job, "reused", False)),
        "message": job_message(job),
    }
    if job.state == JobState.DONE:
        payload["download_url"] = reverse("report_jobs:download", args=[job.pk])
        payload["page_count"] = job.page_count
        payload["sha256"] = job.sha256
        payload["fingerprint"] = job.data_fingerprint
    if job.state == JobState.FAILED:
        payload["error"] = job.error
        payload["retry_url"] = reverse("report_jobs:retry", args=[job.pk])
    return payload


def job_message(job: ReportJob) -> str:
    if job.state == JobState.DONE:
        if getattr(job, "reused", False):
            return _("Ya existía un reporte idéntico generado con los mismos datos: puede descargarlo.")
        return _("El reporte está listo (%(n)s páginas).") % {"n": job.page_count}
    if job.state == JobState.FAILED:
        return _("No se pudo generar el reporte: %(error)s") % {"error": job.error}
    if job.state == JobState.QUEUED and job.enqueued_at is None:
        return _(
            "Su reporte quedó en cola. El servicio de tareas no responde en este momento; "
            "se enviará automáticamente en cuanto esté disponible."
        )
    if job.state == JobState.QUEUED:
        return _("Su reporte está en cola.")
    return _("Generando el reporte: %(step)s") % {"step": job.step}
