import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

from information_requests.services import send_due_reminders

logger = logging.getLogger(__name__)


@shared_task(name="information_requests.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Hourly on working days (beat, compliance.celery): e-mail the liaisons of agencies that
    still owe answers, 5 and 1 business days before the due date and the day after it.
    Idempotent: one reminder per stage and agency (ReminderSent), so running it twice, or on two
    workers, sends nothing twice."""
    with translation.override(settings.LANGUAGE_CODE):
        sent = send_due_reminders()
    logger.info("request_reminders sent=%s", sent)
    return sent
