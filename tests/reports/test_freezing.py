"""Publishing a cycle freezes its scorecards in a Celery task started once the publication
commits (reports.snapshots, reports.tasks.freeze_cycle); the admin shows its progress and the
pages compute the figures live, saying so, until the snapshots are written."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from obligations import services
from reports import snapshots, tasks
from reports.models import CycleFreeze, FreezeState, ScorecardSnapshot
from tests.obligations.workflow_factories import make_catalogue, open_test_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache(eager_tasks):
    cache.clear()


@pytest.fixture
def closed_cycle(auditora, sep, inm):
    make_catalogue([sep, inm], n_obligations=2)
    cycle = open_test_cycle(auditora)
    cycle.assessments.update(workflow_state="validated", status="complied")
    services.close_cycle(cycle, auditora)
    return cycle


def acronyms(cycle):
    return set(ScorecardSnapshot.objects.filter(cycle=cycle).values_list("agency__acronym", flat=True))


def test_publishing_queues_the_freeze_and_the_task_runs_after_commit(
    closed_cycle, auditora, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_cycle(closed_cycle, auditora)
    # Nothing was frozen inside the publishing transaction: one callback waits for the commit.
    assert acronyms(closed_cycle) == set()
    freeze = CycleFreeze.objects.get(cycle=closed_cycle)
    assert (freeze.state, freeze.label()) == (FreezeState.QUEUED, "en cola")
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task is sent (run eagerly by the test settings)
    assert acronyms(closed_cycle) == {None, "INM", "SEP"}
    freeze.refresh_from_db()
    assert (freeze.state, freeze.done, freeze.total, freeze.percent) == (FreezeState.DONE, 3, 3, 100)
    closed_cycle.refresh_from_db()
    assert freeze.cycle_published_at == closed_cycle.published_at


def test_a_rolled_back_publication_sends_nothing(closed_cycle, auditora, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.publish_cycle(closed_cycle, auditora)
            raise RuntimeError("something after publishing failed")
    assert callbacks == []
    closed_cycle.refresh_from_db()
    assert closed_cycle.state == "closed"
    assert not CycleFreeze.objects.exists()


def test_the_task_is_idempotent(closed_cycle, auditora, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_cycle(closed_cycle, auditora)
    first = set(ScorecardSnapshot.objects.values_list("pk", flat=True))
    assert tasks.freeze_cycle.delay(closed_cycle.pk).get() == 0  # a redelivered message
    assert set(ScorecardSnapshot.objects.values_list("pk", flat=True)) == first


def test_a_live_claim_keeps_a_second_freeze_out_and_a_stale_one_is_taken_over(closed_cycle, auditora):
    with transaction.atomic():  # no on_commit: the task is not sent
        services.publish_cycle(closed_cycle, auditora)
    closed_cycle.refresh_from_db()
    CycleFreeze.objects.filter(cycle=closed_cycle).update(state=FreezeState.RUNNING, token="other", done=1, total=3)
    assert snapshots.run_freeze(closed_cycle) == 0
    assert acronyms(closed_cycle) == set()
    CycleFreeze.objects.filter(cycle=closed_cycle).update(updated_at=timezone.now() - timedelta(hours=1))
    assert snapshots.run_freeze(closed_cycle) == 3
    assert CycleFreeze.objects.get(cycle=closed_cycle).state == FreezeState.DONE


def test_a_failed_freeze_keeps_the_publication_and_says_why(
    closed_cycle, auditora, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(cycle, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(snapshots, "freeze_cycle", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_cycle(closed_cycle, auditora)
    closed_cycle.refresh_from_db()
    assert closed_cycle.state == "published"
    freeze = CycleFreeze.objects.get(cycle=closed_cycle)
    assert (freeze.state, freeze.label()) == (FreezeState.FAILED, "falló: disk full")
    monkeypatch.undo()
    # `manage.py freeze_scorecards` (or the task again) freezes it.
    assert snapshots.run_freeze(closed_cycle) == 3


def test_progress_is_written_after_each_batch(closed_cycle, auditora, monkeypatch):
    with transaction.atomic():
        services.publish_cycle(closed_cycle, auditora)
    closed_cycle.refresh_from_db()
    monkeypatch.setattr(snapshots, "BATCH_AGENCIES", 1)
    seen = []
    snapshots.freeze_cycle(closed_cycle, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    # The national snapshot is written last: a reader never takes a partial set for a frozen one.
    assert ScorecardSnapshot.objects.filter(cycle=closed_cycle).latest("pk").agency_id is None


def test_the_admin_shows_the_progress(client, auditora, closed_cycle):
    with transaction.atomic():
        services.publish_cycle(closed_cycle, auditora)
    CycleFreeze.objects.filter(cycle=closed_cycle).update(state=FreezeState.RUNNING, done=2, total=5)
    client.force_login(auditora)
    listing = client.get(reverse("admin:obligations_reviewcycle_changelist")).content.decode()
    assert "congelando 40 %" in listing
    change = client.get(reverse("admin:obligations_reviewcycle_change", args=[closed_cycle.pk])).content.decode()
    assert "congelando 40 %" in change


def test_pages_compute_live_until_the_snapshots_exist_and_are_not_cached_meanwhile(
    client, secretariado, auditora, closed_cycle
):
    with transaction.atomic():
        services.publish_cycle(closed_cycle, auditora)
    closed_cycle.refresh_from_db()
    CycleFreeze.objects.filter(cycle=closed_cycle).update(state=FreezeState.RUNNING, done=1, total=3)
    client.force_login(secretariado)
    for url in (reverse("reports:agency_scorecard", args=["SEP"]), reverse("reports:panorama")):
        page = client.get(url, {"ciclo": closed_cycle.slug})
        body = page.content.decode()
        assert 'data-freezing="running"' in body and "congelando las cifras (33 %)" in body
        assert ScorecardSnapshot.objects.count() == 0  # the reader did not freeze it
    CycleFreeze.objects.filter(cycle=closed_cycle).update(state=FreezeState.QUEUED)
    assert snapshots.run_freeze(closed_cycle) == 3
    for url in (reverse("reports:agency_scorecard", args=["SEP"]), reverse("reports:panorama")):
        body = client.get(url, {"ciclo": closed_cycle.slug}).content.decode()
        assert "data-freezing" not in body  # the live page rendered meanwhile was not cached
        assert "publicada" in body.lower() and "congelad" in body


def test_the_frozen_national_figures_are_the_live_ones(sep, inm):
    from obligations.models import Assessment
    from reports import computing
    from tests.reports import scorecard_data as data

    old, new = data.two_cycles(sep, inm)
    current, previous = Assessment.objects.filter(cycle=new), Assessment.objects.filter(cycle=old)
    live, summaries = computing.compute_national(new, current, previous, old)
    frozen, per_agency = computing.compute_frozen(new, current, previous, old)
    assert frozen == live
    assert {agency_id: summary for agency_id, (summary, _rows) in per_agency.items()} == {
        agency_id: {**summary, "overdue": per_agency[agency_id][0]["overdue"]}
        for agency_id, summary in summaries.items()
    }
