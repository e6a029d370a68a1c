"""One way to hand a download to a browser: always an attachment (never rendered inline), with a
safe file name, no content sniffing and an explicit cache policy. Every download view goes through
it: stored files (evidence, documents, PDF reports; private and public) with `attachment_response`,
generated data (CSV, JSON) with `table_response`."""

import io
import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from lib.tabular import FORMATS, write

PRIVATE = "private, no-store"
PUBLIC = "public, max-age=3600"


def attachment_response(fieldfile, filename: str, content_type: str | None = None, cache: str = PRIVATE):
    """A FileResponse for `fieldfile`; 404 when there is no file or it vanished from storage."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


def data_response(content: str | bytes, filename: str, content_type: str, cache: str = PRIVATE):
    """Generated data (CSV, JSON) as an attachment, with the same headers as stored files."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


def table_response(rows, columns, fmt: str, stem: str, cache: str = PRIVATE):
    """Rows as a CSV or JSON download named `<stem>.<fmt>` (lib.tabular writes them)."""
    buffer = io.StringIO()
    write(rows, columns, fmt, buffer)
    return data_response(buffer.getvalue(), f"{stem}.{fmt}", FORMATS[fmt], cache=cache)
