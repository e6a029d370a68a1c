"""The evidence list in the admin: filters, downloads, the readable history and the
"publishable" marking. Evidence is added from its rating's page; once the rating is validated or
its cycle published, an item only changes its `confidential` flag (obligations.workflow)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.admin import PolicyAdmin, person_column
from obligations import history, services, workflow
from obligations.admin.assessments import period_badge_html
from obligations.forms import EvidenceForm, evidence_file_html
from obligations.models import Evidence

LOCKED_READONLY = ["kind", "fact_date", "title", "description", "url", "source_reference"]


@admin.register(Evidence)
class EvidenceAdmin(PolicyAdmin):
    feminine = True  # Spanish messages say "la …"
    form = EvidenceForm
    list_display = [
        "title",
        "assessment_link",
        "kind",
        "fact_date",
        "period_badge",
        "confidential",
        "short_sha256",
        "submitted_by_name",
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
        "submitted_by_name",
        "provided_by_agency",
        "created_at",
        "file_link",
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
        ("submitted_by_name", "provided_by_agency", "created_at"),
    ]
    history_fields = history.EVIDENCE_FIELDS
    submitted_by_name = person_column("submitted_by", _("aportada por"))

    def has_add_permission(self, request):
        return False  # evidence is added from its assessment's page

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and workflow.evidence_refusal(obj.assessment):
            readonly += LOCKED_READONLY
        return readonly

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and (
            workflow.evidence_refusal(obj.assessment) or not self.has_change_permission(request, obj)
        ):
            return ["file_link" if f == "file" else f for f in fields]
        return fields

    def message_refusal(self, request, obj):
        refusal = workflow.evidence_refusal(obj.assessment)
        if refusal and request.method == "GET":
            self.message_user(request, refusal, messages.WARNING)

    @admin.display(description=_("archivo"))
    def file_link(self, obj):
        return evidence_file_html(obj)

    @admin.display(description=_("evaluación"), ordering="assessment")
    def assessment_link(self, obj):
        url = reverse("admin:obligations_assessment_change", args=[obj.assessment_id])
        return format_html('<a href="{}">{}</a>', url, obj.assessment)

    @admin.display(description=_("periodo"))
    def period_badge(self, obj):
        return period_badge_html(obj)

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
            '<a href="{}">{}</a>', reverse("obligations:evidence_download", args=[obj.pk]), obj.download_name
        )

    @admin.action(description=_("Marcar como publicable (ya testada)"), permissions=["change"])
    def mark_publishable(self, request, queryset):
        if request.POST.get("post") != "yes":
            return self.confirm(
                request,
                queryset,
                "mark_publishable",
                gettext("Marcar evidencias como publicables"),
                gettext(
                    "Confirme que cada documento fue testado (sin datos que identifiquen a víctimas). "
                    "Su archivo y descripción podrán mostrarse al público cuando el ciclo se publique."
                ),
            )
        count = 0
        for evidence in queryset:
            services.mark_publishable(evidence, request.user)
            self.log_change(request, evidence, gettext("marcada como publicable"))
            count += 1
        self.message_user(
            request, gettext("%(n)d evidencias marcadas como publicables.") % {"n": count}, messages.SUCCESS
        )
        return None
