"""The admin plumbing every app's admin uses: one mixin for access and read-only rules, a
readable history that never writes, and the confirmation page of actions.

Access (agencies.policy):
- model level: the Django permissions the role groups hold (agencies.apps grants auditors every
  permission of the domain apps); a staff flag alone opens nothing;
- rows: `policy.scope(user, queryset)` for every model the policy governs;
- object level: the record's own refusal (the workflow): a model may define `change_refusal()`
  and `delete_refusal()` (a reason, or None). A refused change makes the page read-only, and
  every route that writes — change pages, inlines, deletes one by one or in bulk, imports — asks
  the same refusal. History pages only read (no revert: simple_history's revert form saves
  without asking anyone, so it is never mounted).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin

from agencies import policy
from obligations.history import timeline


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def refusal_of(obj, kind: str = "change") -> str | None:
    """The record's own reason to refuse a change (or a deletion), None when allowed."""
    if obj is None:
        return None
    if kind == "delete":
        method = getattr(obj, "delete_refusal", None)
        if method is not None:
            return method()
    method = getattr(obj, "change_refusal", None)
    return method() if method is not None else None


class PolicyMixin:
    """Shared by model admins and inlines (see the module docstring)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return policy.scope(request.user, queryset) if policy.governs(queryset.model) else queryset


class PolicyAdmin(PolicyMixin, admin.ModelAdmin):
    """Base of every model admin of the project."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # facet counts cost one COUNT per filter choice
    list_per_page = 100
    # Fields of the readable history page (empty: no history page beyond Django's log).
    history_fields: tuple[str, ...] = ()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and refusal_of(obj) is None

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and refusal_of(obj, "delete") is None

    def delete_queryset(self, request, queryset):
        """Bulk deletion one record at a time: each asks its own refusal and leaves its history."""
        with transaction.atomic():
            for obj in queryset:
                refusal = refusal_of(obj, "delete")
                if refusal:
                    raise PermissionDenied(refusal)
                obj.delete()

    def delete_model(self, request, obj):
        refusal = refusal_of(obj, "delete")
        if refusal:
            raise PermissionDenied(refusal)
        obj.delete()

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_delete_permission(request):
            actions.pop("delete_selected", None)
        return actions

    def message_refusal(self, request, obj):
        """On a read-only change page, say why (once, as a warning)."""
        refusal = refusal_of(obj)
        if refusal and request.method == "GET":
            self.message_user(request, refusal, messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            self.message_refusal(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    # --- readable history (replaces Django's log list and simple_history's revert pages) -------

    def history_entries(self, obj):
        return timeline(type(obj), obj.history.order_by("history_date", "history_id"), self.history_fields)

    def history_view(self, request, object_id, extra_context=None):
        if not self.history_fields:
            return super().history_view(request, object_id, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Historial de %(obj)s") % {"obj": obj},
            "object": obj,
            "opts": self.model._meta,
            "entries": self.history_entries(obj),
        }
        return TemplateResponse(request, "admin/readable_history.html", context)

    # --- confirmation page of actions ------------------------------------------------------------

    def confirm(self, request, queryset, action, title, question, *, form=None, single=False):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "question": question,
            "objects": queryset,
            "action": action,
            "form": form,
            "single": single,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/confirm_action.html", context)


class PolicyImportExportAdmin(ImportExportMixin, PolicyAdmin):
    """A model admin with bulk import/export through the model's strict resources
    (agencies.resources, obligations.resources): the same validation as the forms, all or
    nothing, formula escaping. Importing needs the model's add and change permissions."""

    def has_import_permission(self, request):
        opts = self.model._meta
        return bool(self.resource_classes) and all(
            policy.admin_may(request.user, f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("add", "change")
        )

    def has_export_permission(self, request):
        return bool(self.resource_classes) and self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form, e):
        """A file that is not UTF-8 is refused with a message that says so in Spanish (the
        library only names the exception)."""
        if isinstance(e, UnicodeDecodeError):
            form.add_error(
                "import_file",
                gettext(
                    "El archivo no está codificado en UTF-8 (byte no válido en la posición %(position)s). "
                    "Guárdelo como «CSV UTF-8» y vuelva a importarlo."
                )
                % {"position": e.start},
            )
            return
        super().add_data_read_fail_error_to_form(form, e)


class PolicyInline(PolicyMixin):
    """Base of every inline: the parent's refusal makes the inline read-only."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and refusal_of(obj) is None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and refusal_of(obj) is None

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and refusal_of(obj) is None


class StoredDocumentsInline(PolicyInline, admin.TabularInline):
    """The files a submission carried (answer or reply documents): listed, never edited here.
    Subclasses set `model` and, if they show more, `fields`."""

    fields = ["title", "original_filename", "size", "sha256"]
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
