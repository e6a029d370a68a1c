"""Forms of the auditor workflow (used by the admin)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lib.forms import MultipleFileField
from lib.uploads import allowed_extensions_text, validate_upload
from obligations import services, workflow
from obligations.choices import ReplyOutcome, Status
from obligations.models import Assessment, Evidence, Reply, ReviewCycle
from obligations.replies import reply_answer_errors


def _https_urls(db_field, **kwargs):
    """Form fields for model fields, with links assumed https:// (Django 6 default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def evidence_file_html(evidence) -> str:
    """A stored evidence file as its original name linking to the permission-checked download,
    with its SHA-256 — never the storage path."""
    if evidence is None or not evidence.pk or not evidence.file:
        return "—"
    return format_html(
        '<a href="{}">{}</a><br><small>SHA-256: <code>{}</code></small>',
        reverse("obligations:evidence_download", args=[evidence.pk]),
        evidence.download_name,
        evidence.sha256,
    )


class EvidenceFileWidget(forms.ClearableFileInput):
    """A file input that never links to the storage path (see `evidence_file_html`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.evidence = None

    def render(self, name, value, attrs=None, renderer=None):
        if self.evidence is not None and self.evidence.pk and self.evidence.file:
            return evidence_file_html(self.evidence)
        return super().render(name, None, attrs, renderer)


class EvidenceForm(forms.ModelForm):
    """One evidence item. A new file is checked by `validate_upload` (size, type, content);
    a stored file cannot be replaced (record a new item instead)."""

    class Meta:
        model = Evidence
        formfield_callback = _https_urls
        fields = ["kind", "title", "fact_date", "description", "file", "url", "source_reference", "confidential"]
        widgets = {
            "file": EvidenceFileWidget,
            "description": forms.Textarea(attrs={"rows": 2}),
            "fact_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._upload_info = None
        if "file" in self.fields:
            self.fields["file"].widget.evidence = self.instance
            self.fields["file"].help_text = _("Tipos: %(types)s. Se verifica el contenido y se calcula el SHA-256.") % {
                "types": allowed_extensions_text()
            }
            if self.instance.pk and self.instance.file:
                self.fields["file"].disabled = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data and not self.fields["file"].disabled:
            self._upload_info = validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.assessment_id and self.has_changed():
            assessment = Assessment.objects.select_related("cycle").get(pk=instance.assessment_id)
            refusal = workflow.evidence_refusal(assessment)
            if refusal and (not instance.pk or set(self.changed_data) - Evidence.CHANGEABLE_WHEN_LOCKED):
                raise ValidationError(refusal)
        return cleaned

    def save(self, commit=True):
        if self._upload_info is not None:
            self.instance.attach(self.cleaned_data["file"], self._upload_info)
        return super().save(commit)


class EvidenceInlineFormSet(BaseInlineFormSet):
    """Checks the rating rules with the evidence as it will be after this save, so that an
    auditor can add the evidence and set `complied` in one go."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        assessment = self.instance
        items = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                refusal = workflow.evidence_refusal(assessment)
                if form.instance.pk and refusal:
                    raise ValidationError(refusal)
                continue
            items.append(form.instance)
        errors = assessment.rating_errors(evidence=items)
        if "status" in errors:
            raise ValidationError(errors["status"])


class AssessmentForm(forms.ModelForm):
    """The rating form, with an optimistic lock: `expected_version` is the version shown."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Assessment
        fields = ["status", "rationale", "source_reference"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        self.conflict = None

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if not instance.pk or "expected_version" not in cleaned:
            return cleaned
        # Runs inside the admin's transaction: the lock is held until the rating is saved.
        current = Assessment.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=instance.pk)
        try:
            services.check_version(current, cleaned["expected_version"])
        except services.ConflictError as conflict:
            self.conflict = conflict
            # The next save, made after reading what changed, is a deliberate overwrite.
            data = self.data.copy()
            data[self.add_prefix("expected_version")] = current.version
            self.data = data
            raise ValidationError(conflict.message, code="conflict") from None
        refusal = workflow.edit_refusal(current)
        if refusal:
            raise ValidationError(refusal)
        return cleaned

    def _post_clean(self):
        # The evidence rule is checked by EvidenceInlineFormSet with the evidence as it will be
        # after this save, and again by services.save_rating once it is stored.
        self.instance._defer_evidence_check = True
        super()._post_clean()


class OpenCycleForm(forms.ModelForm):
    class Meta:
        model = ReviewCycle
        fields = ["name_es", "name_en", "slug", "period_start", "period_end", "methodology_version", "source"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class ReturnToDraftForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la devolución"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quedará en el historial de la evaluación."),
    )


# --- Right of reply ------------------------------------------------------------------


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Réplica"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sólo se admite una réplica por calificación; no podrá modificarla después."),
    )
    documents = MultipleFileField(label=_("Documentos de soporte"))


class ReplyAnswerAdminForm(forms.ModelForm):
    """The auditors' answer to a reply (kept or changed, with the reason)."""

    outcome = forms.ChoiceField(label=_("Resolución"), choices=ReplyOutcome.choices)
    response = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 5}))
    new_status = forms.ChoiceField(
        label=_("Estatus nuevo"), choices=[("", "---------"), *Status.choices], required=False
    )

    class Meta:
        model = Reply
        fields = ["outcome", "response", "new_status"]

    def clean(self):
        cleaned = super().clean()
        stored = Reply.objects.select_related("assessment__cycle").get(pk=self.instance.pk)
        for message in reply_answer_errors(
            stored,
            outcome=cleaned.get("outcome", ""),
            response=cleaned.get("response", ""),
            new_status=cleaned.get("new_status") or "",
        ):
            self.add_error(None, message)
        return cleaned

    def _post_clean(self):
        """The answer is saved by the service (obligations.replies.answer_reply),
        not by assigning fields to the instance."""
