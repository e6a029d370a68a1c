"""The liaisons' side of information requests (auditors prepare and send them in the admin).

Every object is fetched through a `visible_to(user)` queryset (agencies.policy): another agency's
request, answer or document is a 404. Whether an answer can still be written is the answer's own
rule (`Answer.edit_refusal`), shown on the page before anybody types.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies import policy
from information_requests.choices import AddresseeStatus, RequestState
from information_requests.forms import AnswerForm
from information_requests.models import Answer, AnswerDocument, RequestAddressee, RequestAttachment
from information_requests.services import answer_for, locked_ratings, save_answer
from lib.downloads import attachment_response


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
        .filter(request__state=RequestState.SENT)
        .with_progress()
        .select_related("agency", "request__cycle")
        .order_by("request__due_date", "agency__acronym")
    )
    rows = [(a, a.status(today)) for a in addressees]
    return render(
        request,
        "information_requests/list.html",
        {"rows": rows, "today": today, "open_rows": [r for r in rows if r[1] != AddresseeStatus.ANSWERED]},
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
    # Said on the list, before the liaison opens an answer: these ratings no longer take answers.
    locked = {
        rating.obligation_id for rating in locked_ratings(info_request) if rating.agency_id == addressee.agency_id
    }
    return render(
        request,
        "information_requests/detail.html",
        {
            "addressee": addressee,
            "info_request": info_request,
            "items": items,
            "locked": locked,
            "attachments": info_request.attachments.all(),
            "indicators": info_request.indicators.order_by("code"),
            "status": addressee.status(),
            "can_answer": policy.can(request.user, policy.Action.ANSWER, addressee),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request, pk, obligation_id):
    addressee = _addressee_for(request, pk)
    obligation = get_object_or_404(addressee.request.obligations.all(), pk=obligation_id)
    answer = answer_for(addressee, obligation)
    may_answer = policy.can(request.user, policy.Action.ANSWER, addressee)
    # Auditors read submitted answers only; drafts stay with the agency.
    if answer.pk and not answer.is_submitted and not may_answer:
        answer = Answer(addressee=addressee, obligation=obligation)
    refusal = answer.edit_refusal() if may_answer else None
    editable = may_answer and refusal is None
    if request.method == "POST":
        if not may_answer:
            raise Http404
        form = AnswerForm(request.POST, request.FILES)
        if refusal:
            pass  # nothing is saved; the page says why (once)
        elif form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                save_answer(
                    addressee,
                    obligation,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    fact_date=form.cleaned_data["fact_date"],
                    files=form.cleaned_data["documents"],
                    submit=submit,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if submit:
                    messages.success(request, _("Respuesta enviada. Ya forma parte de la evidencia de la evaluación."))
                    return redirect("information_requests:detail", pk=addressee.pk)
                messages.success(request, _("Borrador guardado."))
                return redirect("information_requests:answer", pk=addressee.pk, obligation_id=obligation.pk)
    else:
        form = AnswerForm(initial={"text": answer.text, "fact_date": answer.fact_date})
    return render(
        request,
        "information_requests/answer.html",
        {
            "addressee": addressee,
            "info_request": addressee.request,
            "obligation": obligation,
            "answer": answer,
            "documents": answer.documents.all() if answer.pk else [],
            "form": form,
            "editable": editable,
            "refusal": refusal,
        },
    )


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(RequestAttachment.objects.visible_to(request.user), pk=pk)
    return attachment_response(attachment.file, attachment.download_name)


@login_required
@require_GET
def answer_document_download(request, pk):
    document = get_object_or_404(AnswerDocument.objects.visible_to(request.user), pk=pk)
    return attachment_response(document.file, document.download_name)
