"""Hostile files: each one is refused with a clear Spanish message and leaves nothing behind
(no row, no file under MEDIA_ROOT) — at the checker (lib.uploads), at the evidence service
(obligations.services.add_evidence) and through the liaison's answer form (a site view)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.http import parse_header_parameters

from lib.uploads import safe_filename, validate_upload
from tests.security.world import PDF_BYTES

DOCX_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX whose one part inflates 64 MB of zeros out of ~64 KB."""
    return _zip({"[Content_Types].xml": DOCX_TYPES.encode(), "word/document.xml": b"\0" * (64 * 1024 * 1024)})


def macro_docx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": DOCX_TYPES.encode(),
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA",
        }
    )


def pe_with_pdf_marker() -> bytes:
    """A Windows executable that readers would also open as a PDF (header within the first KB)."""
    return b"MZ\x90\x00" + b"\0" * 60 + b"PE\0\0" + b"\0" * 36 + PDF_BYTES


# name, content, the message the user reads (a fragment of it)
HOSTILE = [
    ("traversal-exe", "../../../../usr/bin/evil.exe", b"MZ\x90\x00", "Tipo de archivo no permitido"),
    ("bidi-override", "factura\u202efdp.exe", b"MZ\x90\x00", "Tipo de archivo no permitido"),
    ("nul-in-name", "informe.pdf\x00.exe", PDF_BYTES, "Tipo de archivo no permitido"),
    ("no-extension", "informe", PDF_BYTES, "Tipo de archivo no permitido"),
    ("html-as-pdf", "oficio.pdf", b"<html><script>alert(1)</script></html>", "no corresponde a su extensión"),
    ("exe-as-pdf", "oficio.pdf", pe_with_pdf_marker(), "no corresponde a su extensión"),
    ("elf-as-pdf", "oficio.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 100, "no corresponde a su extensión"),
    ("exe-as-docx", "oficio.docx", b"MZ\x90\x00" + b"\0" * 200, "no corresponde a su extensión"),
    ("bare-zip-as-docx", "oficio.docx", _zip({"payload.exe": b"MZ"}), "no corresponde a su extensión"),
    ("zip-bomb-docx", "bomba.docx", None, "bomba ZIP"),
    ("macro-docx", "macro.docx", None, "macros"),
    ("encrypted-docx", "cifrado.docx", None, "cifrado"),
    ("png-as-jpg", "foto.jpg", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "no corresponde a su extensión"),
    ("binary-csv", "datos.csv", b"a,b\n\x00\x01\x02,3\n", "no corresponde a su extensión"),
    ("svg-as-png", "grafica.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "no corresponde"),
    ("empty", "vacio.pdf", b"", "vacío"),
]


def _encrypted_docx() -> bytes:
    data = bytearray(_zip({"[Content_Types].xml": DOCX_TYPES.encode(), "word/document.xml": b"x"}))
    # Set the "encrypted" flag bit in the local and central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (index := data.find(signature, start)) != -1:
            data[index + offset] |= 0x1
            start = index + 4
    return bytes(data)


def _content(label, content):
    if content is not None:
        return content
    return {"zip-bomb-docx": zip_bomb_docx, "macro-docx": macro_docx, "encrypted-docx": _encrypted_docx}[label]()


@pytest.mark.parametrize("label, name, content, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_checker_refuses_it_with_a_clear_message(label, name, content, message):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, _content(label, content)))
    assert message in " ".join(refused.value.messages)


def test_an_oversized_file_is_refused_before_being_read_whole(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024

    class Endless(io.RawIOBase):
        """Would never end: the checker must stop at the limit."""

        name = "enorme.pdf"
        served = 0

        def readable(self):
            return True

        def seekable(self):
            return True

        def seek(self, *args):
            return 0

        def readinto(self, buffer):
            chunk = b"%PDF-" if self.served == 0 else b"\0"
            n = len(buffer)
            buffer[:n] = (chunk * n)[:n]
            self.served += n
            return n

    stream = Endless()
    with pytest.raises(ValidationError) as refused:
        validate_upload(stream)
    assert "pesa más de 1,0" in refused.value.messages[0] or "pesa más de" in refused.value.messages[0]
    assert stream.served <= 2 * 1024 * 1024


@pytest.mark.parametrize(
    "hostile, expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\cmd.pdf", "cmd.pdf"),
        ("/var/lib/app/media/../secret.pdf", "secret.pdf"),
        ("factura\u202efdp.exe", "facturafdp.exe"),
        ("oficio\u200b\u200d.pdf", "oficio.pdf"),
        ("oficio\x00.pdf", "oficio.pdf"),
        ("línea\r\nSet-Cookie: x=1.pdf", "línea Set-Cookie: x=1.pdf"),
        ("...", "archivo"),
        (".htaccess", "htaccess"),
        ("a" * 400 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_display_names_are_made_safe(hostile, expected):
    name = safe_filename(hostile)
    assert name == expected
    assert "/" not in name and "\\" not in name
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)


def test_a_genuine_pdf_is_accepted_with_its_hash():
    import hashlib

    info = validate_upload(SimpleUploadedFile("../oficio CNDH.pdf", PDF_BYTES, content_type="text/html"))
    assert info.original_name == "oficio CNDH.pdf"
    assert info.content_type == "application/pdf"  # never the browser's claim
    assert info.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


# --- through the evidence service: nothing written -------------------------------------------


from tests.support import files_under as _files_under  # noqa: E402


@pytest.fixture
def draft_assessment(db, sep, auditora):
    from obligations.choices import Component, Level
    from obligations.models import Assessment, Obligation, ReviewCycle

    cycle = ReviewCycle.objects.create(
        slug="hostil", name_es="Ciclo", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31)
    )
    obligation = Obligation.objects.create(
        code="H-1", title_es="Obligación", component=Component.PREVENTION, level=Level.DIRECT
    )
    return Assessment.objects.create(cycle=cycle, agency=sep, obligation=obligation)


@pytest.mark.parametrize("label, name, content, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_evidence_service_stores_nothing(label, name, content, message, media, draft_assessment, auditora):
    from obligations.models import Evidence
    from obligations.services import add_evidence

    with pytest.raises(ValidationError) as refused:
        add_evidence(
            draft_assessment,
            auditora,
            upload=SimpleUploadedFile(name, _content(label, content)),
            title="Evidencia hostil",
            fact_date=date(2020, 1, 1),
        )
    assert message in " ".join(refused.value.messages)
    assert Evidence.objects.count() == 0
    assert Evidence.history.count() == 0
    assert _files_under(media) == []


def test_the_evidence_service_keeps_a_safe_name_for_a_traversal_name(media, draft_assessment, auditora):
    from obligations.services import add_evidence

    evidence = add_evidence(
        draft_assessment,
        auditora,
        upload=SimpleUploadedFile("../../../etc/oficio\u202e.pdf", PDF_BYTES),
        title="Oficio",
        fact_date=date(2020, 1, 1),
    )
    assert evidence.original_filename == "oficio.pdf"
    stored = _files_under(media)
    assert len(stored) == 1
    assert stored[0].resolve().is_relative_to(media.resolve())
    assert "etc" not in stored[0].relative_to(media).parts


# --- through the liaison's answer form (a site view) ------------------------------------------


@pytest.fixture
def sep_request(db, sep, enlace_sep, auditora):
    from information_requests.choices import RequestState
    from information_requests.models import InformationRequest, RequestAddressee
    from obligations.choices import Component, Level
    from obligations.models import Obligation, ReviewCycle

    cycle = ReviewCycle.objects.create(
        slug="hostil-sol", name_es="Ciclo", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31)
    )
    obligation = Obligation.objects.create(
        code="H-2", title_es="Obligación", component=Component.PREVENTION, level=Level.DIRECT
    )
    request = InformationRequest.objects.create(
        cycle=cycle,
        title="Solicitud",
        questions="¿?",
        due_date=date(2030, 1, 1),
        state=RequestState.SENT,
        created_by=auditora,
        sent_by=auditora,
    )
    request.obligations.add(obligation)
    return RequestAddressee.objects.create(request=request, agency=sep), obligation


@pytest.mark.parametrize("label, name, content, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_answer_form_refuses_it_and_stores_nothing(
    label, name, content, message, media, client, enlace_sep, sep_request
):
    from django.urls import reverse

    from information_requests.models import Answer, AnswerDocument

    addressee, obligation = sep_request
    client.force_login(enlace_sep)
    url = reverse("information_requests:answer", kwargs={"pk": addressee.pk, "obligation_id": obligation.pk})
    response = client.post(
        url,
        {"text": "Respuesta", "documents": [SimpleUploadedFile(name, _content(label, content))], "action": "save"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert Answer.objects.count() == 0
    assert AnswerDocument.objects.count() == 0
    assert _files_under(media) == []


@pytest.mark.parametrize(
    "stored_name",
    [
        '../../etc/passwd"; filename=evil.exe',
        "informe\u202efdp.exe.pdf",
        "línea\r\nX-Injected: 1.pdf",
        "C:\\Windows\\system32\\cmd.pdf",
        "",
    ],
)
def test_the_evidence_download_header_is_safe_whatever_name_was_stored(
    stored_name, media, draft_assessment, auditora, client
):
    """Even a name written straight into the database (an old import, a bug elsewhere) is served
    as an attachment with a name that has no path, no control or bidi characters, and no way out
    of its quotes."""
    from django.core.files.base import ContentFile

    from obligations.models import Evidence

    evidence = Evidence(
        assessment=draft_assessment,
        title="Oficio",
        fact_date=date(2020, 1, 1),
        original_filename=stored_name,
        confidential=True,
    )
    evidence.file.save("x.pdf", ContentFile(PDF_BYTES), save=False)
    evidence.save()
    client.force_login(auditora)
    response = client.get(f"/evidencias/{evidence.pk}/descargar/")
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    disposition, params = parse_header_parameters(header)
    assert disposition == "attachment"
    assert set(params) <= {"filename", "filename*"}  # nothing smuggled in
    name = params.get("filename*") or params["filename"]
    name = unquote(name.split("''", 1)[1]) if "''" in name else name
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response["Content-Type"].startswith(("text/html", "image/svg", "application/xhtml", "text/xml"))
