"""Forms of information requests (liaison answers, replies) and their admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.uploads import allowed_extensions_text, validate_upload
from obligations.choices import Status
from obligations.models import InformationRequest, Reply
from obligations.request_choices import ReplyOutcome
from obligations.request_services import due_date_for, reply_answer_errors


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked with the evidence upload rules."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors = []
        cleaned = []
        for uploaded in files:
            uploaded = super().clean(uploaded, initial)
            try:
                validate_upload(uploaded)
            except ValidationError as exc:
                errors.extend(f"{uploaded.name}: {message}" for message in exc.messages)
            cleaned.append(uploaded)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _documents_field(label):
    return MultipleFileField(
        label=label,
        help_text=_("Puede adjuntar varios archivos. Se aceptan: %(types)s.") % {"types": allowed_extensions_text()},
    )


class AnswerForm(forms.Form):
    """The liaison's answer to one obligation. "Guardar borrador" keeps it editable;
    "Enviar respuesta" submits it (read-only afterwards)."""

    text = forms.CharField(label=_("Respuesta"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    fact_date = forms.DateField(
        label=_("Fecha a la que se refiere la información"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Si se omite, se usa la fecha de envío."),
    )
    documents = _documents_field(_("Documentos"))

    def clean_fact_date(self):
        value = self.cleaned_data.get("fact_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("La fecha no puede ser futura."))
        return value


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Réplica"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sólo se admite una réplica por calificación; no podrá modificarla después."),
    )
    documents = _documents_field(_("Documentos de soporte"))


class InformationRequestAdminForm(forms.ModelForm):
    """The due date may be given directly or as a term in business days from today
    (Mexican federal rest days and weekends are skipped)."""

    term_business_days = forms.IntegerField(
        label=_("Plazo en días hábiles"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Si lo indica, la fecha límite se calcula desde hoy (sin fines de semana ni días de descanso)."),
    )

    class Meta:
        model = InformationRequest
        fields = ["cycle", "reference", "title", "questions", "obligations", "indicators", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "due_date" in self.fields:  # read-only once sent
            self.fields["due_date"].required = False

    def clean(self):
        cleaned = super().clean()
        if "due_date" not in self.fields:
            return cleaned
        term = cleaned.get("term_business_days")
        if term:
            cleaned["due_date"] = due_date_for(timezone.localdate(), term)
        if not cleaned.get("due_date"):
            self.add_error("due_date", _("Indique la fecha límite o el plazo en días hábiles."))
        return cleaned

    def save(self, commit=True):
        if "due_date" in self.cleaned_data:
            self.instance.due_date = self.cleaned_data["due_date"]
        return super().save(commit)


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
        """The answer is saved by the service (obligations.request_services.answer_reply),
        not by assigning fields to the instance."""
