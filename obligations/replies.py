"""The right of reply: the agency's answer to a validated rating, and the auditors' answer to it.

- file_reply: one reply per validated rating, before the cycle is published (a liaison of the agency).
- reply_answer_errors: what keeps an answer to a reply from standing (the service and the admin form).
- answer_reply: the rating is kept or changed, always with a reason, recorded in its history.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import policy
from obligations.choices import ReplyOutcome, Status
from obligations.models import Assessment, Reply, ReplyDocument
from obligations.models.files import files_removed_if_failed

logger = logging.getLogger(__name__)


def file_reply(assessment: Assessment, *, by, text: str, files: Iterable = ()) -> Reply:
    """The agency's reply to a validated rating: one per rating, before the cycle is published.
    `files`: uploads, or (upload, UploadInfo) pairs already checked by the form."""
    if not policy.can(by, policy.Action.FILE_REPLY, assessment):
        raise PermissionDenied
    refusal = Reply.filing_refusal(assessment)
    if refusal:
        raise ValidationError(refusal)
    if not text.strip():
        raise ValidationError(_("Escriba el texto de la réplica."))
    try:
        with files_removed_if_failed(), transaction.atomic():
            reply = Reply(assessment=assessment, text=text, filed_by=by, status_at_filing=assessment.status)
            reply._history_user = by
            reply.save()
            ReplyDocument.store(files, by, reply=reply)
    except IntegrityError as exc:
        raise ValidationError(_("Ya se presentó una réplica para esta calificación.")) from exc
    logger.info("reply_filed reply=%s assessment=%s", reply.pk, assessment.pk)
    return reply


def reply_answer_errors(reply: Reply, *, outcome: str, response: str, new_status: str = "") -> list[str]:
    """What keeps an answer to a reply from standing (shared by the service and the admin form)."""
    errors = []
    assessment = reply.assessment
    refusal = reply.answer_refusal()
    if refusal:
        errors.append(refusal)
    if not (response or "").strip():
        errors.append(_("Explique el motivo de la respuesta."))
    if outcome not in ReplyOutcome.values:
        errors.append(_("Indique si la calificación se mantiene o se modifica."))
    elif outcome == ReplyOutcome.CHANGED:
        if new_status not in Status.values:
            errors.append(_("Indique el estatus nuevo."))
        elif new_status == assessment.status:
            errors.append(_("El estatus nuevo es igual al actual; elija «se mantiene»."))
        else:
            candidate = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
            candidate.status = new_status
            for messages_ in candidate.rating_errors().values():
                errors.extend(str(m) for m in messages_)
    return errors


def answer_reply(reply: Reply, *, by, outcome: str, response: str, new_status: str = "") -> Reply:
    """The auditors' answer to a reply: the rating is kept or changed, always with a reason.
    A change updates the validated rating (its rules still apply) and is recorded in its
    history with the reason."""
    if not policy.can(by, policy.Action.ANSWER_REPLY, reply):
        raise PermissionDenied
    errors = reply_answer_errors(reply, outcome=outcome, response=response, new_status=new_status)
    if errors:
        raise ValidationError(errors)
    if outcome != ReplyOutcome.CHANGED:
        new_status = ""
    now = timezone.now()
    with transaction.atomic():
        claimed = Reply.objects.filter(pk=reply.pk, answered_at__isnull=True).update(
            outcome=outcome, response=response, new_status=new_status, answered_by=by, answered_at=now
        )
        if claimed != 1:
            raise ValidationError(_("Esta réplica ya fue respondida."))
        reply.refresh_from_db()
        # The conditional update skipped simple_history: record the answer in the trail.
        reply._history_user = by
        reply._change_reason = "answered"
        reply.save()
        if outcome == ReplyOutcome.CHANGED:
            assessment = (
                Assessment.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=reply.assessment_id)
            )
            assessment.status = new_status
            errors = assessment.rating_errors()
            if errors:
                raise ValidationError(errors)
            assessment.version += 1
            assessment._history_user = by
            assessment._change_reason = (_("Réplica: %(reason)s") % {"reason": response})[:100]
            assessment.save()
    logger.info("reply_answered reply=%s outcome=%s", reply.pk, outcome)
    return reply
