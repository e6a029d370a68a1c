"""Ratings in the admin: the rating form with its evidence inline, the workflow buttons, bulk
workflow actions and the readable history.

Workflow buttons come from obligations.workflow.options(): "Guardar y enviar a validación" is a
button of the rating form itself, so what the auditor typed (status, rationale, evidence) is
saved first — or, when the form is invalid, kept on the page with the real reason — and only then
is the transition applied. Validation and return to draft act on read-only pages.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from agencies.choices import Role
from compliance.admin import (
    AgencyFilter,
    PolicyImportExportAdmin,
    PolicyInline,
    error_text,
    person_column,
    person_name,
)
from obligations import history, resources, services, workflow
from obligations.forms import AssessmentForm, EvidenceForm, EvidenceInlineFormSet, ReturnToDraftForm, evidence_file_html
from obligations.models import Assessment, Evidence, Obligation

WORKFLOW_FIELD = "_workflow"


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
        return [("none", _("Sin asignar"))] + [(str(u.pk), person_name(u)) for u in users]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(reviewer__isnull=True)
        if value and value.isdigit():
            return queryset.filter(reviewer_id=int(value))
        if value:
            return queryset.none()  # not a choice this filter offers
        return queryset


def period_badge_html(evidence) -> str:
    from django.utils.html import format_html

    if evidence is None or not evidence.pk or not evidence.fact_date:
        return "—"
    if evidence.in_period:
        return gettext("dentro del periodo")
    return format_html('<strong class="out-of-period">{}</strong>', gettext("fuera de periodo"))


class EvidenceInline(PolicyInline, admin.StackedInline):
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
        ("submitted_by_name", "created_at"),
    ]
    readonly_fields = ["period_badge", "submitted_by_name", "created_at", "file_link"]
    verbose_name_plural = _("evidencias (las fechadas fuera del periodo se conservan pero no cuentan)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by", "assessment__cycle")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and self.has_change_permission(request, obj):
            return fields
        # Read-only rows: never the storage path, always the permission-checked download.
        return [("file_link", "url") if f == ("file", "url") else f for f in fields]

    submitted_by_name = person_column("submitted_by", _("aportada por"))

    @admin.display(description=_("archivo"))
    def file_link(self, obj):
        return evidence_file_html(obj)

    @admin.display(description=_("periodo"))
    def period_badge(self, obj):
        return period_badge_html(obj)


@admin.register(Assessment)
class AssessmentAdmin(PolicyImportExportAdmin):
    feminine = True  # Spanish messages say "la …"
    resource_classes = [resources.BulkAssessmentResource]  # validated per row, written in batches
    form = AssessmentForm
    inlines = [EvidenceInline]
    change_form_template = "admin/obligations/assessment/change_form.html"
    # Readable at 1366 px: the cycle is a filter (and the title of a filtered list), the
    # validator is on the rating's page; keys never wrap (admin.css), titles are shortened.
    list_display = [
        "obligation_code",
        "obligation_title",
        "agency",
        "status",
        "workflow_state",
        "reviewer_name",
        "evidence_counts",
    ]
    list_display_links = ["obligation_code", "obligation_title"]
    list_select_related = ["cycle", "agency", "obligation", "reviewer", "validator"]
    list_filter = [
        "cycle",
        AgencyFilter,
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
        "reviewer_name",
        "submitted_at",
        "validator_name",
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
                    ("reviewer_name", "submitted_at"),
                    ("validator_name", "validated_at"),
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
            super()
            .get_queryset(request)
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

    # ratings are created by opening a cycle and never deleted (audit trail)
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # list columns
    @admin.display(description=_("clave"), ordering="obligation__code")
    def obligation_code(self, obj):
        return obj.obligation.code

    @admin.display(description=_("obligación"), ordering="obligation__title_es")
    def obligation_title(self, obj):
        title = obj.obligation.title
        return title if len(title) <= 70 else title[:67] + "…"

    reviewer_name = person_column("reviewer", _("evaluador(a)"))
    validator_name = person_column("validator", _("validador(a)"))

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
                    "workflow_options": workflow.options(obj, request.user),
                    "workflow_field": WORKFLOW_FIELD,
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
            deleted._history_user = request.user
            deleted.delete()
        for evidence in instances:
            if evidence.pk is None:
                evidence.submitted_by = request.user
            evidence._history_user = request.user
            evidence.save()

    def response_change(self, request, obj):
        """After the rating form was saved: apply the workflow button that was pressed, if any."""
        name = request.POST.get(WORKFLOW_FIELD)
        if name in workflow.TRANSITIONS and not workflow.TRANSITIONS[name].needs_reason:
            try:
                services.transition(obj, name, request.user)
            except ValidationError as exc:
                self.message_user(
                    request,
                    gettext("Sus cambios se guardaron, pero la evaluación no pudo avanzar: %(reason)s")
                    % {"reason": error_text(exc)},
                    messages.ERROR,
                )
            else:
                label = str(workflow.TRANSITIONS[name].label)
                self.log_change(request, obj, label)
                self.message_user(
                    request, gettext("Cambios guardados. %(action)s: hecho.") % {"action": label}, messages.SUCCESS
                )
            return redirect("admin:obligations_assessment_change", obj.pk)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        if adminform is not None and getattr(adminform.form, "conflict", None) is not None:
            context["conflict"] = adminform.form.conflict
        return super().render_change_form(request, context, add, change, form_url, obj)

    # workflow on read-only pages (nothing typed to lose)
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
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

    def validate_view(self, request, object_id):
        @require_POST
        def view(request):
            obj = self._get_or_404(request, object_id)
            try:
                services.validate(obj, request.user)
            except ValidationError as exc:
                self.message_user(request, error_text(exc), messages.ERROR)
            else:
                self.log_change(request, obj, gettext("Validada."))
                self.message_user(request, gettext("Validada."), messages.SUCCESS)
            return redirect("admin:obligations_assessment_change", obj.pk)

        return view(request)

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
        return self.confirm(
            request,
            [obj],
            "return",
            gettext("Devolver a borrador"),
            gettext("Indique por qué vuelve a borrador la evaluación:"),
            form=form,
            single=True,
        )

    # bulk workflow actions with per-row results
    def _bulk(self, request, queryset, name, done_message, reason=""):
        done = 0
        total = 0
        for obj in queryset.order_by("obligation__code", "agency__acronym"):
            total += 1
            try:
                services.transition(obj, name, request.user, reason=reason)
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {error_text(exc)}", messages.ERROR)
            else:
                done += 1
                self.log_change(request, obj, done_message)
                self.message_user(request, f"{obj}: {done_message}", messages.SUCCESS)
        self.message_user(
            request,
            gettext("%(done)d de %(total)d evaluaciones procesadas.") % {"done": done, "total": total},
            messages.INFO,
        )

    @admin.action(description=_("Enviar a validación las seleccionadas"), permissions=["view"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.SUBMIT, gettext("enviada a validación"))

    @admin.action(description=_("Validar las seleccionadas"), permissions=["view"])
    def validate_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.VALIDATE, gettext("validada"))

    @admin.action(description=_("Devolver a borrador las seleccionadas (con motivo)"), permissions=["view"])
    def return_selected(self, request, queryset):
        form = ReturnToDraftForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_bound and form.is_valid():
            self._bulk(request, queryset, workflow.RETURN, gettext("devuelta a borrador"), form.cleaned_data["reason"])
            return None
        return self.confirm(
            request,
            queryset,
            "return_selected",
            gettext("Devolver a borrador"),
            gettext("Indique por qué vuelven a borrador estas evaluaciones:"),
            form=form,
        )

    # the readable history page (PolicyAdmin.history_view): the rating and its evidence
    history_fields = history.ASSESSMENT_FIELDS

    def history_entries(self, obj):
        return history.assessment_timeline(obj)
