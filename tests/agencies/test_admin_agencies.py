"""The agencies admin: who gets in, the list with former names, and bulk import/export with
dry-run preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.formats.base_formats import CSV
from pytest_django.asserts import assertRedirects

from agencies.models import Agency, AgencyName
from obligations.reference import load_reference_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:agencies_agency_changelist"
IMPORT = "admin:agencies_agency_import"


def csv_format_index(client):
    from django.contrib import admin

    formats = admin.site._registry[Agency].get_import_formats()
    return next(i for i, f in enumerate(formats) if f is CSV)


def upload(client, content: bytes):
    return client.post(
        reverse(IMPORT),
        {
            "resource": 0,
            "format": csv_format_index(client),
            "import_file": SimpleUploadedFile("dependencias.csv", content, content_type="text/csv"),
        },
        follow=True,  # to the import job's page
    )


def test_auditor_sees_the_real_catalogue_with_former_names(client, auditora):
    load_reference_data()
    client.force_login(auditora)
    response = client.get(reverse(CHANGELIST), {"q": "FGR"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Fiscalía General de la República" in content and "PGR" in content


def test_search_by_former_acronym(client, auditora):
    load_reference_data()
    client.force_login(auditora)
    response = client.get(reverse(CHANGELIST), {"q": "SEDESOL"})
    assert "Secretaría de Bienestar" in response.content.decode()


def test_changelist_queries_do_not_grow_with_rows(client, auditora):
    client.force_login(auditora)
    for index in range(3):
        agency = Agency.objects.create(acronym=f"A{index}", name_es=f"Dependencia {index}")
        AgencyName.objects.create(agency=agency, acronym=f"V{index}", name_es="Antes", valid_until="2010-01-01")
    client.get(reverse(CHANGELIST))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(CHANGELIST))
    for index in range(3, 30):
        parent = Agency.objects.get(acronym="A0")
        agency = Agency.objects.create(acronym=f"A{index}", name_es=f"Dependencia {index}", parent=parent)
        AgencyName.objects.create(agency=agency, acronym=f"V{index}", name_es="Antes", valid_until="2010-01-01")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(CHANGELIST))
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["enlace_sep", "secretariado", "outsider"])
def test_others_do_not_get_in(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse(CHANGELIST)
    response = client.get(url)
    # Only auditors are staff: everyone else is sent to the admin's login page.
    assertRedirects(response, f"/admin/login/?next={url}", fetch_redirect_response=False)
    assert "Secretaría" not in response.content.decode()


def test_import_preview_then_confirm(client, auditora):
    Agency.objects.create(acronym="SEGOB", name_es="Secretaría de Gobernación")
    client.force_login(auditora)
    response = upload(client, b"acronym,name_es,parent\nUNIDAD-Z,Unidad de prueba,SEGOB\n")
    assert response.status_code == 200
    assert not Agency.objects.filter(acronym="UNIDAD-Z").exists()  # dry run
    job = response.context["job"]
    assert (job.state, job.rows, job.new) == ("ready", 1, 1)
    response = client.post(response.redirect_chain[-1][0], {"action": "confirm"}, follow=True)
    assert response.context["job"].message == "Se guardaron 1 filas nuevas y 0 actualizadas; 0 sin cambios."
    assert Agency.objects.get(acronym="UNIDAD-Z").parent.acronym == "SEGOB"
    assert not response.context["job"].file  # the kept upload is gone


def test_import_refuses_a_formula_and_offers_no_confirmation(client, auditora):
    client.force_login(auditora)
    content = b'acronym,name_es\nMALA,"=HYPERLINK(""http://evil.example"",""clic"")"\n'
    response = upload(client, content)
    assert response.status_code == 200
    assert response.context["job"].state == "refused"  # nothing to confirm
    assert "empieza con «=»" in response.content.decode()
    assert not Agency.objects.filter(acronym="MALA").exists()


def test_import_refuses_unknown_parent(client, auditora):
    client.force_login(auditora)
    response = upload(client, b"acronym,name_es,parent\nHIJA,Unidad,NOEXISTE\n")
    assert "Dependencia desconocida: «NOEXISTE»." in response.content.decode()
    assert not Agency.objects.filter(acronym="HIJA").exists()


def test_import_refuses_wrong_encoding(client, auditora):
    client.force_login(auditora)
    response = upload(client, "acronym,name_es\nSALUD,Secretaría de Salud\n".encode("latin-1"))
    assert "no está codificado en UTF-8" in response.content.decode()
    assert not Agency.objects.filter(acronym="SALUD").exists()


def test_export_neutralises_formulas(client, auditora):
    Agency.objects.create(acronym="EXP", name_es="=1+1")
    client.force_login(auditora)
    response = client.post(
        reverse("admin:agencies_agency_export"),
        {
            "format": next(i for i, f in enumerate(_export_formats()) if f is CSV),
            "resource": 0,
            "agencyresource_name_es": True,
            "agencyresource_acronym": True,
        },
    )
    assert response.status_code == 200
    assert "'=1+1" in response.content.decode("utf-8-sig")


def _export_formats():
    from django.contrib import admin

    return admin.site._registry[Agency].get_export_formats()
