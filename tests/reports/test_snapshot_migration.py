"""Snapshots written in the earlier form (the legal basis in every row, the «se pide desde» marks
worked out when read) are removed by reports 0006 with their freeze records: the first reader
of each published cycle freezes it again, in the current form."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("reports", "0005_frobust_job_lease")
AFTER = ("reports", "0006_refreeze_snapshot_form")


def _with_the_rest_latest(target):
    """`target` for reports, every other app at its latest migration (their models as they are)."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [target, *[(app, name) for app, name in leaves if app != "reports"]]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_snapshots_and_their_freezes_are_forgotten():
    old = _migrate(_with_the_rest_latest(BEFORE))
    try:
        cycle = old.get_model("obligations", "ReviewCycle").objects.create(
            slug="c", name_es="Ciclo", period_start=date(2020, 1, 1), period_end=date(2021, 1, 1), state="published"
        )
        old.get_model("reports", "ScorecardSnapshot").objects.create(
            cycle=cycle, methodology_version="cndh-2019", summary={}, rows=[{"code": "X", "basis": None}]
        )
        old.get_model("reports", "CycleFreeze").objects.create(cycle=cycle, state="done")
    finally:
        new = _migrate(_with_the_rest_latest(AFTER))
    assert not new.get_model("reports", "ScorecardSnapshot").objects.exists()
    assert not new.get_model("reports", "CycleFreeze").objects.exists()
    assert new.get_model("obligations", "ReviewCycle").objects.filter(slug="c").exists()
