"""Forms of information requests: the liaison's answer and the auditors' admin form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from information_requests.models import InformationRequest
from information_requests.services import due_date_for
from lib.forms import MultipleFileField


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
    documents = MultipleFileField(label=_("Documentos"))

    def clean_fact_date(self):
        value = self.cleaned_data.get("fact_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("La fecha no puede ser futura."))
        return value


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
