#!/usr/bin/env python
"""Import benchmark: synthetic obligations and assessments through the import-export resources
(with the full validation: natural-key lookups, formula and duplicate checks, full_clean, history)
against a plain `bulk_create` of the same rows, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_ref_bench .venv/bin/python bench/imports.py

Options: --obligations 10000 --agencies 50 --per-agency 1000 (assessments = agencies × per-agency)
--skip-row-by-row (do not time the non-bulk ObligationResource).

`--admin` (issue 15's goal) instead times the admin import of 10,000 ratings (10 agencies × 1,000
obligations) from upload to confirmed — POST of the CSV, the preview page, the confirmation, the
result page, through Django's test client and the admin's import job (obligations.imports; the
Celery task runs eagerly in this process, so its time is counted) — against a raw `bulk_create`
of the same rows, interleaved (A, B, A, B …) for `--rounds` rounds, and prints min/median/max of
the ratio (`--json`: and a last line of JSON with every round, read by bench/run.py).

Each phase runs in a forked child process so that its peak memory (max RSS, from getrusage) is
its own; the time is wall-clock for the import call alone (the dataset is built before timing).
The database is migrated and written by this script: point DATABASE_URL at a database of its own.
Results are printed as a Markdown table (pasted into docs/performance.md, "Imports").
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("BENCH_TREE") or str(ROOT))  # bench/run.py --tree: the code measured
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

import django  # noqa: E402

django.setup()

import tablib  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from agencies.models import Agency  # noqa: E402
from obligations.models import Assessment, ImportJob, Obligation, ReviewCycle  # noqa: E402
from obligations.resources import BulkAssessmentResource, BulkObligationResource, ObligationResource  # noqa: E402

PREFIX = "BENCH-"
CYCLE = "bench-imports"
COMPONENTS = ["prevention", "assistance", "prosecution", "coordination"]
STATUSES = ["not_complied", "no_information", "not_applicable"]  # need no evidence to stand


def clean():
    Assessment.history.filter(cycle__slug=CYCLE).delete()
    Assessment.objects.filter(cycle__slug=CYCLE).delete()
    Obligation.objects.filter(code__startswith=PREFIX).delete()


def obligation_dataset(count: int) -> tablib.Dataset:
    data = tablib.Dataset(headers=["code", "title_es", "title_en", "component", "level", "source"])
    for i in range(count):
        data.append(
            [
                f"{PREFIX}O-{i:05d}",
                f"Obligación sintética {i}",
                f"Synthetic duty {i}",
                COMPONENTS[i % 4],
                1 + i % 3,
                "bench",
            ]
        )
    return data


def assessment_dataset(agencies: list[str], codes: list[str]) -> tablib.Dataset:
    data = tablib.Dataset(headers=["cycle", "agency", "obligation", "status", "rationale", "source_reference"])
    i = 0
    for acronym in agencies:
        for code in codes:
            data.append([CYCLE, acronym, code, STATUSES[i % 3], f"Justificación sintética {i}", "bench"])
            i += 1
    return data


def run_phase(name, func, queue):
    connections.close_all()  # the child opens its own connection
    base_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    payload = func()  # builds its input, then returns (seconds, rows, errors)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((name, *payload, base_rss_kb, peak_kb))


def in_child(name, func):
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    process = ctx.Process(target=run_phase, args=(name, func, queue))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode:
        raise SystemExit(f"phase {name} failed ({process.exitcode})")
    return result


def timed_import(resource_class, dataset):
    resource_instance = resource_class()
    start = time.perf_counter()
    result = resource_instance.import_data(dataset, dry_run=False, raise_errors=False)
    seconds = time.perf_counter() - start
    errors = len(result.invalid_rows) + len(result.row_errors()) + len(result.base_errors)
    return seconds, len(dataset), errors


def phase_obligations_resource(count, resource_class):
    def run():
        dataset = obligation_dataset(count)
        outcome = timed_import(resource_class, dataset)
        assert Obligation.objects.filter(code__startswith=PREFIX).count() == count, "import incomplete"
        clean()
        return outcome

    return run


def phase_obligations_bulk_create(count):
    def run():
        dataset = obligation_dataset(count)
        start = time.perf_counter()
        Obligation.objects.bulk_create(
            [
                Obligation(code=r[0], title_es=r[1], title_en=r[2], component=r[3], level=r[4], source=r[5])
                for r in dataset
            ],
            batch_size=1000,
        )
        seconds = time.perf_counter() - start
        clean()
        return seconds, count, 0

    return run


def prepare_assessment_targets(agency_count, per_agency):
    clean()
    ReviewCycle.objects.get_or_create(
        slug=CYCLE,
        defaults={"name_es": "Ciclo de prueba", "period_start": date(2030, 1, 1), "period_end": date(2030, 12, 31)},
    )
    acronyms = [f"{PREFIX}A{i:03d}" for i in range(agency_count)]
    existing = set(Agency.objects.filter(acronym__in=acronyms).values_list("acronym", flat=True))
    Agency.objects.bulk_create(
        [Agency(acronym=a, name_es=f"Dependencia sintética {a}") for a in acronyms if a not in existing]
    )
    codes = [f"{PREFIX}O-{i:05d}" for i in range(per_agency)]
    Obligation.objects.bulk_create(
        [Obligation(code=c, title_es=f"Obligación {c}", component="prevention", level=1) for c in codes]
    )
    return acronyms, codes


def phase_assessments_resource(acronyms, codes):
    def run():
        dataset = assessment_dataset(acronyms, codes)
        outcome = timed_import(BulkAssessmentResource, dataset)
        assert Assessment.objects.filter(cycle__slug=CYCLE).count() == len(dataset), "import incomplete"
        Assessment.history.filter(cycle__slug=CYCLE).delete()
        Assessment.objects.filter(cycle__slug=CYCLE).delete()
        return outcome

    return run


def phase_assessments_bulk_create(acronyms, codes):
    def run():
        seconds, _cpu = raw_bulk_create(acronyms, codes)
        Assessment.objects.filter(cycle__slug=CYCLE).delete()
        return seconds, len(acronyms) * len(codes), 0

    return run


def admin_round_trip(acronyms, codes, user) -> tuple[float, float]:
    """Seconds (wall clock, and CPU of this process) from the upload POST to the confirmed
    result page."""
    from django.contrib import admin
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from import_export.formats.base_formats import CSV

    content = assessment_dataset(acronyms, codes).export("csv").encode()
    client = Client()
    client.force_login(user)
    csv_index = admin.site._registry[Assessment].get_import_formats().index(CSV)
    start, cpu = time.perf_counter(), time.process_time()
    response = client.post(
        "/admin/obligations/assessment/import/",
        {"resource": 0, "format": csv_index, "import_file": SimpleUploadedFile("ratings.csv", content)},
    )
    job_url = response["Location"]
    assert client.get(job_url).status_code == 200
    page = client.post(job_url, {"action": "confirm"}, follow=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert page.status_code == 200
    job = ImportJob.objects.latest("pk")
    assert (job.state, job.new + job.updated) == ("done", len(acronyms) * len(codes)), job.message
    return seconds, cpu


def raw_bulk_create(acronyms, codes) -> tuple[float, float]:
    dataset = assessment_dataset(acronyms, codes)
    start, cpu = time.perf_counter(), time.process_time()
    cycle = ReviewCycle.objects.get(slug=CYCLE)
    agencies = dict(Agency.objects.filter(acronym__in=acronyms).values_list("acronym", "pk"))
    obligations = dict(Obligation.objects.filter(code__in=codes).values_list("code", "pk"))
    Assessment.objects.bulk_create(
        [
            Assessment(
                cycle=cycle,
                agency_id=agencies[r[1]],
                obligation_id=obligations[r[2]],
                status=r[3],
                rationale=r[4],
                source_reference=r[5],
            )
            for r in dataset
        ],
        batch_size=1000,
    )
    return time.perf_counter() - start, time.process_time() - cpu


def clear_ratings():
    Assessment.history.filter(cycle__slug=CYCLE).delete()
    Assessment.objects.filter(cycle__slug=CYCLE).delete()


def admin_main(args):
    """Issue 15: admin import of 10,000 ratings, upload → confirmed, ÷ raw bulk_create."""
    import statistics

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from agencies.choices import Role

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the task runs here: its time is part of the round trip
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.AXES_ENABLED = False
    settings.IMPORT_MAX_BYTES = 50 * 1024 * 1024
    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="bench-importer", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=Role.AUDITOR))
    acronyms, codes = prepare_assessment_targets(args.agencies, args.per_agency)
    rows = len(acronyms) * len(codes)
    ratios, cpu_ratios, admin_times, raw_times = [], [], [], []
    for _round in range(args.rounds):
        clear_ratings()
        admin_seconds, admin_cpu = admin_round_trip(acronyms, codes, user)
        clear_ratings()
        raw_seconds, raw_cpu = raw_bulk_create(acronyms, codes)
        clear_ratings()
        admin_times.append(admin_seconds)
        raw_times.append(raw_seconds)
        ratios.append(admin_seconds / raw_seconds)
        cpu_ratios.append(admin_cpu / raw_cpu)
        print(
            f"round {_round + 1}: admin {admin_seconds:.2f} s (CPU {admin_cpu:.2f} s), raw bulk_create "
            f"{raw_seconds:.3f} s (CPU {raw_cpu:.3f} s), ratio {ratios[-1]:.1f} (CPU {cpu_ratios[-1]:.1f})"
        )
    clean()
    Agency.objects.filter(acronym__in=acronyms).delete()
    ReviewCycle.objects.filter(slug=CYCLE).delete()
    print(f"\nDatabase: {connections['default'].vendor}; {rows:,} ratings; {args.rounds} interleaved rounds\n")
    print("| measure | min | median | max |")
    print("|---|---:|---:|---:|")
    for name, values, fmt in (
        ("admin import, upload → confirmed (s)", admin_times, "{:.2f}"),
        ("raw bulk_create (s)", raw_times, "{:.3f}"),
        ("ratio, wall clock", ratios, "{:.1f}"),
        ("ratio, CPU of this process (without PostgreSQL's)", cpu_ratios, "{:.1f}"),
    ):
        print(
            f"| {name} | {fmt.format(min(values))} | {fmt.format(statistics.median(values))} | "
            f"{fmt.format(max(values))} |"
        )
    if args.json:  # the machine-readable last line (bench/run.py)
        print(json.dumps({"admin_s": admin_times, "raw_s": raw_times, "ratio": ratios, "cpu_ratio": cpu_ratios}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--obligations", type=int, default=10_000)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--per-agency", type=int, default=1000)
    parser.add_argument("--skip-row-by-row", action="store_true")
    parser.add_argument("--admin", action="store_true", help="issue 15: the admin import round trip")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="--admin: end with a JSON line of every round")
    args = parser.parse_args()
    if args.admin:
        if "--agencies" not in sys.argv:
            args.agencies = 10
        return admin_main(args)

    call_command("migrate", verbosity=0)
    clean()
    results = []
    results.append(
        in_child(
            "obligations · BulkObligationResource", phase_obligations_resource(args.obligations, BulkObligationResource)
        )
    )
    if not args.skip_row_by_row:
        results.append(
            in_child(
                "obligations · ObligationResource (row by row)",
                phase_obligations_resource(args.obligations, ObligationResource),
            )
        )
    results.append(in_child("obligations · plain bulk_create", phase_obligations_bulk_create(args.obligations)))
    acronyms, codes = prepare_assessment_targets(args.agencies, args.per_agency)
    connections.close_all()
    results.append(in_child("assessments · BulkAssessmentResource", phase_assessments_resource(acronyms, codes)))
    results.append(in_child("assessments · plain bulk_create", phase_assessments_bulk_create(acronyms, codes)))
    clean()
    Agency.objects.filter(acronym__in=acronyms).delete()
    ReviewCycle.objects.filter(slug=CYCLE).delete()

    plain = {name.split(" · ")[0]: seconds for name, seconds, *_ in results if "plain" in name}
    print(
        f"\nDatabase: {connections['default'].vendor}; Python {sys.version.split()[0]}; Django {django.get_version()}\n"
    )
    print("| phase | rows | seconds | rows/s | × plain bulk_create | peak RSS (MiB) | RSS growth (MiB) | row errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, seconds, rows, errors, base_kb, peak_kb in results:
        ratio = seconds / plain[name.split(" · ")[0]]
        print(
            f"| {name} | {rows:,} | {seconds:.2f} | {rows / seconds:,.0f} | {ratio:.1f} | "
            f"{peak_kb / 1024:.0f} | {(peak_kb - base_kb) / 1024:.0f} | {errors} |"
        )


if __name__ == "__main__":
    main()
