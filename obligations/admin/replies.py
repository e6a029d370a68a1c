"""The right of reply in the admin: auditors answer each agency reply once (the rating is kept or
changed, with a reason) through obligations.replies.answer_reply. Replies are filed by the
agencies on the site and never deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compliance.admin import PolicyAdmin, StoredDocumentsInline
from obligations.forms import ReplyAnswerAdminForm
from obligations.models import Reply, ReplyDocument
from obligations.replies import answer_reply


class ReplyDocumentInline(StoredDocumentsInline):
    model = ReplyDocument


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
class ReplyAdmin(PolicyAdmin):
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
    history_fields = ("text", "outcome", "response", "new_status", "answered_by", "answered_at")

    def has_add_permission(self, request, *args):
        return False  # replies are filed by the agencies on the site

    def save_model(self, request, obj, form, change):
        # The form already checked the rules (reply_answer_errors); the service records it.
        answer_reply(
            Reply.objects.get(pk=obj.pk),
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            response=form.cleaned_data["response"],
            new_status=form.cleaned_data.get("new_status") or "",
        )
