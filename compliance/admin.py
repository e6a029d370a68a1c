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

import re

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext, pgettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from agencies import policy
from agencies.models import Agency
from obligations.history import timeline
from obligations.models.files import GeneratedName


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


# Django's admin messages that name the model (their Spanish says "El {name}", "Puede editarlo").
# For a model with a feminine name the same messages are said in the feminine: the catalogues
# hold them under the context "femenino" (locale/*/django.po).
# (gettext_noop: written out for `make messages`, which keeps our Spanish wording of them.)
GENDERED_ADMIN_MESSAGES = [
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("You may edit it again below."),
]
# The same messages under the context "femenino", written out literally so that `make messages`
# (xgettext) extracts them and keeps their translations (a context given by a variable is not
# extracted, and `--no-obsolete` would drop the entries). Never read: pgettext() looks them up.
_FEMININE_FOR_MAKEMESSAGES = (
    pgettext_lazy("femenino", "The {name} “{obj}” was added successfully. You may add another {name} below."),
    pgettext_lazy("femenino", "The {name} “{obj}” was changed successfully. You may edit it again below."),
    pgettext_lazy("femenino", "The {name} “{obj}” was changed successfully. You may add another {name} below."),
    pgettext_lazy("femenino", "The {name} “{obj}” was added successfully."),
    pgettext_lazy("femenino", "The {name} “{obj}” was changed successfully."),
    pgettext_lazy("femenino", "The %(name)s “%(obj)s” was deleted successfully."),
    pgettext_lazy("femenino", "You may edit it again below."),
)
_PLACEHOLDER = re.compile(r"\{(name|obj)\}|%\((name|obj)\)s")


def _pattern(template: str, name: str) -> re.Pattern:
    """A regex matching `template` once rendered with this verbose name and any object."""
    parts = []
    position = 0
    seen_obj = False
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        if (match.group(1) or match.group(2)) == "name":
            parts.append(re.escape(name))
        else:
            parts.append("(?P=obj)" if seen_obj else "(?P<obj>.*?)")
            seen_obj = True
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


def feminine_message(message: str, name: str) -> str:
    """`message` (one of Django's admin messages, rendered in the active language) said of a
    feminine `name`: "El evaluación «X» se cambió…" → "La evaluación «X» se modificó…"."""
    text = str(message)
    for msgid in GENDERED_ADMIN_MESSAGES:
        masculine, feminine = gettext(msgid), pgettext("femenino", msgid)
        if masculine == feminine:
            continue

        def render(match, feminine=feminine):
            obj = match.groupdict().get("obj") or ""
            return (
                feminine.replace("{name}", name).replace("%(name)s", name).replace("{obj}", obj).replace("%(obj)s", obj)
            )

        text = _pattern(masculine, name).sub(render, text)
    return mark_safe(text) if isinstance(message, SafeString) else text


def person_name(user) -> str:
    """How the admin names a person: the full name, the username only when there is none."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def person_column(field: str, description):
    """An admin column/read-only field showing the person in `field` by full name:
    `sent_by_name = person_column("sent_by", _("enviada por"))`."""

    @admin.display(description=description, ordering=f"{field}__last_name")
    def column(self, obj):
        return person_name(getattr(obj, field)) if obj is not None and obj.pk else "—"

    column.__name__ = f"{field}_name"
    return column


class AgencyFilter(admin.SimpleListFilter):
    """The agency filter grouped by order of government (federal, state, autonomous), each group
    folded unless it holds the selected agency: 61 agencies stay a short list. The URL parameter
    is Django's own (`agency__id__exact`), so existing links keep working."""

    title = gettext_lazy("dependencia")
    parameter_name = "agency__id__exact"
    field_path = "agency"
    template = "admin/grouped_filter.html"

    def lookups(self, request, model_admin):
        agencies = policy.scope(request.user, Agency.objects.all()).order_by("order", "acronym")
        return [(str(a.pk), a.acronym, a.get_order_display()) for a in agencies]

    def choices(self, changelist):
        selected = self.value()
        yield {
            "selected": selected is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": gettext("Todas"),
        }
        groups: dict[str, list[dict]] = {}
        for pk, acronym, group in self.lookup_choices:
            groups.setdefault(str(group), []).append(
                {
                    "selected": selected == pk,
                    "query_string": changelist.get_query_string({self.parameter_name: pk}),
                    "display": acronym,
                }
            )
        for label, items in groups.items():
            yield {"group": label, "items": items, "open": any(item["selected"] for item in items)}

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.field_path}_id": int(value)})


class PolicyMixin:
    """Shared by model admins and inlines (see the module docstring)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.FileField) and isinstance(db_field.upload_to, GeneratedName) and formfield:
            # The stored name is generated (short); the upload's own name, however long, is only
            # kept for display, shortened by lib.uploads.safe_filename. No 100-character refusal.
            formfield.max_length = None
        return formfield

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
    # The model's Spanish name is feminine (la evaluación, la solicitud): Django's messages agree.
    feminine = False

    def message_user(self, request, message, *args, **kwargs):
        if self.feminine:
            message = feminine_message(message, str(self.opts.verbose_name))
        return super().message_user(request, message, *args, **kwargs)

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

    def get_changeform_initial_data(self, request):
        """Initial values from the query string (`?agency=3`), without the ones that are not a
        valid value of their field: a relation given `abc` would fail while rendering (500)."""
        initial = super().get_changeform_initial_data(request)
        for name in list(initial):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not getattr(field, "concrete", False) and not field.many_to_many:
                continue
            target = field.target_field if field.is_relation else field
            values = initial[name] if isinstance(initial[name], list) else [initial[name]]
            try:
                for value in values:
                    target.to_python(value)
            except (ValidationError, TypeError, ValueError):
                del initial[name]
        return initial

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
        # As every other page of the model: no view permission at all is a 403 (a staff user
        # without a role), then a record out of the user's scope is a 404 (as a missing one).
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if not self.history_fields:
            return super().history_view(request, object_id, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
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
    nothing, formula escaping. Importing needs the model's add and change permissions.

    CSV and XLSX only. The library's upload → preview → confirm is replaced by an import job
    (obligations.imports): the file stays on the server under a generated name, the page shows a
    summary, the errors and one page of rows, large files run in a Celery task with progress,
    and the confirmation re-validates every row and reports exactly what it saved."""

    formats = [base_formats.CSV, base_formats.XLSX]
    import_formats = formats
    export_formats = formats

    def has_import_permission(self, request):
        opts = self.model._meta
        return bool(self.resource_classes) and all(
            policy.admin_may(request.user, f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("add", "change")
        )

    def has_export_permission(self, request):
        return bool(self.resource_classes) and self.has_view_permission(request)

    def get_export_queryset(self, request):
        """The export honours the changelist's filters; filters that make no sense (a text where
        an id goes, an unknown field) answer 400, as they do not name any rows."""
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest(gettext("Los filtros de la exportación no son válidos.")) from exc

    def get_urls(self):
        """The job's page; the library's `process_import` (which took a temporary file name back
        from the browser) is not mounted."""
        info = self.get_model_info()
        job = path(
            "import/<uuid:token>/",
            self.admin_site.admin_view(self.import_job_view),
            name="{}_{}_import_job".format(*info),
        )
        urls = [u for u in super().get_urls() if getattr(u, "name", None) != "{}_{}_process_import".format(*info)]
        return [job, *urls]

    def import_action(self, request, **kwargs):
        """The upload: checked (format, size) and kept as a job, then its page."""
        from obligations import imports

        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            file_format = self.get_import_formats()[int(form.cleaned_data["format"])]().get_title().lower()
            try:
                job = imports.start(
                    user=request.user,
                    model=self.model,
                    resource_class=self.choose_import_resource_class(form, request),
                    upload=form.cleaned_data["import_file"],
                    file_format=file_format,
                )
            except imports.ImportRefused as exc:
                form.add_error("import_file", str(exc))
            else:
                return redirect(self._job_url(job))
        resources = [cls() for cls in self.get_import_resource_classes(request)]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Importar"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (resource.get_display_name(), [f.column_name for f in resource.get_user_visible_fields()])
                for resource in resources
            ],
            "import_error_display": self.import_error_display,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def _job_url(self, job):
        return reverse(f"admin:{self.get_model_info()[0]}_{self.get_model_info()[1]}_import_job", args=[job.token])

    def import_job_view(self, request, token):
        """The job's page (its owner only): progress while running; the summary, the errors and
        one page of rows; confirm or cancel (POST)."""
        from obligations import imports
        from obligations.models import ImportJob

        if not self.has_import_permission(request):
            raise PermissionDenied
        job = ImportJob.objects.filter(
            token=token, created_by=request.user, model_label=self.model._meta.label_lower
        ).first()
        if job is None:
            raise Http404
        if request.method == "POST":
            if request.POST.get("action") == "confirm":
                if not imports.confirm(job, request.user):
                    self.message_user(request, gettext("Esta importación ya no puede confirmarse."), messages.ERROR)
            elif request.POST.get("action") == "cancel":
                imports.cancel(job, request.user)
            return redirect(self._job_url(job))
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        headers, rows, pages = imports.page_of_rows(job, page) if job.state == "ready" else ([], [], 0)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Importación de %(model)s") % {"model": self.model._meta.verbose_name_plural},
            "opts": self.model._meta,
            "job": job,
            "progress": imports.progress(job),
            "headers": headers,
            "rows": rows,
            "page": max(1, min(page, pages or 1)),
            "pages": pages,
            "changelist_url": reverse(f"admin:{self.get_model_info()[0]}_{self.get_model_info()[1]}_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/import_job.html", context)


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
