"""Views of the obligations app: the permission-checked evidence download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from lib.uploads import ALLOWED_TYPES, extension_of
from obligations.models import Evidence


@login_required
@require_GET
def evidence_download(request, pk: int):
    """Serve an evidence file to whoever may see it (Evidence.objects.visible_to), 404 to
    anyone else. Always as an attachment, with a safe name and no content sniffing."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user).select_related("assessment"), pk=pk)
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = evidence.download_name
    content_type = evidence.content_type or ALLOWED_TYPES.get(extension_of(name), ("application/octet-stream",))[0]
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
