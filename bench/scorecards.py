#!/usr/bin/env python
"""Scorecard benchmark: a synthetic data set, then the median time of the agency scorecard and
the national panorama against a trivial one-row view, all rendered in this one process through
the full middleware stack (Django's test client), plus the queries each page runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_score_bench .venv/bin/python bench/scorecards.py

Options: --agencies 150 --obligations 400 --per-agency 40 --cycles 6 --runs 40 --rebuild
(--per-agency is how many of the catalogue's obligations each agency answers for; 400 makes
every agency answer for all of them). `--prepare-only --session-file F` builds the data and writes
logged-in session cookies for bench/run.py. Cycles 1..N-1 are published (read from frozen
snapshots); cycle N is closed (computed live, as auditors see it before publication).

The database is migrated and filled by this script: point DATABASE_URL at a database of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from agencies.models import Agency, Membership  # noqa: E402
from obligations.models import (  # noqa: E402
    Assessment,
    Evidence,
    LegalInstrument,
    Obligation,
    Provision,
    Recommendation,
    RecommendationFollowUp,
    ReviewCycle,
)
from reports.models import ScorecardSnapshot  # noqa: E402
from reports.snapshots import run_freeze  # noqa: E402

COMPONENTS = ["prevention", "assistance", "prosecution", "coordination"]
STATUSES = ["complied", "partially_complied", "not_complied", "no_information", "not_applicable"]
PREFIX = "BX"


def log(message: str) -> None:
    print(message, flush=True)


def build(n_agencies: int, n_obligations: int, per_agency: int, n_cycles: int) -> None:
    rng = random.Random(2019)
    t0 = time.perf_counter()
    with transaction.atomic():
        law = LegalInstrument.objects.create(
            code="BENCH-LEY", short_name="LGPSEDMTP", name_es="Ley General (sintética)", kind="law"
        )
        provisions = Provision.objects.bulk_create(
            [Provision(instrument=law, article=str(k), fraction="I") for k in range(1, 121)]
        )
        agencies = Agency.objects.bulk_create(
            [
                Agency(acronym=f"{PREFIX}{i:03d}", name_es=f"Dependencia sintética {i:03d}", order="federal")
                for i in range(n_agencies)
            ]
        )
        obligations = Obligation.objects.bulk_create(
            [
                Obligation(
                    code=f"{PREFIX}-OB-{j:04d}",
                    title_es=f"Obligación sintética {j:04d} de la Ley General",
                    component=COMPONENTS[j % 4],
                    level=1 + j % 3,
                    deadline_es="120 días hábiles" if j % 10 == 0 else "",
                    deadline_date=date(2014, 3, 1) if j % 10 == 0 else None,
                )
                for j in range(n_obligations)
            ]
        )
        through = Obligation.provisions.through
        through.objects.bulk_create(
            [
                through(obligation_id=ob.pk, provision_id=provisions[(j * 7 + k) % len(provisions)].pk)
                for j, ob in enumerate(obligations)
                for k in range(1 + j % 2)
            ]
        )
        cycles = []
        start = date(2012, 6, 15)
        for c in range(n_cycles):
            end = start + timedelta(days=365 * 2)
            published = c < n_cycles - 1
            cycles.append(
                ReviewCycle.objects.create(
                    slug=f"bench-{c + 1}",
                    name_es=f"Ciclo sintético {c + 1}",
                    period_start=start,
                    period_end=end,
                    state="published" if published else "closed",
                )
            )
            start = end + timedelta(days=1)
        for cycle in cycles[:-1]:
            ReviewCycle.objects.filter(pk=cycle.pk).update(published_at=cycle.created_at)
        per_agency = min(per_agency, n_obligations)
        for c, cycle in enumerate(cycles):
            batch = []
            for i, agency in enumerate(agencies):
                first = (i * 37) % n_obligations
                for k in range(per_agency):
                    ob = obligations[(first + k) % n_obligations]
                    # drift towards compliance over the cycles, so trends go both ways
                    weights = [1 + c, 2, 3, 2, 1]
                    batch.append(
                        Assessment(
                            cycle=cycle,
                            agency=agency,
                            obligation=ob,
                            status=rng.choices(STATUSES, weights)[0],
                            rationale="Justificación sintética de la calificación." if k % 3 == 0 else "",
                            source_reference="sintético",
                            workflow_state="validated",
                        )
                    )
            Assessment.objects.bulk_create(batch, batch_size=5000)
        # Evidence for the benchmarked agency, recommendations for everyone.
        for cycle in cycles:
            Evidence.objects.bulk_create(
                [
                    Evidence(
                        assessment=a,
                        title=f"Oficio {a.pk}",
                        fact_date=cycle.period_start + timedelta(days=30),
                        confidential=bool(a.pk % 2),
                    )
                    for a in Assessment.objects.filter(cycle=cycle, agency=agencies[0])
                ]
            )
        recs = Recommendation.objects.bulk_create(
            [
                Recommendation(code=f"{PREFIX}-R-{k:03d}", issuer="cndh_2019", text_es=f"Recomendación sintética {k}")
                for k in range(60)
            ]
        )
        addressees = Recommendation.addressees.through
        addressees.objects.bulk_create(
            [
                addressees(recommendation_id=rec.pk, agency_id=agencies[(k * 5 + m) % n_agencies].pk)
                for k, rec in enumerate(recs)
                for m in range(3)
            ]
        )
        RecommendationFollowUp.objects.bulk_create(
            [
                RecommendationFollowUp(recommendation=rec, cycle=cycles[-2], agency=agencies[0], status="in_progress")
                for rec in recs[:5]
            ]
        )
    log(
        f"built {n_agencies} agencies × {per_agency} of {n_obligations} obligations × {n_cycles} cycles = "
        f"{Assessment.objects.filter(cycle__slug__startswith='bench-').count()} assessments "
        f"in {time.perf_counter() - t0:.1f} s"
    )


def users():
    User = get_user_model()
    secretariat, _ = User.objects.get_or_create(username="bench-secretariado")
    secretariat.groups.add(Group.objects.get(name="secretariat"))
    auditor, _ = User.objects.get_or_create(username="bench-auditora", defaults={"is_staff": True})
    auditor.groups.add(Group.objects.get(name="auditor"))
    liaison, _ = User.objects.get_or_create(username="bench-enlace")
    liaison.groups.add(Group.objects.get(name="liaison"))
    Membership.objects.get_or_create(user=liaison, agency=Agency.objects.get(acronym=f"{PREFIX}000"))
    return secretariat, auditor, liaison


def measure(client: Client, url: str, runs: int) -> tuple[float, int, int]:
    """(median ms, queries, bytes) of GET url."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=150)
    parser.add_argument("--obligations", type=int, default=400)
    parser.add_argument("--per-agency", type=int, default=40)
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--session-file", help="write a JSON file with session cookies and URLs for bench/run.py")
    args = parser.parse_args()

    log(f"database: {settings.DATABASES['default']['ENGINE']} {settings.DATABASES['default'].get('NAME')}")
    call_command("migrate", verbosity=0)
    exists = ReviewCycle.objects.filter(slug="bench-1").exists()
    if exists and args.rebuild:
        log("dropping the previous synthetic data set …")
        ScorecardSnapshot.objects.filter(cycle__slug__startswith="bench-").delete()
        Evidence.history.model.objects.all().delete()
        Evidence.objects.filter(assessment__cycle__slug__startswith="bench-").delete()
        RecommendationFollowUp.objects.filter(cycle__slug__startswith="bench-").delete()
        Assessment.objects.filter(cycle__slug__startswith="bench-").delete()
        ReviewCycle.objects.filter(slug__startswith="bench-").delete()
        Recommendation.objects.filter(code__startswith=f"{PREFIX}-").delete()
        Obligation.objects.filter(code__startswith=f"{PREFIX}-").delete()
        Provision.objects.filter(instrument__code="BENCH-LEY").delete()
        LegalInstrument.objects.filter(code="BENCH-LEY").delete()
        Agency.objects.filter(acronym__startswith=PREFIX).delete()
        exists = False
    if not exists:
        build(args.agencies, args.obligations, args.per_agency, args.cycles)
    else:
        log("reusing the synthetic data set (use --rebuild to regenerate)")

    secretariat, auditor, liaison = users()
    cycles = list(ReviewCycle.objects.filter(slug__startswith="bench-").order_by("period_end"))
    published, live = cycles[-2], cycles[-1]
    agency = f"{PREFIX}000"

    ScorecardSnapshot.objects.filter(cycle=published).delete()
    t0 = time.perf_counter()
    written = run_freeze(published, force=True)
    freeze_ms = (time.perf_counter() - t0) * 1000
    log(f"freeze_cycle({published.slug}): {written} snapshots in {freeze_ms:.0f} ms")
    for cycle in cycles[:-2]:
        run_freeze(cycle)

    urls = {
        "trivial": reverse("bench_trivial"),
        "agency_published": reverse("reports:agency_scorecard", args=[agency]) + f"?ciclo={published.slug}",
        "national_published": reverse("reports:panorama") + f"?ciclo={published.slug}",
        "agency_live": reverse("reports:agency_scorecard", args=[agency]) + f"?ciclo={live.slug}",
        "national_live": reverse("reports:panorama") + f"?ciclo={live.slug}",
    }
    sec_client, aud_client, lia_client = Client(), Client(), Client()
    sec_client.force_login(secretariat)
    aud_client.force_login(auditor)
    lia_client.force_login(liaison)

    if args.session_file:
        Path(args.session_file).write_text(
            json.dumps(
                {
                    "cookie_name": settings.SESSION_COOKIE_NAME,
                    "secretariat": sec_client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "auditor": aud_client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "liaison": lia_client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "urls": urls,
                },
                indent=1,
            )
        )
        log(f"session cookies and URLs written to {args.session_file}")
    if args.prepare_only:
        return

    rows = [
        ("trivial one-row view", sec_client, urls["trivial"]),
        ("agency scorecard, published (frozen)", sec_client, urls["agency_published"]),
        ("agency scorecard, published, as its liaison", lia_client, urls["agency_published"]),
        ("national panorama, published (frozen)", sec_client, urls["national_published"]),
        ("agency scorecard, closed cycle (live)", aud_client, urls["agency_live"]),
        ("national panorama, closed cycle (live)", aud_client, urls["national_live"]),
    ]
    log(f"\nmedian of {args.runs} requests each, in-process (test client, full middleware), DEBUG={settings.DEBUG}")
    log(f"{'page':42} {'median ms':>10} {'× trivial':>10} {'queries':>8} {'KiB':>7}")
    baseline = None
    results = {}
    for label, client, url in rows:
        median, queries, size = measure(client, url, args.runs)
        baseline = baseline or median
        results[label] = {"median_ms": round(median, 2), "queries": queries, "bytes": size}
        log(f"{label:42} {median:10.2f} {median / baseline:10.1f} {queries:8d} {size / 1024:7.1f}")
    log("\n" + json.dumps({"freeze_ms": round(freeze_ms), "pages": results}))


if __name__ == "__main__":
    main()
