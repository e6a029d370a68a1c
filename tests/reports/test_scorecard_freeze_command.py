"""`manage.py freeze_scorecards`: freezes published cycles ahead of the first reader."""

import pytest
from django.core.management import CommandError, call_command

from reports.models import ScorecardSnapshot
from tests.reports import scorecard_data as data

pytestmark = pytest.mark.django_db


def test_it_freezes_every_published_cycle(sep, inm, capsys):
    old, new = data.two_cycles(sep, inm)
    call_command("freeze_scorecards")
    out = capsys.readouterr().out
    assert "cndh-2019: 2 snapshots written" in out  # national + SEP
    assert "ciclo-2023: 3 snapshots written" in out  # national + SEP + INM
    assert ScorecardSnapshot.objects.filter(cycle=new, agency=inm).exists()
    call_command("freeze_scorecards", "ciclo-2023")
    assert "ciclo-2023: already frozen" in capsys.readouterr().out


def test_it_refuses_an_unpublished_cycle(sep, inm):
    data.two_cycles(sep, inm)
    data.cycle("abierto", data.date(2024, 1, 1), data.date(2024, 12, 31), state="open")
    with pytest.raises(CommandError, match="abierto"):
        call_command("freeze_scorecards", "abierto")
