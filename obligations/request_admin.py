"""Admin of information requests and replies: the auditors' side.

Loaded from ObligationsConfig.ready(). Auditors create a request (draft), address it to
agencies, attach files, then send it with the "Enviar" action; per agency they see answered /
partially answered / overdue / pending, the answers, and the obligations for which the
`no_information` status is suggested. Replies are answered here (kept or changed, with a reason).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agencies import access
from lib.uploads import validate_upload
from obligations.models import (
    Answer,
    AnswerDocument,
    Assessment,
    InformationRequest,
    ReminderSent,
    Reply,
    ReplyDocument,
    RequestAddressee,
    RequestAttachment,
)
from obligations.request_choices import RequestState
from obligations.request_forms import InformationRequestAdminForm, ReplyAnswerAdminForm
from obligations.request_services import answer_reply, no_information_suggestions, request_progress, send_request


class AuditorOnlyMixin:
    """Requests and replies are auditors' work; querysets go through `visible_to`."""

    def has_module_permission(self, request):
        return access.is_auditor(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_auditor(request.user)

    def has_add_permission(self, request, *args):
        return access.is_auditor(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_auditor(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class AttachmentInline(admin.TabularInline):
    model = RequestAttachment
    fields = ["file", "title", "original_filename", "size", "sha256"]
    readonly_fields = ["original_filename", "size", "sha256"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return access.is_auditor(request.user) and (obj is None or obj.state == RequestState.DRAFT)

    def has_change_permission(self, request, obj=None):
        return access.is_auditor(request.user) and (obj is None or obj.state == RequestState.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return access.is_auditor(request.user) and (obj is None or obj.state == RequestState.DRAFT)

    def has_view_permission(self, request, obj=None):
        return access.is_auditor(request.user)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class CheckedForm(formset.form):
            def clean_file(self):
                uploaded = self.cleaned_data.get("file")
                if uploaded and hasattr(uploaded, "content_type"):  # a new upload
                    info = validate_upload(uploaded)
                    self.instance.original_filename = info.original_name
                    self.instance.sha256 = info.sha256
                    self.instance.size = info.size
                    self.instance.uploaded_by = request.user
                return uploaded

        formset.form = CheckedForm
        return formset


class AddresseeInline(admin.TabularInline):
    model = RequestAddressee
    fields = ["agency", "progress_display", "notified_at"]
    readonly_fields = ["progress_display", "notified_at"]
    autocomplete_fields = []
    extra = 0

    def has_add_permission(self, request, obj=None):
        return access.is_auditor(request.user) and (obj is None or obj.state == RequestState.DRAFT)

    def has_change_permission(self, request, obj=None):
        return access.is_auditor(request.user) and (obj is None or obj.state == RequestState.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return access.is_auditor(request.user) and (obj is None or obj.state == RequestState.DRAFT)

    def has_view_permission(self, request, obj=None):
        return access.is_auditor(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress().select_related("agency", "request")

    @admin.display(description=_("Avance"))
    def progress_display(self, obj):
        if not obj.pk:
            return "—"
        submitted, expected = obj.progress()
        return format_html("{} ({} / {})", obj.get_status_display(), submitted, expected)


@admin.register(InformationRequest)
class InformationRequestAdmin(AuditorOnlyMixin, SimpleHistoryAdmin):
    form = InformationRequestAdminForm
    list_display = ["__str__", "cycle", "due_date", "state", "agencies_progress"]
    list_filter = ["cycle", "state"]
    search_fields = ["title", "reference", "questions"]
    filter_horizontal = ["obligations", "indicators"]
    inlines = [AddresseeInline, AttachmentInline]
    actions = ["send_selected"]
    readonly_fields = ["state", "sent_by", "sent_at", "created_by", "progress_table", "no_information_table"]
    fieldsets = [
        (None, {"fields": ["cycle", "reference", "title", "questions"]}),
        (_("Alcance"), {"fields": ["obligations", "indicators"]}),
        (_("Plazo"), {"fields": ["term_business_days", "due_date"]}),
        (
            _("Envío y avance"),
            {"fields": ["state", "sent_by", "sent_at", "created_by", "progress_table", "no_information_table"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("cycle")
            .prefetch_related("addressees__agency", "addressees__answers", "obligations")
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state == RequestState.SENT:
            fields += ["cycle", "reference", "title", "questions", "obligations", "indicators", "due_date"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.state == RequestState.SENT:
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "term_business_days"]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Avance por dependencia"))
    def agencies_progress(self, obj):
        """Uses the prefetched addressees and answers (no query per row)."""
        today = timezone.localdate()
        expected = len(obj.obligations.all())
        parts = []
        for addressee in obj.addressees.all():
            submitted = sum(1 for a in addressee.answers.all() if a.is_submitted)
            addressee.submitted_count, addressee.expected_count = submitted, expected
            parts.append((addressee.agency.acronym, addressee.get_status_display(today), submitted, expected))
        return format_html_join(", ", "{}: {} ({}/{})", parts) or "—"

    @admin.display(description=_("Respuestas por dependencia"))
    def progress_table(self, obj):
        if not obj.pk:
            return "—"
        rows = request_progress(obj)
        if not rows:
            return "—"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Dependencia"),
            _("Estado"),
            _("Respondidas"),
            format_html_join(
                "",
                "<tr data-agency='{}'><td>{}</td><td>{}</td><td>{} / {}</td></tr>",
                ((r.agency.acronym, r.agency.acronym, r.status_label, r.submitted, r.expected) for r in rows),
            ),
        )

    @admin.display(description=_("Sugerencia: «sin información»"))
    def no_information_table(self, obj):
        """Overdue, unanswered items of this request: the `no_information` status is suggested
        for their ratings (CNDH 2019 ¶23). The auditor decides, in the rating's own page."""
        if not obj.pk or not obj.is_overdue(timezone.localdate()):
            return "—"
        suggested = no_information_suggestions(obj.cycle)
        pairs = [
            (addressee.agency, obligation)
            for addressee in obj.addressees.all()
            for obligation in obj.obligations.all()
            if (addressee.agency_id, obligation.pk) in suggested
        ]
        if not pairs:
            return "—"
        ratings = {
            (a.agency_id, a.obligation_id): a.pk
            for a in Assessment.objects.filter(cycle=obj.cycle, agency__in=[p[0] for p in pairs])
        }

        def link(agency, obligation):
            pk = ratings.get((agency.pk, obligation.pk))
            label = f"{agency.acronym} · {obligation.code}"
            if pk is None:
                return format_html("<li>{}</li>", label)
            return format_html(
                '<li><a href="{}">{}</a></li>', reverse("admin:obligations_assessment_change", args=[pk]), label
            )

        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((link(a, o),) for a, o in pairs)))

    @admin.action(description=_("Enviar las solicitudes seleccionadas a las dependencias"))
    def send_selected(self, request, queryset):
        for info_request in queryset.filter(state=RequestState.DRAFT):
            try:
                notified = send_request(info_request, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, f"{info_request}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR
                )
                continue
            self.message_user(
                request,
                _("«%(request)s» enviada; se notificó por correo a %(n)d dependencias.")
                % {"request": info_request, "n": notified},
                messages.SUCCESS,
            )


class AnswerDocumentInline(admin.TabularInline):
    model = AnswerDocument
    fields = ["title", "original_filename", "size", "sha256", "evidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.is_auditor(request.user)


@admin.register(Answer)
class AnswerAdmin(AuditorOnlyMixin, SimpleHistoryAdmin):
    """Submitted answers, read-only (drafts stay with the agency)."""

    list_display = ["addressee", "obligation", "submitted_by", "submitted_at", "assessment"]
    list_filter = ["addressee__request__cycle", "addressee__agency"]
    list_select_related = ["addressee__agency", "addressee__request", "obligation", "submitted_by", "assessment"]
    search_fields = ["text", "obligation__code", "addressee__agency__acronym"]
    inlines = [AnswerDocumentInline]
    readonly_fields = [
        "addressee",
        "obligation",
        "text",
        "fact_date",
        "state",
        "assessment",
        "evidence",
        "submitted_by",
        "submitted_at",
    ]
    exclude = ["updated_by"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReplyDocumentInline(admin.TabularInline):
    model = ReplyDocument
    fields = ["title", "original_filename", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.is_auditor(request.user)


class AnsweredFilter(admin.SimpleListFilter):
    title = _("respuesta")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("Sin responder")), ("yes", _("Respondidas"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        return queryset


@admin.register(Reply)
class ReplyAdmin(AuditorOnlyMixin, SimpleHistoryAdmin):
    """The right of reply: auditors answer each reply once (kept or changed, with a reason)."""

    form = ReplyAnswerAdminForm
    list_display = ["assessment", "status_at_filing", "filed_by", "filed_at", "outcome", "answered_at"]
    list_filter = [AnsweredFilter, "assessment__cycle", "assessment__agency"]
    list_select_related = ["assessment__cycle", "assessment__agency", "assessment__obligation", "filed_by"]
    inlines = [ReplyDocumentInline]
    readonly_fields = ["assessment", "text", "status_at_filing", "filed_by", "filed_at", "answered_by", "answered_at"]
    fieldsets = [
        (
            _("Réplica de la dependencia"),
            {"fields": ["assessment", "status_at_filing", "text", "filed_by", "filed_at"]},
        ),
        (
            _("Respuesta del equipo auditor"),
            {"fields": ["outcome", "new_status", "response", "answered_by", "answered_at"]},
        ),
    ]

    def has_add_permission(self, request, *args):
        return False  # replies are filed by the agencies on the site

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.is_answered or not obj.is_open):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The form already checked the rules (reply_answer_errors); the service records it.
        answer_reply(
            Reply.objects.get(pk=obj.pk),
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            response=form.cleaned_data["response"],
            new_status=form.cleaned_data.get("new_status") or "",
        )


@admin.register(ReminderSent)
class ReminderSentAdmin(AuditorOnlyMixin, admin.ModelAdmin):
    list_display = ["addressee", "stage", "sent_at", "recipients"]
    list_filter = ["stage"]
    list_select_related = ["addressee__agency", "addressee__request"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if access.is_auditor(request.user) else queryset.none()

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
