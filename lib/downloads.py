"""One way to hand a stored file to a browser: always an attachment (never rendered inline),
with a safe file name, no content sniffing and an explicit cache policy. Every download view
(evidence, answer documents, PDF reports; private and public) goes through it."""

import mimetypes

from django.http import FileResponse, Http404

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
