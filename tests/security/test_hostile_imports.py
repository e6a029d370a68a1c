"""Hostile import files: each is refused with a clear Spanish message and imports nothing —
through the resources (agencies.resources / obligations.resources) and through the admin's
import screen."""

import time

import pytest

from agencies.models import Agency
from agencies.resources import AgencyResource, ImportFileError, import_file, result_messages
from obligations.models import Obligation
from obligations.resources import ObligationResource

pytestmark = pytest.mark.django_db


def run(resource, content: bytes, fmt="csv"):
    result = import_file(resource, content, fmt, dry_run=False)
    return result, "\n".join(result_messages(result))


def counts():
    return Agency.objects.count(), Obligation.objects.count()


def test_utf16_file_is_refused_with_how_to_fix_it():
    before = counts()
    with pytest.raises(ImportFileError) as refused:
        run(AgencyResource(), "acronym,name_es\nSEGOB,Secretaría de Gobernación\n".encode("utf-16"))
    assert "UTF-8" in str(refused.value)
    assert counts() == before


def test_latin1_file_is_refused_not_imported_as_mojibake():
    before = counts()
    with pytest.raises(ImportFileError) as refused:
        run(AgencyResource(), "acronym,name_es\nSEGOB,Secretaría de Gobernación\n".encode("latin-1"))
    assert "no está codificado en UTF-8" in str(refused.value)
    assert counts() == before


def test_a_binary_file_named_csv_is_refused():
    before = counts()
    try:
        result, messages = run(AgencyResource(), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    except ImportFileError as refused:
        messages = str(refused)
    assert messages
    assert counts() == before


def test_a_missing_required_column_is_named():
    before = counts()
    result, messages = run(AgencyResource(), b"acronym\nSEGOB\n")
    assert "Faltan columnas obligatorias: name_es." in messages
    assert counts() == before


def test_an_unknown_column_is_refused_not_silently_dropped():
    """A misspelt header ("nombre_en" for "name_en") would otherwise lose that column's data
    without a word; a column named like a hidden field ("id", "password") must not be taken."""
    before = counts()
    result, messages = run(AgencyResource(), b"acronym,name_es,nombre_en,id\nNUEVA,Nueva,New,999\n")
    assert "Columnas desconocidas: nombre_en, id." in messages
    assert counts() == before


def test_a_formula_cell_is_refused_and_the_good_rows_are_not_imported():
    before = counts()
    body = 'acronym,name_es\nBUENA,Dependencia buena\nMALA,"=HYPERLINK(""http://evil.example"",""clic"")"\n'
    result, messages = run(AgencyResource(), body.encode())
    assert "Fila 2" in messages and "fórmula" in messages
    assert counts() == before


@pytest.mark.parametrize("cell", ["+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"])
def test_every_formula_trigger_is_refused(cell):
    before = counts()
    body = 'acronym,name_es\nMALA,"' + cell.replace('"', '""') + '"\n'
    result, messages = run(AgencyResource(), body.encode())
    assert "fórmula" in messages
    assert counts() == before


def test_ten_thousand_bad_rows_are_all_reported_and_none_imported():
    before = counts()
    rows = "".join(f"MALA-{i},Obligación {i},no-es-componente,7\n" for i in range(10_000))
    started = time.perf_counter()
    result, messages = run(ObligationResource(), ("code,title_es,component,level\n" + rows).encode())
    elapsed = time.perf_counter() - started
    print(f"\n10,000 bad obligation rows refused in {elapsed:.1f} s")
    assert result.has_validation_errors()
    assert len(result.invalid_rows) == 10_000
    assert "Fila 1" in messages and "Fila 10000" in messages
    assert counts() == before


def test_a_duplicate_key_within_the_file_is_refused():
    before = counts()
    result, messages = run(AgencyResource(), b"acronym,name_es\nDUPL,Uno\nDUPL,Dos\n")
    assert "Clave repetida en el archivo" in messages
    assert counts() == before


def test_html_in_an_imported_name_is_stored_as_text_and_escaped_on_the_page(client, auditora):
    """Not refused (it is just text), but never rendered as markup."""
    result, messages = run(AgencyResource(), b'acronym,name_es\nXSS,"<script>alert(1)</script><b>SEP</b>"\n')
    assert messages == ""
    client.force_login(auditora)
    body = client.get("/agencias/XSS/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- through the admin's import screen ------------------------------------------------------


def _admin_import(client, content: bytes, name="agencias.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.get("/admin/agencies/agency/import/")
    assert page.status_code == 200
    form = page.context["form"]
    formats = dict((label.lower(), value) for value, label in form.fields["format"].choices if value != "")
    data = {
        "format": formats.get("csv", next(iter(formats.values()))),
        "import_file": SimpleUploadedFile(name, content),
    }
    if "resource" in form.fields:
        data["resource"] = form.fields["resource"].choices[0][0]
    return client.post("/admin/agencies/agency/import/", data, follow=True)


def test_the_admin_import_screen_refuses_a_formula_file(client, auditora):
    client.force_login(auditora)
    before = counts()
    response = _admin_import(client, b"acronym,name_es\nMALA,=1+1\n")
    assert response.status_code == 200
    assert "fórmula" in response.content.decode()
    assert counts() == before


def test_the_admin_import_screen_refuses_a_latin1_file(client, auditora):
    client.force_login(auditora)
    before = counts()
    response = _admin_import(client, "acronym,name_es\nÑU,Dependencia ñ\n".encode("latin-1"))
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()
    assert counts() == before


def test_a_liaison_cannot_reach_the_import_screen(client, enlace_sep):
    client.force_login(enlace_sep)
    response = client.get("/admin/agencies/agency/import/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/agencies/agency/import/"
