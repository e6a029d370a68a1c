"""Views of the obligations app: the permission-checked evidence download."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from lib.downloads import PRIVATE, attachment_response
from lib.uploads import ALLOWED_TYPES, extension_of
from obligations.models import Evidence


@login_required
@require_GET
def evidence_download(request, pk: int):
    """Serve an evidence file to whoever may see it (Evidence.objects.visible_to), 404 to
    anyone else. Always as an attachment, with a safe name and no content sniffing."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user).select_related("assessment"), pk=pk)
    return evidence_response(evidence, cache=PRIVATE)


def evidence_response(evidence, cache: str):
    """The evidence's file as an attachment (shared by the private and the public download)."""
    name = evidence.download_name
    content_type = evidence.content_type or ALLOWED_TYPES.get(extension_of(name), ("application/octet-stream",))[0]
    return attachment_response(evidence.file, name, content_type, cache=cache)
