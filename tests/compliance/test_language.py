"""Language: the names of the languages, lower-case months, feminine agreement in the admin's
messages, translated admin strings, one English term per status, the PDF language follows the
interface language."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from compliance.admin import feminine_message
from obligations.choices import Status
from reports import jobs
from tests.obligations.workflow_factories import make_catalogue, open_test_cycle, rating_post
from tests.reports import scorecard_data as data

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_language_switch_names_the_languages(client):
    html = client.get(reverse("home")).content.decode()
    assert '<option value="es-mx" selected>Español (México)</option>' in html
    assert '<option value="en">English</option>' in html


def test_months_are_lower_case_in_spanish():
    assert formats.date_format(date(2012, 6, 15), "DATE_FORMAT") == "15 de junio de 2012"
    assert formats.date_format(date(2012, 1, 5), "YEAR_MONTH_FORMAT") == "enero de 2012"
    with translation.override("en"):
        assert formats.date_format(date(2012, 6, 15), "DATE_FORMAT") == "June 15, 2012"


def test_one_english_term_per_status():
    with translation.override("en"):
        assert [str(label) for _value, label in Status.choices] == [
            "Complied",
            "Partially complied",
            "Not complied",
            "No information",
            "Not applicable",
        ]


@pytest.fixture
def rating(auditora, sep, inm):
    make_catalogue([sep, inm], n_obligations=1)
    return open_test_cycle(auditora).assessments.get(agency=sep)


def test_admin_messages_agree_with_a_feminine_name(client, auditora, rating):
    client.force_login(auditora)
    url = reverse("admin:obligations_assessment_change", args=[rating.pk])
    response = client.post(url, rating_post(rating, source_reference="CNDH 2019 ¶150"), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        f'La evaluación “<a href="{url}">{rating}</a>” se modificó correctamente. '
        "Puede editarla nuevamente a continuación."
    )


def test_admin_search_line_is_translated(client, auditora, rating):
    client.force_login(auditora)
    html = client.get(
        reverse("admin:obligations_assessment_changelist"),
        {"q": rating.obligation.code, "agency__id__exact": rating.agency_id},
    ).content
    assert "1 resultado (" in html.decode() and "1 results" not in html.decode()


def test_feminine_message_leaves_other_messages_and_languages_alone():
    deleted = "El solicitud de información “CNDH/5/2026/001” se eliminó correctamente."
    assert feminine_message(deleted, "solicitud de información") == (
        "La solicitud de información “CNDH/5/2026/001” se eliminó correctamente."
    )
    added = "El evidencia “Oficio” se agregó correctamente. Puede editarlo nuevamente a continuación."
    assert feminine_message(added, "evidencia") == (
        "La evidencia “Oficio” se agregó correctamente. Puede editarla nuevamente a continuación."
    )
    assert feminine_message("Validada.", "evaluación") == "Validada."
    with translation.override("en"):
        text = "The evaluation “X” was changed successfully."
        assert feminine_message(text, "evaluation") == text


def test_the_pdf_language_follows_the_interface(client, enlace_sep, sep, inm):
    assert jobs.interface_language() == "es"
    with translation.override("en"):
        assert jobs.interface_language() == "en"
    data.two_cycles(sep, inm)
    client.force_login(enlace_sep)
    url = reverse("reports:agency_scorecard", args=["SEP"])
    spanish = client.get(url, {"ciclo": "ciclo-2023"}).content.decode()
    assert '<option value="es" selected>' in spanish and '<option value="en">' in spanish
    english(client)
    page = client.get(url, {"ciclo": "ciclo-2023"}).content.decode()
    assert '<option value="es">Spanish</option>' in page and '<option value="en" selected>English</option>' in page


def test_the_feminine_forms_are_extracted_by_makemessages():
    """`make messages` keeps only what xgettext finds: every gendered message's feminine form is
    written out as pgettext_lazy("femenino", "<literal>") in compliance/admin.py, or the next
    catalogue update would drop its translations and the admin would say «El evaluación»."""
    import ast
    from pathlib import Path

    from compliance.admin import GENDERED_ADMIN_MESSAGES

    source = Path(__file__).resolve().parents[2] / "compliance" / "admin.py"
    extracted = {
        node.args[1].value
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in ("pgettext", "pgettext_lazy")
        and len(node.args) == 2
        and all(isinstance(arg, ast.Constant) for arg in node.args)
        and node.args[0].value == "femenino"
    }
    assert extracted == set(GENDERED_ADMIN_MESSAGES)
