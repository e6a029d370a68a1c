"""lib.uploads.validate_upload: size, type, content (magic bytes, ZIP containers), hash, names."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from lib.uploads import safe_filename, validate_upload
from tests.obligations.workflow_factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, ooxml, opendocument, upload


def refused(f, **kwargs):
    with pytest.raises(ValidationError) as exc:
        validate_upload(f, **kwargs)
    return " ".join(exc.value.messages)


def test_it_accepts_a_pdf_and_hashes_it():
    info = validate_upload(upload("informe.pdf", PDF_BYTES))
    assert info.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert info.size == len(PDF_BYTES)
    assert info.content_type == "application/pdf"
    assert info.original_name == "informe.pdf"


def test_the_hash_is_computed_over_every_chunk():
    big = PDF_BYTES + b"x" * (200 * 1024)
    assert validate_upload(upload("grande.pdf", big)).sha256 == hashlib.sha256(big).hexdigest()


def test_an_executable_named_pdf_is_refused():
    assert "no corresponde a su extensión" in refused(upload("oficio.pdf", EXE_BYTES))


def test_an_oversized_file_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    message = refused(upload("grande.pdf", PDF_BYTES + b"0" * 2000))
    assert "pesa más de" in message


def test_a_disallowed_extension_is_refused():
    assert "Tipo de archivo no permitido" in refused(upload("script.exe", EXE_BYTES))
    assert "Tipo de archivo no permitido" in refused(upload("sin-extension", PDF_BYTES))


def test_an_empty_file_is_refused():
    assert "vacío" in refused(upload("vacio.pdf", b""))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", PNG_BYTES),
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("oficio.docx", ooxml("docx")),
        ("tabla.xlsx", ooxml("xlsx")),
        ("texto.odt", opendocument()),
        ("hoja.ods", opendocument("application/vnd.oasis.opendocument.spreadsheet")),
        ("datos.csv", "año,víctimas\n2019,12\n".encode()),
        ("datos-excel.csv", "año;víctimas\r\n2019;12\r\n".encode("cp1252")),
    ],
)
def test_each_allowed_type_is_accepted(name, content):
    assert validate_upload(upload(name, content)).size == len(content)


def test_a_plain_zip_renamed_docx_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("payload.bin", "hola")
    assert "no corresponde" in refused(upload("oficio.docx", buf.getvalue()))


def test_an_xlsx_renamed_docx_is_refused():
    assert "no corresponde" in refused(upload("oficio.docx", ooxml("xlsx")))


def test_a_macro_enabled_workbook_is_refused():
    content = ooxml("xlsx", extra={"xl/vbaProject.bin": b"\x00" * 10})
    assert "macros" in refused(upload("tabla.xlsx", content))


def test_an_odt_with_the_wrong_mimetype_entry_is_refused():
    assert "no corresponde" in refused(upload("texto.odt", opendocument("application/x-evil")))


def test_a_zip_bomb_is_refused():
    content = ooxml("docx", extra={"word/bomb.xml": b"0" * (20 * 1024 * 1024)})
    assert "bomba ZIP" in refused(upload("oficio.docx", content))


def test_a_binary_csv_is_refused():
    assert "no corresponde" in refused(upload("datos.csv", b"a,b\n\x00\x01\x02"))
    assert "no corresponde" in refused(upload("datos.csv", EXE_BYTES))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ana\\oficio.pdf", "oficio.pdf"),
        ("factura\u202efdp.exe", "facturafdp.exe"),
        ("a\x00b\x1f.pdf", "ab.pdf"),
        ("  ..oculto.pdf", "oculto.pdf"),
        ("", "archivo"),
        ("informe\u200b final.pdf", "informe final.pdf"),
    ],
)
def test_original_names_are_made_safe(raw, expected):
    assert safe_filename(raw) == expected


def test_a_bidi_trick_cannot_disguise_the_extension():
    # Shown as "…exe.pdf" by a browser, really "…fdp.exe": stripped, the real extension is refused.
    assert "Tipo de archivo no permitido" in refused(upload("oficio\u202efdp.exe", PDF_BYTES))


def test_very_long_names_keep_their_extension():
    name = safe_filename("x" * 400 + ".pdf")
    assert len(name) <= 150 and name.endswith(".pdf")
