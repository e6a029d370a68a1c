"""Information requests in the admin: the auditors' side.

Auditors create a request (draft), address it to agencies, attach files, then send it with the
"Enviar" action; per agency they see answered / partially answered / overdue / pending, the
answers, and the obligations for which the `no_information` status is suggested. A sent request is
an official letter: read-only everywhere (InformationRequest.change_refusal). Submitted answers are
read-only; drafts stay with the agency.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from compliance.admin import PolicyAdmin, PolicyInline, StoredDocumentsInline, error_text, person_column
from information_requests.choices import RequestState
from information_requests.forms import InformationRequestAdminForm
from information_requests.models import (
    Answer,
    AnswerDocument,
    InformationRequest,
    ReminderSent,
    RequestAddressee,
    RequestAttachment,
)
from information_requests.services import locked_ratings, no_information_suggestions, request_progress, send_request
from obligations.models import Assessment


class AttachmentInline(PolicyInline, admin.TabularInline):
    model = RequestAttachment
    fields = ["file", "title", "original_filename", "size", "sha256"]
    readonly_fields = ["original_filename", "size", "sha256", "file_link"]
    extra = 0

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or self.has_change_permission(request, obj):  # a new request, or a draft
            return fields
        # Read-only rows (a sent request): the original name linking to the checked download,
        # never the storage path.
        return ["file_link" if f == "file" else f for f in fields if f != "original_filename"]

    @admin.display(description=_("archivo"))
    def file_link(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("information_requests:attachment", args=[obj.pk]), obj.download_name
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class CheckedForm(formset.form):
            def clean_file(self):
                uploaded = self.cleaned_data.get("file")
                if uploaded and hasattr(uploaded, "content_type"):  # a new upload: checked and recorded once
                    self.instance.attach(uploaded)
                    self.instance.uploaded_by = request.user
                return uploaded

        formset.form = CheckedForm
        return formset


class AddresseeInline(PolicyInline, admin.TabularInline):
    model = RequestAddressee
    fields = ["agency", "progress_display", "notified_at"]
    readonly_fields = ["progress_display", "notified_at"]
    autocomplete_fields = ["agency"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress().select_related("agency", "request")

    @admin.display(description=_("Avance"))
    def progress_display(self, obj):
        if not obj.pk:
            return "—"
        submitted, expected = obj.progress()
        return format_html("{} ({} / {})", obj.get_status_display(), submitted, expected)


@admin.register(InformationRequest)
class InformationRequestAdmin(PolicyAdmin):
    feminine = True  # Spanish messages say "la …"
    form = InformationRequestAdminForm
    list_display = ["__str__", "cycle", "due_date", "state", "agencies_progress"]
    list_filter = ["cycle", "state"]
    search_fields = ["title", "reference", "questions"]
    filter_horizontal = ["obligations", "indicators"]
    inlines = [AddresseeInline, AttachmentInline]
    actions = ["send_selected"]
    readonly_fields = [
        "state",
        "sent_by_name",
        "sent_at",
        "created_by_name",
        "progress_table",
        "no_information_table",
        "locked_ratings_warning",
    ]
    fieldsets = [
        (None, {"fields": ["cycle", "reference", "title", "questions"]}),
        (_("Alcance"), {"fields": ["obligations", "indicators"]}),
        (_("Plazo"), {"fields": ["term_business_days", "due_date"]}),
        (
            _("Envío y avance"),
            {
                "fields": [
                    "state",
                    "sent_by_name",
                    "sent_at",
                    "created_by_name",
                    "progress_table",
                    "no_information_table",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("cycle")
            .prefetch_related("addressees__agency", "addressees__answers", "obligations")
        )

    history_fields = ("reference", "title", "questions", "due_date", "state", "sent_by", "sent_at")
    sent_by_name = person_column("sent_by", _("enviada por"))
    created_by_name = person_column("created_by", _("creada por"))

    def has_delete_permission(self, request, obj=None):
        return False  # requests are official letters: kept, like their history

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "term_business_days"]})
                for name, opts in fieldsets
            ]
        if obj is not None and obj.state == RequestState.DRAFT and locked_ratings(obj):
            # Said before sending: the agencies could not answer about these ratings.
            fieldsets = [(_("Aviso antes de enviar"), {"fields": ["locked_ratings_warning"]}), *fieldsets]
        return fieldsets

    @admin.display(description=_("Calificaciones ya validadas"))
    def locked_ratings_warning(self, obj):
        ratings = locked_ratings(obj)
        if not ratings:
            return "—"
        return format_html(
            '<div class="warning-note" role="alert"><p>{}</p><ul>{}</ul></div>',
            _(
                "Estas calificaciones ya están validadas: la dependencia no podrá responder sobre ellas "
                "(solo mediante el derecho de réplica). Quite la obligación o la dependencia de la solicitud, "
                "o devuelva la calificación a borrador, antes de enviarla."
            ),
            format_html_join(
                "",
                '<li><a href="{}">{} · {}</a></li>',
                (
                    (reverse("admin:obligations_assessment_change", args=[r.pk]), r.agency.acronym, r.obligation.code)
                    for r in ratings
                ),
            ),
        )

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

    @admin.action(description=_("Enviar las solicitudes seleccionadas a las dependencias"), permissions=["view"])
    def send_selected(self, request, queryset):
        for info_request in queryset.filter(state=RequestState.DRAFT):
            try:
                notified = send_request(info_request, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = error_text(exc)
                if getattr(exc, "code", None) != "locked_ratings":  # that refusal names the request
                    text = f"{info_request}: {text}"
                self.message_user(request, text, messages.ERROR)
                continue
            self.message_user(
                request,
                _("«%(request)s» enviada; se notificó por correo a %(n)d dependencias.")
                % {"request": info_request, "n": notified},
                messages.SUCCESS,
            )


class AnswerDocumentInline(StoredDocumentsInline):
    model = AnswerDocument
    fields = [*StoredDocumentsInline.fields, "evidence"]


@admin.register(Answer)
class AnswerAdmin(PolicyAdmin):
    """Submitted answers, read-only (drafts stay with the agency)."""

    feminine = True  # Spanish messages say "la …"
    list_display = ["addressee", "obligation", "submitted_by_name", "submitted_at", "assessment"]
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
        "submitted_by_name",
        "submitted_at",
    ]
    exclude = ["updated_by", "submitted_by"]  # shown by full name (submitted_by_name)
    history_fields = ("text", "fact_date", "state", "submitted_by", "submitted_at")
    submitted_by_name = person_column("submitted_by", _("enviada por"))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # submitted answers are the agency's words: read-only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(PolicyAdmin):
    list_display = ["addressee", "stage", "sent_at", "recipients"]
    list_filter = ["stage"]
    list_select_related = ["addressee__agency", "addressee__request"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
