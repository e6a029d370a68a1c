"""Views of the obligations app on the site: the permission-checked evidence download and the
agencies' right of reply to validated ratings (auditors answer replies in the admin).

Every object comes through a `visible_to(user)` queryset (agencies.policy): outside the user's
scope it is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies import policy
from lib.downloads import PRIVATE, attachment_response
from lib.uploads import ALLOWED_TYPES, extension_of
from obligations.choices import CycleState, WorkflowState
from obligations.forms import ReplyForm
from obligations.models import Assessment, Evidence, Reply, ReplyDocument
from obligations.replies import file_reply


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


# --- Right of reply ---------------------------------------------------------------------


def _replyable(user):
    """The user's agencies' validated ratings in cycles not yet published."""
    return (
        Assessment.objects.visible_to(user)
        .filter(agency_id__in=policy.liaison_agency_ids(user), workflow_state=WorkflowState.VALIDATED)
        .exclude(cycle__state=CycleState.PUBLISHED)
    )


@login_required
@require_GET
def reply_list(request):
    assessments = (
        _replyable(request.user)
        .select_related("cycle", "agency", "obligation")
        .prefetch_related(Prefetch("reply", queryset=Reply.objects.all()))
        .order_by("cycle__slug", "agency__acronym", "obligation__code")
    )
    return render(request, "replies/reply_list.html", {"assessments": assessments})


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request, assessment_id):
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user)
        .filter(agency_id__in=policy.liaison_agency_ids(request.user), workflow_state=WorkflowState.VALIDATED)
        .select_related("cycle", "agency", "obligation"),
        pk=assessment_id,
    )
    reply = Reply.objects.filter(assessment=assessment).prefetch_related("documents").first()
    can_file = reply is None and Reply.filing_refusal(assessment) is None
    form = ReplyForm()
    if request.method == "POST":
        if not can_file:
            raise Http404
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                file_reply(
                    assessment, by=request.user, text=form.cleaned_data["text"], files=form.cleaned_data["documents"]
                )
                messages.success(request, _("Réplica presentada. El equipo auditor la responderá antes de publicar."))
                return redirect("replies:reply", assessment_id=assessment.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    evidence = Evidence.objects.visible_to(request.user).filter(assessment=assessment)
    return render(
        request,
        "replies/reply.html",
        {"assessment": assessment, "reply": reply, "form": form, "can_file": can_file, "evidence": evidence},
    )


@login_required
@require_GET
def reply_document_download(request, pk):
    document = get_object_or_404(ReplyDocument.objects.visible_to(request.user), pk=pk)
    return attachment_response(document.file, document.download_name)
