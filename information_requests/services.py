"""Domain actions of information requests.

Each function makes one state change plus its records; views, the admin and the reminder
task call these, never reimplement them.

- send_request: draft → sent, e-mail the addressed agencies' liaisons.
- save_answer / submit_answer: the liaison's answer per obligation; on submission it becomes
  Evidence on the matching assessment ("aportada por la dependencia").
- no_information_suggestions: overdue, unanswered items feed the `no_information` suggestion.
- send_due_reminders: 5 and 1 business days before the due date and the day after it (once each).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import policy
from information_requests.choices import AnswerState, ReminderStage, RequestState
from information_requests.models import Answer, AnswerDocument, InformationRequest, ReminderSent, RequestAddressee
from lib.business_days import add_business_days
from obligations.choices import CycleState, EvidenceKind
from obligations.models import Assessment
from obligations.models.files import files_removed_if_failed
from obligations.services import add_evidence

logger = logging.getLogger(__name__)


def due_date_for(sent_on: date, business_days: int) -> date:
    """The due date of a term of `business_days` business days counted from `sent_on`."""
    return add_business_days(sent_on, business_days)


def _absolute(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _mail_liaisons(addressee: RequestAddressee, template: str, subject: str, extra: dict | None = None) -> list[str]:
    """E-mail the active liaisons of an addressed agency (Spanish, whatever the request language)."""
    recipients = addressee.liaison_emails()
    if not recipients:
        logger.warning("request_mail_no_recipients addressee=%s agency=%s", addressee.pk, addressee.agency.acronym)
        return []
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "addressee": addressee,
            "request": addressee.request,
            "agency": addressee.agency,
            "url": _absolute(reverse("information_requests:detail", args=[addressee.pk])),
            **(extra or {}),
        }
        body = render_to_string(template, context)
        message = EmailMessage(subject=str(subject), body=body, to=[settings.DEFAULT_FROM_EMAIL], bcc=recipients)
    message.send()
    return recipients


# --- Sending ----------------------------------------------------------------------------


def send_request(info_request: InformationRequest, *, by) -> int:
    """Send a draft request: it becomes visible to the addressed agencies' liaisons, who get an
    e-mail. Returns the number of agencies notified. Idempotent: sending twice is refused."""
    if not policy.can(by, policy.Action.SEND_REQUEST, info_request):
        raise PermissionDenied
    refusal = info_request.change_refusal()
    if refusal:
        raise ValidationError(refusal)
    if not info_request.obligations.exists():
        raise ValidationError(_("Indique al menos una obligación."))
    if not info_request.addressees.exists():
        raise ValidationError(_("Indique al menos una dependencia destinataria."))
    locked = locked_ratings(info_request)
    if locked:
        # An answer about a validated (or published) rating could never become evidence.
        raise ValidationError(
            _(
                "«%(request)s» no se envió: pregunta por calificaciones ya validadas (%(ratings)s), "
                "que la dependencia no podría responder. Quítelas de la solicitud o devuelva las "
                "calificaciones a borrador."
            )
            % {
                "request": info_request,
                "ratings": ", ".join(f"{r.agency.acronym} · {r.obligation.code}" for r in locked),
            },
            code="locked_ratings",
        )
    now = timezone.now()
    with transaction.atomic():
        claimed = InformationRequest.objects.filter(pk=info_request.pk, state=RequestState.DRAFT).update(
            state=RequestState.SENT, sent_by=by, sent_at=now
        )
        if claimed != 1:
            raise ValidationError(_("La solicitud ya fue enviada."))
        info_request.refresh_from_db()
        # The conditional update skipped simple_history: record the sending in the trail.
        info_request._history_user = by
        info_request._change_reason = "sent"
        info_request.save(update_fields=["state"])
        notified = 0
        for addressee in info_request.addressees.select_related("agency", "request"):
            subject = _("Solicitud de información: %(title)s") % {"title": info_request.title}
            if _mail_liaisons(addressee, "information_requests/email/request_sent.txt", subject):
                notified += 1
            addressee.notified_at = now
            addressee.save(update_fields=["notified_at"])
    logger.info(
        "request_sent request=%s agencies=%s notified=%s", info_request.pk, info_request.agencies.count(), notified
    )
    return notified


# --- Answers ----------------------------------------------------------------------------


def _check_liaison(addressee: RequestAddressee, user) -> None:
    if not policy.can(user, policy.Action.ANSWER, addressee) or not addressee.request.is_sent:
        raise PermissionDenied


def answer_for(addressee: RequestAddressee, obligation) -> Answer:
    """The answer row of an obligation (unsaved when none yet)."""
    answer = addressee.answers.filter(obligation=obligation).first()
    return answer or Answer(addressee=addressee, obligation=obligation)


def _locked_answer(addressee: RequestAddressee, obligation) -> Answer:
    """The answer of one obligation, its addressee row locked until the end of the transaction:
    two tabs (or two liaisons) answering the same request take turns, and the first save of an
    answer cannot be made twice."""
    RequestAddressee.objects.select_for_update().filter(pk=addressee.pk).first()
    answer = Answer.objects.select_for_update().filter(addressee=addressee, obligation=obligation).first()
    return answer or Answer(addressee=addressee, obligation=obligation)


def save_answer(
    addressee: RequestAddressee,
    obligation,
    *,
    by,
    text: str = "",
    fact_date: date | None = None,
    files: Iterable = (),
    submit: bool = False,
) -> Answer:
    """Create or update the draft answer of one obligation with any uploaded documents, and with
    `submit=True` send it, all in one transaction: what was typed is either saved (and sent)
    whole or not at all. `files`: uploads, or (upload, UploadInfo) pairs a form already checked."""
    _check_liaison(addressee, by)
    if not addressee.request.obligations.filter(pk=obligation.pk).exists():
        raise ValidationError(_("Esa obligación no forma parte de la solicitud."))
    with files_removed_if_failed(), transaction.atomic():
        answer = _locked_answer(addressee, obligation)
        refusal = answer.edit_refusal()
        if refusal:
            raise ValidationError(refusal)
        answer.text = text
        answer.fact_date = fact_date
        answer.updated_by = by
        answer._history_user = by
        answer.save()
        AnswerDocument.store(files, by, answer=answer)
        if submit:
            _submit(answer, by)
    return answer


def submit_answer(answer: Answer, *, by) -> Answer:
    """Send a stored draft answer as it is (see `_submit`)."""
    addressee = answer.addressee
    _check_liaison(addressee, by)
    with files_removed_if_failed(), transaction.atomic():
        current = _locked_answer(addressee, answer.obligation)
        if current.pk is None:
            raise ValidationError(_("Guarde la respuesta antes de enviarla."))
        refusal = current.edit_refusal()
        if refusal:
            raise ValidationError(refusal)
        _submit(current, by)
    answer.refresh_from_db()
    return answer


def _matching_assessment(answer: Answer, by) -> Assessment:
    """The assessment of the answered obligation for the agency in the request's cycle; created
    (empty draft) when the auditors asked an agency about an obligation not planned for it."""
    assessment = answer.matching_assessment()
    if assessment is None:
        addressee = answer.addressee
        assessment = Assessment(cycle=addressee.request.cycle, agency=addressee.agency, obligation=answer.obligation)
        assessment._history_user = by
        assessment._change_reason = "information request"
        assessment.save()
    return assessment


def _submit(answer: Answer, by) -> None:
    """Send a draft answer (locked by the caller, its refusals checked): it becomes read-only and
    becomes evidence on the matching assessment (obligations.services.add_evidence), marked as
    provided by the agency with the liaison as submitter. Items stay confidential until an
    auditor marks a redacted copy as publishable. Refused when the matching rating is validated:
    from then on the agency's channel is the right of reply."""
    info_request = answer.addressee.request
    documents = list(answer.documents.all())
    if not answer.text.strip() and not documents:
        raise ValidationError(_("Escriba una respuesta o adjunte al menos un documento antes de enviarla."))
    now = timezone.now()
    assessment = _matching_assessment(answer, by)
    fact_date = answer.fact_date or timezone.localdate(now)
    reference = _("Solicitud %(ref)s") % {"ref": info_request.reference or f"#{info_request.pk}"}
    common = {
        "fact_date": fact_date,
        "source_reference": reference[:255],
        "confidential": True,
        "provided_by_agency": True,
    }
    text_evidence = None
    if answer.text.strip():
        text_evidence = add_evidence(
            assessment,
            by,
            kind=EvidenceKind.OFFICIAL_REPLY,
            title=(_("Respuesta a «%(title)s»") % {"title": info_request.title})[:255],
            description=answer.text,
            **common,
        )
    for document in documents:
        # A copy under the evidence folder (checked again by the evidence rules): the evidence
        # must not depend on the answer's file.
        with document.file.open("rb") as source:
            upload = File(source, name=document.original_filename or "documento")
            evidence = add_evidence(
                assessment,
                by,
                upload=upload,
                title=(document.title or document.original_filename)[:255],
                description=_("Documento anexo a la respuesta a «%(title)s».") % {"title": info_request.title},
                **common,
            )
        document.evidence = evidence
        document.save(update_fields=["evidence"])
    answer.state = AnswerState.SUBMITTED
    answer.submitted_by = by
    answer.submitted_at = now
    answer.updated_by = by
    answer.assessment = assessment
    answer.evidence = text_evidence
    answer._history_user = by
    answer._change_reason = "submitted"
    answer.save()
    logger.info("answer_submitted answer=%s assessment=%s documents=%s", answer.pk, assessment.pk, len(documents))


# --- Status per agency and the no_information suggestion ----------------------------------


@dataclass(frozen=True)
class AddresseeRow:
    agency: object
    status: str
    status_label: str
    submitted: int
    expected: int


def request_progress(info_request: InformationRequest, today: date | None = None) -> list[AddresseeRow]:
    """answered / partially answered / overdue / pending, per addressed agency (two queries)."""
    today = today or timezone.localdate()
    rows = []
    for addressee in info_request.addressees.with_progress().select_related("agency", "request"):
        submitted, expected = addressee.progress()
        status = addressee.status(today)
        rows.append(AddresseeRow(addressee.agency, status, addressee.get_status_display(today), submitted, expected))
    return rows


def no_information_suggestions(cycle, today: date | None = None) -> set[tuple[int, int]]:
    """(agency_id, obligation_id) pairs of a cycle that a sent request asked about, whose due
    date has passed and that the agency has not answered: the `no_information` status is
    suggested for them (CNDH 2019 ¶23: evasive or missing answers). The auditor decides."""
    today = today or timezone.localdate()
    asked = set(
        InformationRequest.obligations.through.objects.filter(
            informationrequest__cycle=cycle,
            informationrequest__state=RequestState.SENT,
            informationrequest__due_date__lt=today,
        ).values_list("informationrequest_id", "obligation_id")
    )
    if not asked:
        return set()
    addressees = RequestAddressee.objects.filter(
        request__cycle=cycle, request__state=RequestState.SENT, request__due_date__lt=today
    ).values_list("pk", "request_id", "agency_id")
    answered = set(
        Answer.objects.filter(addressee__request__cycle=cycle, state=AnswerState.SUBMITTED).values_list(
            "addressee__agency_id", "obligation_id"
        )
    )
    suggestions = set()
    for _pk, request_id, agency_id in addressees:
        for asked_request, obligation_id in asked:
            if asked_request == request_id and (agency_id, obligation_id) not in answered:
                suggestions.add((agency_id, obligation_id))
    return suggestions


def locked_ratings(info_request: InformationRequest) -> list[Assessment]:
    """The ratings a request asks about (its agencies × its obligations) that are already validated,
    or frozen by a published cycle: an answer about them can no longer become evidence. The
    auditor sees them before sending; the liaison sees the same rule per answer
    (Answer.edit_refusal)."""
    if not info_request.pk:
        return []
    ratings = (
        Assessment.objects.filter(
            cycle_id=info_request.cycle_id,
            agency__in=info_request.addressees.values("agency"),
            obligation__in=info_request.obligations.all(),
        )
        .select_related("cycle", "agency", "obligation")
        .order_by("agency__acronym", "obligation__code")
    )
    return [rating for rating in ratings if rating.is_locked]


def suggests_no_information(assessment: Assessment, today: date | None = None) -> bool:
    """True when an overdue request asked this agency about this obligation without an answer."""
    return (assessment.agency_id, assessment.obligation_id) in no_information_suggestions(assessment.cycle, today)


# --- Reminders --------------------------------------------------------------------------


def reminder_stage(info_request: InformationRequest, today: date) -> str | None:
    """The reminder stage due today for a sent request, or None.

    Stages start 5 business days before the due date, 1 business day before it, and the day
    after it; only the latest stage reached is returned (if the task did not run for a few days
    the liaisons get one reminder, not a burst). A stage that started before the request was
    sent is skipped (the notice itself told them)."""
    due = info_request.due_date
    sent_on = timezone.localdate(info_request.sent_at) if info_request.sent_at else today
    starts = [
        (ReminderStage.OVERDUE, due + timedelta(days=1)),
        (ReminderStage.ONE_DAY_BEFORE, add_business_days(due, -1)),
        (ReminderStage.FIVE_DAYS_BEFORE, add_business_days(due, -5)),
    ]
    for stage, start in starts:
        if today >= start:
            return stage if sent_on < start or stage == ReminderStage.OVERDUE else None
    return None


REMINDER_SUBJECTS = {
    ReminderStage.FIVE_DAYS_BEFORE: gettext_lazy("Recordatorio: la solicitud «%(title)s» vence el %(due)s"),
    ReminderStage.ONE_DAY_BEFORE: gettext_lazy("Último recordatorio: la solicitud «%(title)s» vence el %(due)s"),
    ReminderStage.OVERDUE: gettext_lazy("Solicitud vencida: «%(title)s» venció el %(due)s"),
}


def send_due_reminders(today: date | None = None) -> int:
    """E-mail the liaisons of every agency that still owes answers, once per stage.

    Safe to run any number of times and from several workers at once: the ReminderSent row is
    inserted (unique per addressee and stage) in the same transaction that sends the mail, so a
    stage is recorded once and a failed mail is retried on the next run."""
    today = today or timezone.localdate()
    sent = 0
    horizon = add_business_days(today, 5)
    pending = (
        RequestAddressee.objects.filter(
            request__state=RequestState.SENT,
            request__due_date__lte=horizon,
            request__cycle__state__in=[CycleState.OPEN, CycleState.CLOSED],
        )
        .pending()
        .select_related("agency", "request")
    )
    for addressee in pending:
        stage = reminder_stage(addressee.request, today)
        if stage is None or addressee.reminders.filter(stage=stage).exists():
            continue
        try:
            with transaction.atomic():
                reminder = ReminderSent.objects.create(addressee=addressee, stage=stage)
                subject = str(REMINDER_SUBJECTS[stage]) % {
                    "title": addressee.request.title,
                    "due": addressee.request.due_date.strftime("%d/%m/%Y"),
                }
                recipients = _mail_liaisons(
                    addressee, "information_requests/email/reminder.txt", subject, {"stage": stage, "today": today}
                )
                if not recipients:
                    transaction.set_rollback(True)  # nobody to tell yet: try again when a liaison exists
                    continue
                reminder.recipients = ", ".join(recipients)
                reminder.save(update_fields=["recipients"])
        except IntegrityError:
            continue  # another worker sent this stage
        sent += 1
        logger.info("reminder_sent addressee=%s stage=%s", addressee.pk, stage)
    return sent
