"""The auditors' workspace: catalogue, review cycles, ratings, evidence and their history.

Only auditors (and superusers) get in: every permission hook asks `agencies.access.is_auditor`
(liaisons and the secretariat are not staff, but the hooks do not rely on that). Querysets go
through the `visible_to` rule. State changes go through `obligations.services`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin

from agencies.access import is_auditor
from agencies.choices import Role
from obligations import history, services
from obligations.choices import WorkflowState
from obligations.forms import (
    AssessmentForm,
    EvidenceForm,
    EvidenceInlineFormSet,
    OpenCycleForm,
    ReturnToDraftForm,
)
from obligations.models import (
    Assessment,
    Evidence,
    Indicator,
    IndicatorValue,
    LegalInstrument,
    Obligation,
    Provision,
    Recommendation,
    RecommendationFollowUp,
    Responsibility,
    ReviewCycle,
)
from obligations.models.review import LockedError

try:  # written by the reference-data work (helper A); optional until it lands
    from obligations import resources as _resources
except ImportError:  # pragma: no cover
    _resources = None


def resource_classes(*names):
    return [getattr(_resources, name) for name in names if _resources is not None and hasattr(_resources, name)]


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _download_link(evidence):
    if evidence is None or not evidence.pk or not evidence.file:
        return "—"
    return format_html(
        '<a href="{}">{}</a><br><small>SHA-256: <code>{}</code></small>',
        reverse("obligations:evidence_download", args=[evidence.pk]),
        evidence.download_name,
        evidence.sha256,
    )


# --- access -------------------------------------------------------------------------------


class AuditorOnly:
    """Every permission hook: auditors and superusers only."""

    def has_module_permission(self, request):
        return is_auditor(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return is_auditor(request.user)

    def has_add_permission(self, request, *args):
        return is_auditor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_auditor(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_auditor(request.user)

    # Bulk import/export only through the strict resources of obligations/resources.py (same
    # validation as the forms, formula escaping): none for models without one (e.g. evidence,
    # whose files must pass validate_upload).
    def has_import_permission(self, request):
        return is_auditor(request.user) and bool(getattr(self, "resource_classes", None))

    def has_export_permission(self, request):
        return is_auditor(request.user) and bool(getattr(self, "resource_classes", None))


class AuditorModelAdmin(AuditorOnly, ImportExportModelAdmin):
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # facet counts cost one COUNT per filter choice
    list_per_page = 100


class AuditorInline(AuditorOnly):
    pass


# --- catalogue ----------------------------------------------------------------------------


class ProvisionInline(AuditorInline, admin.TabularInline):
    model = Provision
    extra = 0
    fields = ["article", "fraction", "paragraph", "transitory", "summary_es", "source"]
    show_change_link = True


@admin.register(LegalInstrument)
class LegalInstrumentAdmin(AuditorModelAdmin):
    list_display = ["code", "short_name", "kind", "published_on"]
    search_fields = ["code", "short_name", "name_es"]
    inlines = [ProvisionInline]


@admin.register(Provision)
class ProvisionAdmin(AuditorModelAdmin):
    resource_classes = resource_classes("ProvisionResource")
    list_display = ["citation", "instrument", "article", "fraction", "transitory", "source"]
    list_select_related = ["instrument"]
    list_filter = ["instrument", "transitory"]
    search_fields = ["article", "summary_es", "summary_en", "instrument__short_name"]


class ResponsibilityInline(AuditorInline, admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = []
    fields = ["agency", "role"]


class IndicatorInline(AuditorInline, admin.StackedInline):
    model = Indicator
    extra = 0
    fields = ["code", "kind", "statement_es", "statement_en", "means_of_verification", "is_quantitative"]
    show_change_link = True


@admin.register(Obligation)
class ObligationAdmin(AuditorModelAdmin):
    resource_classes = resource_classes("ObligationResource")
    list_display = ["code", "title_es", "component", "level", "legal_basis_display", "legal_basis_to_verify"]
    list_filter = ["component", "level", "legal_basis_to_verify", "agencies"]
    search_fields = ["code", "title_es", "title_en", "provisions__article"]
    filter_horizontal = ["provisions"]
    inlines = [ResponsibilityInline, IndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("provisions__instrument")

    @admin.display(description=_("fundamento legal"))
    def legal_basis_display(self, obj):
        return obj.legal_basis or "—"


class IndicatorValueInline(AuditorInline, admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AuditorModelAdmin):
    resource_classes = resource_classes("IndicatorResource")
    list_display = ["code", "statement_es", "kind", "obligation", "is_quantitative"]
    list_select_related = ["obligation"]
    list_filter = ["kind", "is_quantitative", "obligation__component"]
    search_fields = ["code", "statement_es", "statement_en", "obligation__code"]
    raw_id_fields = ["obligation"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AuditorModelAdmin):
    list_display = ["indicator", "year", "value", "source"]
    list_select_related = ["indicator"]
    list_filter = ["year", "source"]
    search_fields = ["indicator__code", "source"]
    raw_id_fields = ["indicator"]


class FollowUpInline(AuditorInline, admin.TabularInline):
    model = RecommendationFollowUp
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(AuditorModelAdmin):
    list_display = ["code", "issuer", "paragraph", "prioritized", "issued_on"]
    list_filter = ["issuer", "prioritized", "addressees"]
    search_fields = ["code", "text_es", "text_en", "paragraph"]
    filter_horizontal = ["addressees", "obligations"]
    inlines = [FollowUpInline]


@admin.register(RecommendationFollowUp)
class RecommendationFollowUpAdmin(AuditorModelAdmin):
    list_display = ["recommendation", "cycle", "agency", "status"]
    list_select_related = ["recommendation", "cycle", "agency"]
    list_filter = ["cycle", "status", "agency"]
    search_fields = ["recommendation__code", "note"]


# --- review cycles ------------------------------------------------------------------------


def _confirm(modeladmin, request, queryset, action, title, question, extra=None, form=None):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "question": question,
        "objects": queryset,
        "action": action,
        "form": form,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        **(extra or {}),
    }
    return TemplateResponse(request, "admin/obligations/confirm_action.html", context)


@admin.register(ReviewCycle)
class ReviewCycleAdmin(AuditorModelAdmin):
    list_display = [
        "name_es",
        "slug",
        "period_start",
        "period_end",
        "state",
        "methodology_version",
        "n_assessments",
        "n_validated",
    ]
    list_filter = ["state"]
    search_fields = ["slug", "name_es", "name_en"]
    actions = ["close_cycles", "publish_cycles"]
    fields = [
        "name_es",
        "name_en",
        "slug",
        "period_start",
        "period_end",
        "methodology_version",
        "source",
        "state",
        "opened_by",
        "closed_at",
        "published_at",
    ]

    def get_queryset(self, request):
        return (
            ReviewCycle.objects.visible_to(request.user)
            .annotate(
                n_assessments_=Count("assessments"),
                n_validated_=Count("assessments", filter=Q(assessments__workflow_state=WorkflowState.VALIDATED)),
            )
            .order_by("-period_end", "slug")
        )

    @admin.display(description=_("evaluaciones"), ordering="n_assessments_")
    def n_assessments(self, obj):
        return obj.n_assessments_

    @admin.display(description=_("validadas"), ordering="n_validated_")
    def n_validated(self, obj):
        return obj.n_validated_

    def get_readonly_fields(self, request, obj=None):
        return [
            "slug",
            "period_start",
            "period_end",
            "methodology_version",
            "state",
            "opened_by",
            "closed_at",
            "published_at",
        ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("abrir/", self.admin_site.admin_view(self.open_cycle_view), name="obligations_reviewcycle_open"),
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:obligations_reviewcycle_open")

    def open_cycle_view(self, request):
        """Open a cycle: a form, then a confirmation showing what will be created."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OpenCycleForm(request.POST or None, initial={"methodology_version": self._latest_methodology()})
        preview = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            planned = list(services.planned_assessments(data["period_start"], data["period_end"]))
            if request.POST.get("confirm") == "yes":
                try:
                    cycle = services.open_cycle(by=request.user, **data)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    self.log_addition(request, cycle, [{"added": {}}])
                    self.message_user(
                        request,
                        gettext("Ciclo «%(cycle)s» abierto con %(n)d evaluaciones en borrador.")
                        % {"cycle": cycle, "n": cycle.assessments.count()},
                        messages.SUCCESS,
                    )
                    url = reverse("admin:obligations_assessment_changelist")
                    return HttpResponseRedirect(f"{url}?cycle__id__exact={cycle.pk}")
            if form.is_valid():
                preview = {
                    "assessments": len(planned),
                    "obligations": len({o for _a, o in planned}),
                    "agencies": len({a for a, _o in planned}),
                }
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Abrir un ciclo de revisión"),
            "form": form,
            "preview": preview,
            "opts": self.model._meta,
            "previous_cycles": ReviewCycle.objects.order_by("-period_end")[:5],
        }
        return TemplateResponse(request, "admin/obligations/reviewcycle/open_cycle.html", context)

    @staticmethod
    def _latest_methodology():
        latest = ReviewCycle.objects.order_by("-period_end").first()
        return latest.methodology_version if latest else "cndh-2019-v1"

    def _cycle_action(self, request, queryset, func, action, title, question, done):
        if request.POST.get("post") != "yes":
            return _confirm(self, request, queryset, action, title, question)
        for cycle in queryset:
            try:
                func(cycle, request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cycle}: {_error_text(exc)}", messages.ERROR)
            else:
                self.log_change(request, cycle, done)
                self.message_user(request, f"{cycle}: {done}", messages.SUCCESS)
        return None

    @admin.action(description=_("Cerrar los ciclos seleccionados"))
    def close_cycles(self, request, queryset):
        return self._cycle_action(
            request,
            queryset,
            services.close_cycle,
            "close_cycles",
            gettext("Cerrar ciclos"),
            gettext("Al cerrar un ciclo termina la recepción de información. ¿Cerrar estos ciclos?"),
            gettext("ciclo cerrado"),
        )

    @admin.action(description=_("Publicar los ciclos seleccionados"))
    def publish_cycles(self, request, queryset):
        return self._cycle_action(
            request,
            queryset,
            services.publish_cycle,
            "publish_cycles",
            gettext("Publicar ciclos"),
            gettext(
                "Un ciclo publicado queda en sólo lectura y sus calificaciones se hacen públicas "
                "(las evidencias confidenciales no). ¿Publicar estos ciclos?"
            ),
            gettext("ciclo publicado"),
        )


# --- assessments --------------------------------------------------------------------------


class ReviewerFilter(admin.SimpleListFilter):
    title = _("evaluador(a)")
    parameter_name = "reviewer"

    def lookups(self, request, model_admin):
        users = (
            get_user_model()
            .objects.filter(Q(groups__name=Role.AUDITOR) | Q(is_superuser=True))
            .distinct()
            .order_by("username")
        )
        return [("none", _("Sin asignar"))] + [(str(u.pk), str(u.get_full_name() or u.username)) for u in users]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(reviewer__isnull=True)
        if self.value():
            return queryset.filter(reviewer_id=self.value())
        return queryset


class EvidenceInline(AuditorInline, admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    formset = EvidenceInlineFormSet
    extra = 0
    fields = [
        ("kind", "fact_date", "period_badge"),
        "title",
        "description",
        ("file", "url"),
        ("source_reference", "confidential"),
        ("submitted_by", "created_at"),
    ]
    readonly_fields = ["period_badge", "submitted_by", "created_at"]
    verbose_name_plural = _("evidencias (las fechadas fuera del periodo se conservan pero no cuentan)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by", "assessment__cycle")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._editable(obj):
            return fields
        # Read-only rows: never the storage path, always the permission-checked download.
        return [("file_link", "url") if f == ("file", "url") else f for f in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "file_link"]

    @admin.display(description=_("archivo"))
    def file_link(self, obj):
        return _download_link(obj)

    def _editable(self, obj):
        return obj is not None and not obj.is_locked

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)

    @admin.display(description=_("periodo"))
    def period_badge(self, obj):
        if obj is None or not obj.pk or not obj.fact_date:
            return "—"
        if obj.in_period:
            return gettext("dentro del periodo")
        return format_html('<strong class="out-of-period">{}</strong>', gettext("fuera de periodo"))


@admin.register(Assessment)
class AssessmentAdmin(AuditorModelAdmin):
    resource_classes = resource_classes("AssessmentResource")
    form = AssessmentForm
    inlines = [EvidenceInline]
    change_form_template = "admin/obligations/assessment/change_form.html"
    list_display = [
        "obligation_code",
        "obligation_title",
        "agency",
        "cycle",
        "status",
        "workflow_state",
        "reviewer",
        "validator",
        "evidence_counts",
    ]
    list_display_links = ["obligation_code", "obligation_title"]
    list_select_related = ["cycle", "agency", "obligation", "reviewer", "validator"]
    list_filter = [
        "cycle",
        "agency",
        "obligation__component",
        "obligation__level",
        "status",
        "workflow_state",
        ReviewerFilter,
    ]
    search_fields = [
        "obligation__code",
        "obligation__title_es",
        "obligation__title_en",
        "=obligation__provisions__article",
    ]
    search_help_text = _("Busca por clave u título de la obligación, o por número de artículo exacto.")
    actions = ["submit_selected", "validate_selected", "return_selected"]
    readonly_fields = [
        "cycle",
        "agency",
        "obligation",
        "workflow_state",
        "reviewer",
        "submitted_at",
        "validator",
        "validated_at",
        "return_reason",
        "version",
    ]
    fieldsets = [
        (None, {"fields": [("cycle", "agency"), "obligation"]}),
        (_("Calificación"), {"fields": ["status", "rationale", "source_reference", "expected_version"]}),
        (
            _("Flujo de validación"),
            {
                "fields": [
                    ("workflow_state", "version"),
                    ("reviewer", "submitted_at"),
                    ("validator", "validated_at"),
                    "return_reason",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        in_period = Q(
            evidence__fact_date__gte=F("cycle__period_start"),
            evidence__fact_date__lte=F("cycle__period_end"),
        )
        return (
            Assessment.objects.visible_to(request.user)
            .select_related("cycle", "agency", "obligation", "reviewer", "validator")
            .annotate(n_evidence=Count("evidence"), n_in_period=Count("evidence", filter=in_period))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only page: the hidden lock field is not a model field and cannot be shown.
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "expected_version"]})
                for name, opts in fieldsets
            ]
        return fieldsets

    # permissions: ratings are created by opening a cycle and never deleted (audit trail)
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    # list columns
    @admin.display(description=_("clave"), ordering="obligation__code")
    def obligation_code(self, obj):
        return obj.obligation.code

    @admin.display(description=_("obligación"), ordering="obligation__title_es")
    def obligation_title(self, obj):
        title = obj.obligation.title
        return title if len(title) <= 90 else title[:87] + "…"

    @admin.display(description=_("evidencias (en periodo / total)"))
    def evidence_counts(self, obj):
        return f"{obj.n_in_period} / {obj.n_evidence}"

    # change page
    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            obligation = (
                Obligation.objects.prefetch_related("provisions__instrument", "indicators", "responsibilities__agency")
                .filter(pk=obj.obligation_id)
                .first()
            )
            extra_context.update(
                {
                    "obligation": obligation,
                    "assessment": obj,
                    "can_submit": obj.is_editable,
                    "can_validate": obj.workflow_state == WorkflowState.SUBMITTED
                    and obj.reviewer_id != request.user.pk
                    and not obj.cycle.is_published,
                    "can_return": obj.workflow_state != WorkflowState.DRAFT and not obj.cycle.is_published,
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # The rating is saved in save_related, after the evidence, through services.save_rating
        # (optimistic lock, rules checked against the stored evidence).
        pass

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        data = form.cleaned_data
        services.save_rating(
            form.instance,
            request.user,
            expected_version=data["expected_version"],
            status=data.get("status", ""),
            rationale=data.get("rationale", ""),
            source_reference=data.get("source_reference", ""),
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for evidence in instances:
            if evidence.pk is None:
                evidence.submitted_by = request.user
            evidence.save()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        if adminform is not None and getattr(adminform.form, "conflict", None) is not None:
            context["conflict"] = adminform.form.conflict
        return super().render_change_form(request, context, add, change, form_url, obj)

    # workflow from the change page
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/enviar/", wrap(self.submit_view), name="obligations_assessment_submit"),
            path("<path:object_id>/validar/", wrap(self.validate_view), name="obligations_assessment_validate"),
            path("<path:object_id>/devolver/", wrap(self.return_view), name="obligations_assessment_return"),
        ] + super().get_urls()

    def _get_or_404(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def _workflow_step(self, request, object_id, func, done):
        obj = self._get_or_404(request, object_id)
        try:
            func(obj, request.user)
        except ValidationError as exc:
            self.message_user(request, _error_text(exc), messages.ERROR)
        else:
            self.log_change(request, obj, done)
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:obligations_assessment_change", obj.pk)

    def submit_view(self, request, object_id):
        return require_POST(
            lambda r: self._workflow_step(r, object_id, services.submit, gettext("Enviada a validación."))
        )(request)

    def validate_view(self, request, object_id):
        return require_POST(lambda r: self._workflow_step(r, object_id, services.validate, gettext("Validada.")))(
            request
        )

    def return_view(self, request, object_id):
        obj = self._get_or_404(request, object_id)
        form = ReturnToDraftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.return_to_draft(obj, request.user, form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.log_change(request, obj, gettext("Devuelta a borrador."))
                self.message_user(request, gettext("Devuelta a borrador."), messages.SUCCESS)
                return redirect("admin:obligations_assessment_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Devolver a borrador"),
            "question": gettext("Indique por qué vuelve a borrador la evaluación:"),
            "objects": [obj],
            "form": form,
            "opts": self.model._meta,
            "single": True,
        }
        return TemplateResponse(request, "admin/obligations/confirm_action.html", context)

    # readable history (replaces the admin's LogEntry list for assessments)
    def history_view(self, request, object_id, extra_context=None):
        obj = self._get_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Historial de %(obj)s") % {"obj": obj},
            "object": obj,
            "opts": self.model._meta,
            "entries": history.assessment_timeline(obj),
        }
        return TemplateResponse(request, "admin/obligations/assessment/history.html", context)

    # bulk workflow actions with per-row results
    def _bulk(self, request, queryset, func, done_message):
        done = 0
        for obj in queryset.order_by("obligation__code", "agency__acronym"):
            try:
                func(obj)
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {_error_text(exc)}", messages.ERROR)
            else:
                done += 1
                self.log_change(request, obj, done_message)
                self.message_user(request, f"{obj}: {done_message}", messages.SUCCESS)
        self.message_user(
            request,
            gettext("%(done)d de %(total)d evaluaciones procesadas.") % {"done": done, "total": queryset.count()},
            messages.INFO,
        )

    @admin.action(description=_("Enviar a validación las seleccionadas"))
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, lambda a: services.submit(a, request.user), gettext("enviada a validación"))

    @admin.action(description=_("Validar las seleccionadas"))
    def validate_selected(self, request, queryset):
        self._bulk(request, queryset, lambda a: services.validate(a, request.user), gettext("validada"))

    @admin.action(description=_("Devolver a borrador las seleccionadas (con motivo)"))
    def return_selected(self, request, queryset):
        form = ReturnToDraftForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._bulk(
                request,
                queryset,
                lambda a: services.return_to_draft(a, request.user, reason),
                gettext("devuelta a borrador"),
            )
            return None
        return _confirm(
            self,
            request,
            queryset,
            "return_selected",
            gettext("Devolver a borrador"),
            gettext("Indique por qué vuelven a borrador estas evaluaciones:"),
            form=form,
        )


# --- evidence -------------------------------------------------------------------------------


@admin.register(Evidence)
class EvidenceAdmin(AuditorModelAdmin):
    form = EvidenceForm
    list_display = [
        "title",
        "assessment_link",
        "kind",
        "fact_date",
        "period_badge",
        "confidential",
        "short_sha256",
        "submitted_by",
        "download",
    ]
    list_select_related = ["assessment__cycle", "assessment__agency", "assessment__obligation", "submitted_by"]
    list_filter = ["kind", "confidential", "provided_by_agency", "assessment__cycle", "assessment__agency"]
    search_fields = ["title", "description", "sha256", "source_reference", "assessment__obligation__code"]
    actions = ["mark_publishable"]
    readonly_fields = [
        "assessment_link",
        "period_badge",
        "original_filename",
        "content_type",
        "size",
        "sha256",
        "submitted_by",
        "provided_by_agency",
        "created_at",
    ]
    fields = [
        "assessment_link",
        ("kind", "fact_date", "period_badge"),
        "title",
        "description",
        "file",
        ("original_filename", "content_type", "size"),
        "sha256",
        "url",
        "source_reference",
        "confidential",
        ("submitted_by", "provided_by_agency", "created_at"),
    ]

    def get_queryset(self, request):
        return Evidence.objects.visible_to(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletion one by one, through Evidence.delete()
        return actions

    def has_add_permission(self, request):
        return False  # evidence is added from its assessment's page

    def has_change_permission(self, request, obj=None):
        # A locked item stays editable only for its `confidential` flag (the form refuses the rest).
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.assessment.is_locked)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "file_link"]
        if obj is not None and obj.assessment.is_locked:
            readonly += ["kind", "fact_date", "title", "description", "url", "source_reference"]
        return readonly

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and (obj.assessment.is_locked or not self.has_change_permission(request, obj)):
            return ["file_link" if f == "file" else f for f in fields]
        return fields

    @admin.display(description=_("archivo"))
    def file_link(self, obj):
        return _download_link(obj)

    def delete_model(self, request, obj):
        try:
            obj.delete()
        except LockedError as exc:
            raise PermissionDenied(_error_text(exc)) from exc

    @admin.display(description=_("evaluación"), ordering="assessment")
    def assessment_link(self, obj):
        url = reverse("admin:obligations_assessment_change", args=[obj.assessment_id])
        return format_html('<a href="{}">{}</a>', url, obj.assessment)

    @admin.display(description=_("periodo"))
    def period_badge(self, obj):
        if obj.in_period:
            return gettext("dentro del periodo")
        return format_html('<strong class="out-of-period">{}</strong>', gettext("fuera de periodo"))

    @admin.display(description=_("SHA-256"))
    def short_sha256(self, obj):
        return format_html('<code title="{}">{}…</code>', obj.sha256, obj.sha256[:12]) if obj.sha256 else "—"

    @admin.display(description=_("archivo"))
    def download(self, obj):
        if not obj.file:
            return (
                format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, gettext("enlace"))
                if obj.url
                else "—"
            )
        return format_html(
            '<a href="{}">{}</a>', reverse("obligations:evidence_download", args=[obj.pk]), gettext("descargar")
        )

    @admin.action(description=_("Marcar como publicable (ya testada)"))
    def mark_publishable(self, request, queryset):
        if request.POST.get("post") != "yes":
            return _confirm(
                self,
                request,
                queryset,
                "mark_publishable",
                gettext("Marcar evidencias como publicables"),
                gettext(
                    "Confirme que cada documento fue testado (sin datos que identifiquen a víctimas). "
                    "Su archivo y descripción podrán mostrarse al público cuando el ciclo se publique."
                ),
            )
        for evidence in queryset:
            services.mark_publishable(evidence, request.user)
            self.log_change(request, evidence, gettext("marcada como publicable"))
        self.message_user(
            request, gettext("%(n)d evidencias marcadas como publicables.") % {"n": queryset.count()}, messages.SUCCESS
        )
        return None

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Historial de %(obj)s") % {"obj": obj},
            "object": obj,
            "opts": self.model._meta,
            "entries": history.evidence_timeline(obj),
        }
        return TemplateResponse(request, "admin/obligations/assessment/history.html", context)
