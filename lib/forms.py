"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.uploads import allowed_extensions_text, validate_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked once with the evidence upload rules
    (lib.uploads.validate_upload). Cleans to a list of `(file, UploadInfo)` pairs, which the
    services store without checking again (obligations.models.files.StoredFile.store)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Puede adjuntar varios archivos. Se aceptan: %(types)s.") % {"types": allowed_extensions_text()},
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors = []
        cleaned = []
        for uploaded in files:
            uploaded = super().clean(uploaded, initial)
            try:
                cleaned.append((uploaded, validate_upload(uploaded)))
            except ValidationError as exc:
                errors.extend(f"{uploaded.name}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned
