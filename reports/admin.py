"""Report jobs in the admin: auditors see every job, request a report (the add form)
and retry failed ones (an action). Access through compliance.admin.PolicyAdmin; creation goes
through `reports.jobs.request_report`."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from compliance.admin import PolicyAdmin
from reports import jobs
from reports.models import JobState, ReportJob, ReportKind


class ReportRequestForm(forms.ModelForm):
    class Meta:
        model = ReportJob
        fields = ["kind", "cycle", "agency", "language"]
        help_texts = {"agency": _("Sólo para la cédula de una dependencia; vacío para el reporte nacional.")}

    def clean(self):
        data = super().clean()
        kind, agency = data.get("kind"), data.get("agency")
        if kind == ReportKind.AGENCY and agency is None:
            self.add_error("agency", _("Elija la dependencia de la cédula."))
        if kind == ReportKind.NATIONAL and agency is not None:
            self.add_error("agency", _("El reporte nacional no lleva dependencia."))
        return data


@admin.register(ReportJob)
class ReportJobAdmin(PolicyAdmin):
    form = ReportRequestForm
    list_display = [
        "id",
        "kind",
        "cycle",
        "agency",
        "language",
        "state",
        "progress",
        "step",
        "page_count",
        "render_seconds",
        "created_at",
        "requested_by",
        "download_link",
    ]
    list_filter = ["state", "kind", "language", "cycle"]
    list_select_related = ["cycle", "agency", "requested_by"]
    search_fields = ["agency__acronym", "cycle__slug", "sha256", "data_fingerprint"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]
    readonly_fields = [
        "state",
        "progress",
        "step",
        "attempts",
        "requested_by",
        "created_at",
        "enqueued_at",
        "started_at",
        "finished_at",
        "render_seconds",
        "worker",
        "task_id",
        "page_count",
        "size",
        "sha256",
        "data_fingerprint",
        "error",
        "download_link",
    ]

    def has_change_permission(self, request, obj=None):
        return False  # jobs change only through the service (retry action)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle", "agency", "requested_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "cycle", "agency", "language"]
        return ["kind", "cycle", "agency", "language", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["kind", "cycle", "agency", "language", *self.readonly_fields]

    # --- requesting a report --------------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        job = jobs.request_report(request.user, data["kind"], data["cycle"], data.get("agency"), data["language"])
        obj.pk = job.pk
        obj._state.adding = False
        obj._state.db = job._state.db
        obj.reused = job.reused
        if job.reused:
            messages.info(request, gettext("Ya había un reporte idéntico (#%(id)s); se usa ese.") % {"id": job.pk})

    def log_addition(self, request, obj, message):
        if not getattr(obj, "reused", False):
            super().log_addition(request, obj, message)

    # --- columns and actions ----------------------------------------------------------

    @admin.display(description=_("archivo"))
    def download_link(self, obj):
        if obj.state != JobState.DONE or not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("report_jobs:download", args=[obj.pk]), gettext("Descargar PDF")
        )

    @admin.action(description=_("Reintentar los trabajos fallidos seleccionados"), permissions=["view"])
    def retry_failed(self, request, queryset):
        failed = [
            job
            for job in queryset.filter(state=JobState.FAILED).select_related("cycle", "agency")
            if jobs.can_request(request.user, job.kind, job.cycle, job.agency)
        ]
        for job in failed:
            jobs.retry_job(job, request.user)
        skipped = queryset.count() - len(failed)
        if failed:
            messages.success(
                request,
                ngettext("%(n)s trabajo vuelve a la cola.", "%(n)s trabajos vuelven a la cola.", len(failed))
                % {"n": len(failed)},
            )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(n)s trabajo no se reintentó: no estaba fallido o usted no puede solicitar ese reporte.",
                    "%(n)s trabajos no se reintentaron: no estaban fallidos o usted no puede solicitar esos reportes.",
                    skipped,
                )
                % {"n": skipped},
            )
