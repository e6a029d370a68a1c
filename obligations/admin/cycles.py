"""Review cycles in the admin: open one (a form and a preview of what it creates), close and
publish (actions through obligations.services). A published cycle is read-only; cycles are never
deleted."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from compliance.admin import PolicyAdmin, error_text
from obligations import law_basis, services
from obligations.choices import WorkflowState
from obligations.forms import OpenCycleForm
from obligations.models import Obligation, ReviewCycle


@admin.register(ReviewCycle)
class ReviewCycleAdmin(PolicyAdmin):
    list_display = [
        "name_es",
        "slug",
        "period_start",
        "period_end",
        "state",
        "methodology_version",
        "n_assessments",
        "n_validated",
        "freezing",
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
        "freezing",
    ]
    readonly_fields = [
        "slug",
        "period_start",
        "period_end",
        "methodology_version",
        "state",
        "opened_by",
        "closed_at",
        "published_at",
        "freezing",
    ]
    history_fields = ("name_es", "name_en", "state", "closed_at", "published_at")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_assessments_=Count("assessments"),
                n_validated_=Count("assessments", filter=Q(assessments__workflow_state=WorkflowState.VALIDATED)),
            )
            .select_related("freeze")
            .order_by("-period_end", "slug")
        )

    @admin.display(description=_("cédulas congeladas"))
    def freezing(self, obj):
        """The freezing of a published cycle's scorecards (the reports app's task started by the
        publication; `obj.freeze` is its CycleFreeze): "congelando 40 %", "congelada", "falló: …"."""
        freeze = getattr(obj, "freeze", None)
        return freeze.label() if freeze is not None else "—"

    @admin.display(description=_("evaluaciones"), ordering="n_assessments_")
    def n_assessments(self, obj):
        return obj.n_assessments_

    @admin.display(description=_("validadas"), ordering="n_validated_")
    def n_validated(self, obj):
        return obj.n_validated_

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
                    self._flag_changed_bases(request, cycle)
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

    def _flag_changed_bases(self, request, cycle):
        """Obligations whose legal basis a reform or repeal changed since the previous cycle are to
        be reviewed before rating (obligations.law_basis.review_window)."""
        window = law_basis.review_window(cycle)
        if window is None:
            return
        changed = Obligation.objects.basis_changed_during(*window).count()
        if changed:
            url = reverse("admin:obligations_obligation_changelist") + f"?fundamento_reformado={cycle.slug}"
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    ngettext(
                        "%(n)d obligación tiene un fundamento legal reformado o derogado desde el ciclo anterior.",
                        "%(n)d obligaciones tienen un fundamento legal reformado o derogado desde el ciclo anterior.",
                        changed,
                    )
                    % {"n": changed},
                    url,
                    gettext("Revíselas antes de calificar."),
                ),
                messages.WARNING,
            )

    @staticmethod
    def _latest_methodology():
        latest = ReviewCycle.objects.order_by("-period_end").first()
        return latest.methodology_version if latest else "cndh-2019-v1"

    def _cycle_action(self, request, queryset, func, action, title, question, done):
        if request.POST.get("post") != "yes":
            return self.confirm(request, queryset, action, title, question)
        for cycle in queryset:
            try:
                func(cycle, request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cycle}: {error_text(exc)}", messages.ERROR)
            else:
                self.log_change(request, cycle, done)
                self.message_user(request, f"{cycle}: {done}", messages.SUCCESS)
        return None

    @admin.action(description=_("Cerrar los ciclos seleccionados"), permissions=["change"])
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

    @admin.action(description=_("Publicar los ciclos seleccionados"), permissions=["change"])
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
