"""Report jobs: one row per requested PDF (agency scorecard or national report).

The job's state lives here, in our database, never in Celery's result backend: the
site polls it, the admin lists it and the periodic check repairs it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.policy import ScopedQuerySet
from obligations.models import private_storage


class ReportKind(models.TextChoices):
    AGENCY = "agency", _("Cédula de una dependencia")
    NATIONAL = "national", _("Reporte nacional")


class JobState(models.TextChoices):
    QUEUED = "queued", _("En cola")
    RUNNING = "running", _("En proceso")
    DONE = "done", _("Listo")
    FAILED = "failed", _("Falló")


class ReportLanguage(models.TextChoices):
    SPANISH = "es", _("Español")
    ENGLISH = "en", _("Inglés")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


def report_upload_to(instance, filename: str) -> str:
    """One deterministic name per job: a re-run overwrites its own file, never adds a second one."""
    return instance.storage_name()


class ReportJobQuerySet(ScopedQuerySet):
    """`visible_to(user)`: the report jobs (and files) a user may see (agencies.policy)."""

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def lease_expired(self, now=None):
        """Running jobs whose claim lease ran out: the worker building them is dead."""
        return self.filter(state=JobState.RUNNING, lease_until__lt=now or timezone.now())

    def with_params(self, kind: str, cycle, agency, language: str):
        return self.filter(params_key=ReportJob.make_params_key(kind, cycle, agency, language))


class ReportJob(models.Model):
    kind = models.CharField(_("tipo"), max_length=16, choices=ReportKind.choices)
    cycle = models.ForeignKey(
        "obligations.ReviewCycle", verbose_name=_("ciclo"), on_delete=models.PROTECT, related_name="report_jobs"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("dependencia"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    language = models.CharField(
        _("idioma"), max_length=8, choices=ReportLanguage.choices, default=ReportLanguage.SPANISH
    )
    params_key = models.CharField(max_length=96, editable=False, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitado por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_jobs",
    )
    state = models.CharField(_("estado"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    step = models.CharField(_("paso"), max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    task_id = models.CharField(_("tarea Celery"), max_length=64, blank=True)
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("solicitado el"), default=timezone.now, editable=False)
    enqueued_at = models.DateTimeField(_("encolado el"), null=True, blank=True)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    # The claim lease: the process building the job renews both while it works
    # (reports.jobs.JobLease). A running job whose lease has run out has no live worker.
    heartbeat_at = models.DateTimeField(_("último latido"), null=True, blank=True)
    lease_until = models.DateTimeField(_("reservado hasta"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)
    render_seconds = models.FloatField(_("tiempo de generación (s)"), null=True, blank=True)
    file = models.FileField(
        _("archivo"), upload_to=report_upload_to, storage=private_storage, blank=True, max_length=255
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("páginas"), null=True, blank=True)
    data_fingerprint = models.CharField(_("huella de los datos"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("trabajo de reporte")
        verbose_name_plural = _("trabajos de reporte")
        constraints = [
            # Pressing the button ten times while a report is being built queues one job.
            models.UniqueConstraint(
                fields=["params_key"],
                condition=Q(state__in=ACTIVE_STATES),
                name="reportjob_one_active_per_params",
                violation_error_message=_("Ya hay un reporte igual en cola o en proceso."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="reportjob_progress_0_100",
                violation_error_message=_("El avance va de 0 a 100."),
            ),
            models.CheckConstraint(
                condition=Q(kind=ReportKind.NATIONAL, agency__isnull=True)
                | Q(kind=ReportKind.AGENCY, agency__isnull=False),
                name="reportjob_agency_iff_agency_kind",
                violation_error_message=_("La cédula requiere una dependencia; el reporte nacional, ninguna."),
            ),
        ]
        indexes = [
            # Reuse of a finished file: done jobs with the same parameters, newest first.
            models.Index(fields=["params_key", "state", "-finished_at"], name="reportjob_reuse"),
            # Periodic check: queued / running jobs by age.
            models.Index(fields=["state", "started_at"], name="reportjob_state_started"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} {self.cycle_id} {self.agency or ''} ({self.get_state_display()})"

    def save(self, *args, **kwargs):
        self.params_key = self.make_params_key(self.kind, self.cycle_id, self.agency_id, self.language)
        super().save(*args, **kwargs)

    @staticmethod
    def make_params_key(kind: str, cycle, agency, language: str) -> str:
        cycle_id = getattr(cycle, "pk", cycle)
        agency_id = getattr(agency, "pk", agency) if agency is not None else "-"
        return f"{kind}:{cycle_id}:{agency_id}:{language}"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def subject(self) -> str:
        return self.agency.acronym if self.agency_id else "nacional"

    def storage_name(self) -> str:
        return f"reports/{self.cycle.slug}/{self.pk}-{self.subject.lower()}-{self.language}.pdf"

    def download_name(self) -> str:
        return f"reporte-{self.cycle.slug}-{self.subject.lower()}-{self.language}.pdf"

    def lease_expired(self, now=None) -> bool:
        return (
            self.state == JobState.RUNNING
            and self.lease_until is not None
            and self.lease_until < (now or timezone.now())
        )

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
