"""Reminders: 5 and 1 business days before the due date and the day after; one per stage."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.signals import task_postrun

from information_requests.choices import ReminderStage
from information_requests.models import ReminderSent
from information_requests.services import reminder_stage, save_answer, send_due_reminders, send_request, submit_answer
from information_requests.tasks import send_reminders as send_request_reminders
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import addressee_of, make_request
from tests.support import wait_for

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
DUE = date(2024, 9, 27)  # Friday; 16 Sep (Monday) is a rest day


@pytest.fixture
def request_due_27_sep(cycle, sep, inm, obligations, auditora, enlace_sep, enlace_inm):
    enlace_sep.email = "enlace@sep.gob.mx"
    enlace_sep.save()
    enlace_inm.email = "enlace@inm.gob.mx"
    enlace_inm.save()
    info_request = make_request(cycle, [sep, inm], obligations, due_date=DUE)
    send_request(info_request, by=auditora)
    info_request.sent_at = datetime(2024, 9, 2, 10, tzinfo=MX)
    info_request.save()
    return info_request


def test_stages_follow_business_days(request_due_27_sep):
    r = request_due_27_sep
    assert reminder_stage(r, date(2024, 9, 19)) is None
    assert reminder_stage(r, date(2024, 9, 20)) == ReminderStage.FIVE_DAYS_BEFORE  # 5 business days before
    assert reminder_stage(r, date(2024, 9, 25)) == ReminderStage.FIVE_DAYS_BEFORE
    assert reminder_stage(r, date(2024, 9, 26)) == ReminderStage.ONE_DAY_BEFORE
    assert reminder_stage(r, DUE) == ReminderStage.ONE_DAY_BEFORE
    assert reminder_stage(r, date(2024, 9, 28)) == ReminderStage.OVERDUE


def test_five_days_before_skips_the_holiday():
    from lib.business_days import add_business_days

    # Due Monday 23 Sep 2024: counting back 5 business days skips the weekend and Monday 16 Sep.
    assert add_business_days(date(2024, 9, 23), -5) == date(2024, 9, 13)


def test_reminders_are_sent_once_per_stage(request_due_27_sep, mailoutbox):
    mailoutbox.clear()
    assert send_due_reminders(date(2024, 9, 20)) == 2
    assert send_due_reminders(date(2024, 9, 20)) == 0
    assert send_due_reminders(date(2024, 9, 23)) == 0
    assert len(mailoutbox) == 2
    assert "vence el 27/09/2024" in mailoutbox[0].subject
    assert send_due_reminders(date(2024, 9, 26)) == 2
    assert send_due_reminders(date(2024, 9, 28)) == 2
    assert send_due_reminders(date(2024, 9, 30)) == 0
    assert len(mailoutbox) == 6
    assert "vencida" in mailoutbox[-1].subject.lower()
    stages = sorted(ReminderSent.objects.values_list("addressee__agency__acronym", "stage"))
    assert stages == sorted(
        (agency, stage) for agency in ("SEP", "INM") for stage in ("before_5", "before_1", "overdue")
    )


def test_agencies_that_answered_everything_get_no_reminder(
    request_due_27_sep, sep, obligations, enlace_sep, mailoutbox
):
    for obligation in obligations:
        answer = save_answer(addressee_of(request_due_27_sep, sep), obligation, by=enlace_sep, text="Listo")
        submit_answer(answer, by=enlace_sep)
    mailoutbox.clear()
    assert send_due_reminders(date(2024, 9, 28)) == 1
    assert mailoutbox[0].bcc == ["enlace@inm.gob.mx"]


def test_a_late_run_sends_only_the_latest_stage(request_due_27_sep, mailoutbox):
    mailoutbox.clear()
    assert send_due_reminders(date(2024, 9, 30)) == 2
    assert set(ReminderSent.objects.values_list("stage", flat=True)) == {"overdue"}


def test_a_request_sent_inside_a_window_skips_that_reminder(cycle, sep, obligations, auditora, enlace_sep):
    enlace_sep.email = "enlace@sep.gob.mx"
    enlace_sep.save()
    info_request = make_request(cycle, [sep], obligations, due_date=DUE)
    send_request(info_request, by=auditora)
    info_request.sent_at = datetime(2024, 9, 23, 10, tzinfo=MX)  # after the 5-day mark (20 Sep)
    info_request.save()
    assert reminder_stage(info_request, date(2024, 9, 23)) is None
    assert reminder_stage(info_request, date(2024, 9, 26)) == ReminderStage.ONE_DAY_BEFORE


def test_the_beat_task_runs_the_service(request_due_27_sep, mailoutbox, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2024, 9, 28))
    mailoutbox.clear()
    assert send_request_reminders.apply().get() == 2
    assert send_request_reminders.apply().get() == 0
    assert len(mailoutbox) == 2


def test_the_beat_schedule_has_the_reminder_task():
    from compliance.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "information_requests.send_reminders" in tasks


def test_no_reminders_without_liaison_email_are_recorded(cycle, inm, obligations, auditora, enlace_inm):
    info_request = make_request(cycle, [inm], obligations, due_date=DUE)
    send_request(info_request, by=auditora)
    info_request.sent_at = datetime(2024, 9, 2, tzinfo=MX)
    info_request.save()
    assert send_due_reminders(date(2024, 9, 28)) == 0
    assert not ReminderSent.objects.exists()
    enlace_inm.email = "enlace@inm.gob.mx"
    enlace_inm.save()
    assert send_due_reminders(date(2024, 9, 28) + timedelta(days=1)) == 1


@pytest.fixture
def role_groups(transactional_db):
    """Transactional tests flush the groups the migration created: recreate them first."""
    from django.contrib.auth.models import Group

    from agencies.choices import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_reminders_once(
    role_groups, real_worker, cycle, sep, obligations, auditora, enlace_sep, mailoutbox
):
    """Two deliveries of the task on a real worker (Redis): one reminder row, one e-mail."""
    from django.utils import timezone

    enlace_sep.email = "enlace@sep.gob.mx"
    enlace_sep.save()
    yesterday = timezone.localdate() - timedelta(days=1)
    info_request = make_request(cycle, [sep], obligations, due_date=yesterday)
    send_request(info_request, by=auditora)
    mailoutbox.clear()
    finished = set()

    def record(sender=None, task_id=None, **kwargs):
        finished.add(task_id)

    task_postrun.connect(record, weak=False)  # the worker is a thread of this process: its signals reach us
    try:
        deliveries = {send_request_reminders.delay().id, send_request_reminders.delay().id}
        wait_for(lambda: deliveries <= finished, 30, what="both deliveries of the task to finish")
    finally:
        task_postrun.disconnect(record)
    assert list(ReminderSent.objects.values_list("stage", flat=True)) == ["overdue"]
    assert len(mailoutbox) == 1
