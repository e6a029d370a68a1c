"""The liaisons' side of information requests and the right of reply (auditors use the admin).

Every object is fetched through a `visible_to(user)` queryset: another agency's request,
answer, document or rating is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access
from lib.downloads import attachment_response
from obligations.choices import CycleState, WorkflowState
from obligations.models import (
    Answer,
    AnswerDocument,
    Assessment,
    Evidence,
    Reply,
    ReplyDocument,
    RequestAddressee,
    RequestAttachment,
)
from obligations.request_forms import AnswerForm, ReplyForm
from obligations.request_services import answer_for, file_reply, save_answer, submit_answer


def _addressee_for(request, pk) -> RequestAddressee:
    queryset = RequestAddressee.objects.visible_to(request.user).select_related("agency", "request__cycle")
    return get_object_or_404(queryset, pk=pk)


@login_required
@require_GET
def request_list(request):
    """The requests addressed to the user's agencies (auditors: all sent requests)."""
    today = timezone.localdate()
    addressees = (
        RequestAddressee.objects.visible_to(request.user)
        .filter(request__state="sent")
        .with_progress()
        .select_related("agency", "request__cycle")
        .order_by("request__due_date", "agency__acronym")
    )
    rows = [(a, a.status(today)) for a in addressees]
    return render(
        request,
        "requests/list.html",
        {"rows": rows, "today": today, "open_rows": [r for r in rows if r[1] != "answered"]},
    )


@login_required
@require_GET
def request_detail(request, pk):
    addressee = _addressee_for(request, pk)
    info_request = addressee.request
    answers = {
        answer.obligation_id: answer
        for answer in addressee.answers.prefetch_related("documents").select_related("submitted_by")
    }
    obligations = info_request.obligations.order_by("code")
    items = [(obligation, answers.get(obligation.pk)) for obligation in obligations]
    return render(
        request,
        "requests/detail.html",
        {
            "addressee": addressee,
            "info_request": info_request,
            "items": items,
            "attachments": info_request.attachments.all(),
            "indicators": info_request.indicators.order_by("code"),
            "status": addressee.status(),
            "can_answer": pk_can_answer(request.user, addressee),
        },
    )


def pk_can_answer(user, addressee) -> bool:
    """Only the agency's own liaisons answer, and only until the cycle is published."""
    return addressee.agency_id in access.liaison_agency_ids(user) and addressee.request.cycle.state != (
        CycleState.PUBLISHED
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request, pk, obligation_id):
    addressee = _addressee_for(request, pk)
    obligation = get_object_or_404(addressee.request.obligations.all(), pk=obligation_id)
    answer = answer_for(addressee, obligation)
    # Auditors read submitted answers only; drafts stay with the agency.
    if answer.pk and not answer.is_submitted and not access.liaison_agency_ids(request.user):
        answer = Answer(addressee=addressee, obligation=obligation)
    editable = pk_can_answer(request.user, addressee) and not answer.is_submitted
    if request.method == "POST":
        if not editable:
            raise Http404
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                answer = save_answer(
                    addressee,
                    obligation,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    fact_date=form.cleaned_data["fact_date"],
                    files=form.cleaned_data["documents"],
                )
                if request.POST.get("action") == "submit":
                    submit_answer(answer, by=request.user)
                    messages.success(request, _("Respuesta enviada. Ya forma parte de la evidencia de la evaluación."))
                    return redirect("requests:detail", pk=addressee.pk)
                messages.success(request, _("Borrador guardado."))
                return redirect("requests:answer", pk=addressee.pk, obligation_id=obligation.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    else:
        form = AnswerForm(initial={"text": answer.text, "fact_date": answer.fact_date})
    return render(
        request,
        "requests/answer.html",
        {
            "addressee": addressee,
            "info_request": addressee.request,
            "obligation": obligation,
            "answer": answer,
            "documents": answer.documents.all() if answer.pk else [],
            "form": form,
            "editable": editable,
        },
    )


def _file_response(stored):
    return attachment_response(stored.file, stored.original_filename or "documento")


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(RequestAttachment.objects.select_related("request"), pk=pk)
    if not RequestAddressee.objects.visible_to(request.user).filter(request_id=attachment.request_id).exists():
        raise Http404
    return _file_response(attachment)


@login_required
@require_GET
def answer_document_download(request, pk):
    visible = Answer.objects.visible_to(request.user)
    document = get_object_or_404(AnswerDocument.objects.filter(answer__in=visible), pk=pk)
    return _file_response(document)


# --- Right of reply ---------------------------------------------------------------------


def _replyable(user):
    """The user's agencies' validated ratings in cycles not yet published."""
    return (
        Assessment.objects.visible_to(user)
        .filter(agency_id__in=access.liaison_agency_ids(user), workflow_state=WorkflowState.VALIDATED)
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
    return render(request, "requests/reply_list.html", {"assessments": assessments})


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request, assessment_id):
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user)
        .filter(agency_id__in=access.liaison_agency_ids(request.user), workflow_state=WorkflowState.VALIDATED)
        .select_related("cycle", "agency", "obligation"),
        pk=assessment_id,
    )
    reply = Reply.objects.filter(assessment=assessment).prefetch_related("documents").first()
    can_file = reply is None and assessment.cycle.state != CycleState.PUBLISHED
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
                return redirect("requests:reply", assessment_id=assessment.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    evidence = Evidence.objects.visible_to(request.user).filter(assessment=assessment)
    return render(
        request,
        "requests/reply.html",
        {"assessment": assessment, "reply": reply, "form": form, "can_file": can_file, "evidence": evidence},
    )


@login_required
@require_GET
def reply_document_download(request, pk):
    document = get_object_or_404(
        ReplyDocument.objects.filter(reply__in=Reply.objects.visible_to(request.user)).select_related(
            "reply__assessment"
        ),
        pk=pk,
    )
    # Documents may name victims: like confidential evidence, only within the authorised circle.
    if not access.sees_confidential_of(request.user, document.reply.assessment.agency_id):
        raise Http404
    return _file_response(document)
