#!/usr/bin/env python
"""Time of the admin request that publishes a cycle (the changelist action "Publicar los ciclos
seleccionados", as an auditor, through the full middleware), on the 98k data set that
bench/run.py builds: the last published cycle (9,800 ratings) is put back to closed, its snapshots
dropped, and published again, `--rounds` times. Prints a JSON line {"publish_ms": [...]}.

Run by bench/run.py with the code of the checkout it measures (the current directory), so it
also times code where publishing froze the cycle inside the request. Afterwards the cycle is
frozen again, as the page benchmarks expect.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from obligations.models import ReviewCycle  # noqa: E402
from reports import snapshots  # noqa: E402
from reports.models import ScorecardSnapshot  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    user, _ = get_user_model().objects.get_or_create(username="bench-auditora", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="auditor"))
    client = Client()
    client.force_login(user)
    cycle = ReviewCycle.objects.filter(slug__startswith="bench-", state="published").order_by("-period_end").first()
    try:
        freezes = apps.get_model("reports", "CycleFreeze")
    except LookupError:  # code from before freezing was a task
        freezes = None
    url = reverse("admin:obligations_reviewcycle_changelist")
    times = []
    for _ in range(args.rounds):
        ScorecardSnapshot.objects.filter(cycle=cycle).delete()
        if freezes is not None:
            freezes.objects.filter(cycle=cycle).delete()
        ReviewCycle.objects.filter(pk=cycle.pk).update(state="closed", published_at=None)
        t0 = time.perf_counter()
        response = client.post(url, {"action": "publish_cycles", "_selected_action": [cycle.pk], "post": "yes"})
        times.append((time.perf_counter() - t0) * 1000)
        cycle.refresh_from_db()
        assert response.status_code == 302 and cycle.state == "published", (response.status_code, cycle.state)
    # Frozen again for the page benchmarks (the task may not have run: no worker here).
    freeze = getattr(snapshots, "run_freeze", None) or snapshots.freeze_cycle
    freeze(cycle)
    if freezes is not None:  # the tasks the publications sent: nobody is there to run them
        from compliance.celery import app

        app.control.purge()
    print(json.dumps({"publish_ms": [round(ms, 1) for ms in times]}))


if __name__ == "__main__":
    main()
