"""Test data for the auditor workflow, built in code (imported by test_workflow*, test_evidence*,
test_admin*, test_services*, test_concurrency* modules)."""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

PERIOD = (date(2018, 12, 1), date(2024, 9, 30))
IN_PERIOD = date(2020, 5, 4)
OUT_OF_PERIOD = date(2017, 3, 1)


def upload(name="oficio.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def ooxml(kind="docx", extra=None, content_types=None):
    main = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    }[kind]
    part = "/word/document.xml" if kind == "docx" else "/xl/workbook.xml"
    types = content_types or (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="{part}" ContentType="{main}"/></Types>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part.lstrip("/"), "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buf.getvalue()


def opendocument(mimetype="application/vnd.oasis.opendocument.text"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def make_catalogue(agencies, n_obligations=3, prefix="PREV"):
    """Obligations with a legal basis, an indicator, and every given agency responsible."""
    from obligations.models import Indicator, LegalInstrument, Obligation, Provision, Responsibility

    law, _ = LegalInstrument.objects.get_or_create(
        code="LGPSEDMTP", defaults={"short_name": "LGPSEDMTP", "name_es": "Ley General", "kind": "law"}
    )
    obligations = []
    for i in range(1, n_obligations + 1):
        provision, _ = Provision.objects.get_or_create(
            instrument=law,
            article=str(80 + i),
            fraction="XV",
            defaults={"summary_es": f"Resumen del artículo {80 + i}"},
        )
        obligation = Obligation.objects.create(
            code=f"{prefix}-{i:03d}",
            title_es=f"Obligación de prueba {i}",
            component="prevention" if i % 2 else "assistance",
            level=1 + i % 3,
            source="CNDH 2019 ¶162",
        )
        obligation.provisions.add(provision)
        Indicator.objects.create(
            code=f"IND-{prefix}-{i:03d}",
            obligation=obligation,
            statement_es=f"Indicador de la obligación {i}",
            kind="structural",
            means_of_verification="Oficio de la dependencia",
        )
        for agency in agencies:
            Responsibility.objects.create(obligation=obligation, agency=agency)
        obligations.append(obligation)
    return obligations


def open_test_cycle(by, slug="2018-2024", period=PERIOD):
    from obligations import services

    return services.open_cycle(
        slug=slug, name_es="Ciclo 2018–2024", period_start=period[0], period_end=period[1], by=by
    )


def add_file_evidence(assessment, by, fact_date=IN_PERIOD, title="Oficio de respuesta"):
    from obligations import services

    return services.add_evidence(assessment, by, upload=upload(), title=title, fact_date=fact_date)


def rate(assessment, by, status="complied", rationale="Programa publicado y aplicado; ver oficio."):
    from obligations import services

    return services.save_rating(assessment, by, expected_version=assessment.version, status=status, rationale=rationale)


def rating_post(assessment, evidence_forms=(), **fields):
    """The POST of the rating page: the rating, the lock version and the evidence inline."""
    data = {
        "status": "",
        "rationale": "",
        "source_reference": "",
        "expected_version": assessment.version,
        "evidence-TOTAL_FORMS": len(evidence_forms),
        "evidence-INITIAL_FORMS": 0,
        "evidence-MIN_NUM_FORMS": 0,
        "evidence-MAX_NUM_FORMS": 1000,
        "_continue": "1",
    }
    data.update(fields)
    for i, form in enumerate(evidence_forms):
        for key, value in form.items():
            data[f"evidence-{i}-{key}"] = value
        data[f"evidence-{i}-assessment"] = assessment.pk
    return data
