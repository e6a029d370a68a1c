#!/usr/bin/env python
"""Query counts of the busiest auditor admin pages, on whatever data the database holds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_admin .venv/bin/python bench/admin_queries.py

Read-only: it GETs each page as the first auditor (or superuser) through Django's test client
and prints, per page, the HTTP status, the number of SQL queries and the rows on the page.
The changelist counts must not depend on the number of rows (see tests/obligations/test_admin.py,
which checks 10 against 500 rows with django_assert_max_num_queries).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from obligations.models import Assessment, Evidence, ReviewCycle

    setup_test_environment()
    user = (
        get_user_model()
        .objects.filter(Q(groups__name="auditor") | Q(is_superuser=True), is_active=True, is_staff=True)
        .first()
    )
    if user is None:
        sys.exit("No auditor account: run `manage.py create_demo_users` first.")
    client = Client()
    client.force_login(user)
    cycle = ReviewCycle.objects.annotate(n=Count("assessments")).order_by("-n").first()
    busiest = Assessment.objects.annotate(n=Count("evidence")).order_by("-n").first()
    pages = [("admin index", reverse("admin:index"))]
    cl = reverse("admin:obligations_assessment_changelist")
    pages.append((f"assessments, all ({Assessment.objects.count()} rows)", cl))
    if cycle is not None:
        pages.append((f"assessments, cycle {cycle.slug} ({cycle.n} rows)", f"{cl}?cycle__id__exact={cycle.pk}"))
        pages.append(
            ("assessments, filtered + search", f"{cl}?cycle__id__exact={cycle.pk}&workflow_state__exact=draft&q=a")
        )
    if busiest is not None:
        pages.append(
            (
                f"assessment page ({busiest.n} evidence)",
                reverse("admin:obligations_assessment_change", args=[busiest.pk]),
            )
        )
        pages.append(("assessment history", reverse("admin:obligations_assessment_history", args=[busiest.pk])))
    pages.append((f"evidence ({Evidence.objects.count()} rows)", reverse("admin:obligations_evidence_changelist")))
    pages.append(("review cycles", reverse("admin:obligations_reviewcycle_changelist")))
    pages.append(("obligations", reverse("admin:obligations_obligation_changelist")))
    print("| page | HTTP | queries | rows shown |\n|---|---|---|---|")
    for label, url in pages:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        cl_ctx = response.context.get("cl") if response.context else None
        rows = len(cl_ctx.result_list) if cl_ctx is not None else "—"
        print(f"| {label} | {response.status_code} | {len(ctx.captured_queries)} | {rows} |")


if __name__ == "__main__":
    main()
