"""Checking uploaded files before they are stored: evidence, liaison answers.

`validate_upload(uploaded_file) -> UploadInfo` is the one entry point. It streams the file
once (computing SHA-256 and the size as it goes, stopping at the size limit), then checks that
the content is what the extension says:

- PDF, PNG, JPEG: magic bytes at offset 0;
- DOCX, XLSX: a ZIP container whose ``[Content_Types].xml`` declares the main part of a Word
  document / Excel workbook (macro-enabled variants and VBA projects are refused);
- ODT, ODS: a ZIP container whose first entry ``mimetype`` holds the OpenDocument type;
- CSV: text (UTF-8, or Windows-1252 as Excel in Spanish writes it), no NUL or other control bytes.

ZIP containers are never extracted; their central directory is read to refuse zip bombs (total
uncompressed size, compression ratio, entry count) and encrypted entries.

The original file name is kept for display only, made safe (`safe_filename`): no directories,
no control characters, no bidirectional overrides (``invoice\u202efdp.exe`` shows as
``invoiceexe.pdf``), no leading dots.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> (canonical MIME type, human label)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument (ODT)"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument (ODS)"),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPEG"),
    "jpeg": ("image/jpeg", "JPEG"),
    "csv": ("text/csv", "CSV"),
}

# The main part a genuine OOXML file declares in [Content_Types].xml.
OOXML_MAIN_PART = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
ZIP_MAGIC = b"PK\x03\x04"

# Zip-bomb limits (overridable in settings).
DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DEFAULT_MAX_RATIO = 100
DEFAULT_MAX_ENTRIES = 5000

CHUNK = 64 * 1024
MAX_NAME = 150


@dataclass(frozen=True)
class UploadInfo:
    original_name: str  # safe for display and for Content-Disposition
    extension: str  # lower case, without the dot
    content_type: str  # canonical MIME type for the extension (never the browser's claim)
    size: int
    sha256: str
    label: str


_STRIP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def safe_filename(name: str, default: str = "archivo") -> str:
    """A display name with no path, no control/format characters (bidi overrides, zero-width
    characters), no leading dots or spaces, at most MAX_NAME characters (extension kept)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if ch in "\t\n\r" else ch for ch in name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _STRIP_CATEGORIES)
    name = " ".join(name.split())
    name = name.strip(" .")
    if not name:
        return default
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 8:
            name = stem[: MAX_NAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME]
    return name


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def allowed_extensions_text() -> str:
    return ", ".join(sorted({ext.upper() for ext in ALLOWED_TYPES}))


def _stream(uploaded_file, max_bytes: int) -> tuple[bytes, int, str]:
    """Read the file once: its first bytes, its size and SHA-256; stop past the limit."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    chunks = (
        uploaded_file.chunks(CHUNK)
        if hasattr(uploaded_file, "chunks")
        else iter(lambda: uploaded_file.read(CHUNK), b"")
    )
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise ValidationError(
                _("El archivo pesa más de %(limit)s, el máximo permitido.") % {"limit": filesizeformat(max_bytes)},
                code="too_large",
            )
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return head, size, digest.hexdigest()


def _mismatch(label: str) -> ValidationError:
    return ValidationError(
        _("El contenido del archivo no corresponde a su extensión: no es un archivo %(label)s válido.")
        % {"label": label},
        code="content_mismatch",
    )


def _check_zip(uploaded_file, ext: str, label: str, compressed_size: int) -> None:
    max_total = getattr(settings, "UPLOAD_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    max_ratio = getattr(settings, "UPLOAD_MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO)
    max_entries = getattr(settings, "UPLOAD_MAX_ZIP_ENTRIES", DEFAULT_MAX_ENTRIES)
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > max_entries:
                raise _mismatch(label)
            total = sum(info.file_size for info in infos)
            if total > max_total or total > max_ratio * max(compressed_size, 1):
                raise ValidationError(
                    _("El archivo comprimido se expande de forma anómala (posible bomba ZIP); no se acepta."),
                    code="zip_bomb",
                )
            if any(info.flag_bits & 0x1 for info in infos):
                raise ValidationError(_("El archivo está cifrado; súbalo sin contraseña."), code="encrypted")
            names = {info.filename for info in infos}
            if ext in ("odt", "ods"):
                first = infos[0]
                if first.filename != "mimetype" or first.file_size > 200:
                    raise _mismatch(label)
                if archive.read(first).decode("ascii", "replace").strip() != ALLOWED_TYPES[ext][0]:
                    raise _mismatch(label)
            else:
                if "[Content_Types].xml" not in names:
                    raise _mismatch(label)
                content_types = archive.getinfo("[Content_Types].xml")
                if content_types.file_size > 1024 * 1024:
                    raise _mismatch(label)
                declared = archive.read(content_types).decode("utf-8", "replace")
                if OOXML_MAIN_PART[ext] not in declared:
                    raise _mismatch(label)
                if "macroEnabled" in declared or any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise ValidationError(_("No se aceptan documentos con macros."), code="macros")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, KeyError, EOFError) as exc:
        raise _mismatch(label) from exc
    finally:
        uploaded_file.seek(0)


_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


def _check_text(head: bytes, uploaded_file, label: str) -> None:
    """CSV: decodes as UTF-8 (or Windows-1252) text without binary control bytes."""
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    if b"\x00" in data:
        raise _mismatch(label)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _mismatch(label)
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text):
        raise _mismatch(label)


def validate_upload(uploaded_file, max_bytes: int | None = None) -> UploadInfo:
    """Check an uploaded file (a Django UploadedFile or any object with read/seek and a `name`).

    Raises ValidationError (Spanish message) when the file is empty, too large, of a type not
    allowed, or its content does not match its extension. Returns what to store about it."""
    if max_bytes is None:
        max_bytes = settings.EVIDENCE_MAX_BYTES
    original = safe_filename(getattr(uploaded_file, "name", "") or "")
    ext = extension_of(original)
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            _("Tipo de archivo no permitido. Se aceptan: %(types)s.") % {"types": allowed_extensions_text()},
            code="extension",
        )
    content_type, label = ALLOWED_TYPES[ext]
    head, size, sha256 = _stream(uploaded_file, max_bytes)
    if size == 0:
        raise ValidationError(_("El archivo está vacío."), code="empty")
    if ext in MAGIC:
        if not head.startswith(MAGIC[ext]):
            raise _mismatch(label)
    elif ext in ("docx", "xlsx", "odt", "ods"):
        if not head.startswith(ZIP_MAGIC):
            raise _mismatch(label)
        _check_zip(uploaded_file, ext, label, size)
    elif ext == "csv":
        _check_text(head, uploaded_file, label)
    return UploadInfo(
        original_name=original, extension=ext, content_type=content_type, size=size, sha256=sha256, label=label
    )
