#!/usr/bin/env python
"""PDF report benchmark: time and peak memory of the agency and national reports, against
WeasyPrint rendering a plain HTML table of the same rows in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_pdf_bench .venv/bin/python bench/reports.py

Data sets (built by this script in its own database; point DATABASE_URL at a database of its own):
- `cndh-2019`: the reference baseline (`manage.py load_reference_data`), as shipped;
- `bench-10x`: the same baseline ten times over (each rating repeated on 9 synthetic copies of
  its obligation, with its rationale, evidence and legal basis), published;
- `bench-agencies-K`: K synthetic agencies × 10 obligations each, for the growth check.

Every measurement runs in a forked child process, so the peak resident memory (VmHWM, reset
before the build) is that build's own. Options: --runs 3 (median over runs for the small
reports), --growth 5,10,20,40, --skip-10x, --json (a last line for bench/run.py). Our report and
the plain table run interleaved (ours, plain, ours, plain …), each pair's ratio per page kept.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from agencies.models import Agency  # noqa: E402
from agencies.policy import SYSTEM  # noqa: E402
from obligations.models import Assessment, Evidence, Obligation, ReviewCycle  # noqa: E402
from reports import jobs, pdf, scorecards  # noqa: E402
from reports.models import ReportKind  # noqa: E402

PLAIN_CSS = (
    "@page { size: A4; margin: 20mm } body { font: 8.6pt 'DejaVu Sans' } "
    "table { width: 100%; border-collapse: collapse } td, th { border-bottom: 0.5pt solid #999; "
    "padding: 1.5mm; vertical-align: top } thead { display: table-header-group }"
)


def log(message: str) -> None:
    print(message, flush=True)


# --- data ------------------------------------------------------------------------------


def ensure_reference() -> ReviewCycle:
    call_command("migrate", verbosity=0)
    if not ReviewCycle.objects.filter(slug="cndh-2019").exists():
        call_command("load_reference_data", verbosity=0)
    return ReviewCycle.objects.get(slug="cndh-2019")


def build_10x(base: ReviewCycle) -> ReviewCycle:
    existing = ReviewCycle.objects.filter(slug="bench-10x").first()
    if existing:
        return existing
    t0 = time.perf_counter()
    with transaction.atomic():
        cycle = ReviewCycle.objects.create(
            slug="bench-10x",
            name_es="Banco de pruebas 10× (sintético)",
            name_en="Benchmark 10x (synthetic)",
            period_start=base.period_start,
            period_end=base.period_end,
            methodology_version=base.methodology_version,
        )
        copies: dict[int, list[Obligation]] = {}
        for obligation in Obligation.objects.filter(assessments__cycle=base).distinct().prefetch_related("provisions"):
            clones = [obligation]
            for k in range(1, 10):
                clone = Obligation.objects.create(
                    code=f"{obligation.code}-X{k}",
                    title_es=f"{obligation.title_es} (copia {k})",
                    title_en=obligation.title_en,
                    description_es=obligation.description_es,
                    component=obligation.component,
                    level=obligation.level,
                    basis_confidence=obligation.basis_confidence,  # legal_basis_to_verify derives from it
                    basis_reason_es=obligation.basis_reason_es,
                )
                clone.provisions.set(obligation.provisions.all())
                clones.append(clone)
            copies[obligation.pk] = clones
        evidence_by_assessment: dict[int, list[Evidence]] = {}
        for item in Evidence.objects.filter(assessment__cycle=base):
            evidence_by_assessment.setdefault(item.assessment_id, []).append(item)
        for assessment in Assessment.objects.filter(cycle=base):
            for clone in copies[assessment.obligation_id]:
                new = Assessment.objects.create(
                    cycle=cycle,
                    agency_id=assessment.agency_id,
                    obligation=clone,
                    status=assessment.status,
                    rationale=assessment.rationale,
                    source_reference=assessment.source_reference,
                    workflow_state=assessment.workflow_state,
                )
                for item in evidence_by_assessment.get(assessment.pk, []):
                    Evidence.objects.create(
                        assessment=new,
                        kind=item.kind,
                        title=item.title,
                        fact_date=item.fact_date,
                        url=item.url,
                        source_reference=item.source_reference,
                        confidential=item.confidential,
                        sha256=item.sha256,
                    )
        cycle.state = "published"
        cycle.published_at = timezone.now()
        cycle.save()
    log(
        f"built bench-10x: {Assessment.objects.filter(cycle=cycle).count()} ratings in {time.perf_counter() - t0:.1f} s"
    )
    return cycle


def build_growth(k: int, base: ReviewCycle) -> ReviewCycle:
    slug = f"bench-agencies-{k}"
    existing = ReviewCycle.objects.filter(slug=slug).first()
    if existing:
        return existing
    rationales = list(Assessment.objects.filter(cycle=base).values_list("rationale", flat=True)[:40]) or ["—"]
    obligations = list(Obligation.objects.filter(assessments__cycle=base).distinct().order_by("code")[:10])
    statuses = ["complied", "partially_complied", "not_complied", "no_information"]
    with transaction.atomic():
        cycle = ReviewCycle.objects.create(
            slug=slug,
            name_es=f"Crecimiento: {k} dependencias (sintético)",
            period_start=base.period_start,
            period_end=base.period_end,
        )
        for a in range(k):
            agency, _ = Agency.objects.get_or_create(
                acronym=f"BA{a:03d}", defaults={"name_es": f"Dependencia sintética {a:03d}"}
            )
            Assessment.objects.bulk_create(
                [
                    Assessment(
                        cycle=cycle,
                        agency=agency,
                        obligation=obligation,
                        status=statuses[(a + i) % len(statuses)],
                        rationale=rationales[(a + i) % len(rationales)],
                        workflow_state="validated",
                    )
                    for i, obligation in enumerate(obligations)
                ]
            )
        cycle.state = "published"
        cycle.published_at = timezone.now()
        cycle.save()
    return cycle


# --- measuring -------------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def in_child(function, *args) -> dict:
    """Run `function(*args) -> dict` in a forked process; add its peak RSS growth (MB)."""
    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
            before = _status_kb("VmRSS")
            result = function(*args)
            result["peak_mb"] = (_status_kb("VmHWM") - before) / 1024
        except Exception as exc:  # report, never hang the parent
            result = {"error": repr(exc)}
        os.write(write, json.dumps(result).encode())
        os.close(write)
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    result = json.loads(b"".join(chunks))
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def our_report(kind: str, cycle_slug: str, acronym: str | None) -> dict:
    """The full pipeline of a job: fingerprint, scorecards, template, WeasyPrint."""
    cycle = ReviewCycle.objects.get(slug=cycle_slug)
    agency = Agency.objects.get(acronym=acronym) if acronym else None
    t0 = time.perf_counter()
    fingerprint = jobs.data_fingerprint(kind, cycle, agency)
    built = pdf.build_report(kind, cycle, agency, fingerprint=fingerprint)
    total = time.perf_counter() - t0
    return {"seconds": total, "pages": built.page_count, "bytes": len(built.content)}


def plain_table(kind: str, cycle_slug: str, acronym: str | None) -> dict:
    """WeasyPrint alone: one plain HTML table with the same obligation rows (code, title,
    legal basis, status, rationale), no template, no charts, no scoring."""
    from weasyprint import HTML

    cycle = ReviewCycle.objects.get(slug=cycle_slug)
    qs = Assessment.objects.filter(cycle=cycle).select_related("obligation", "agency")
    qs = qs.prefetch_related("obligation__provisions__instrument").order_by("agency__acronym", "obligation__code")
    if acronym:
        qs = qs.filter(agency__acronym=acronym)
    rows = [
        (a.agency.acronym, a.obligation.code, a.obligation.title_es, a.obligation.legal_basis, a.status, a.rationale)
        for a in qs
    ]
    t0 = time.perf_counter()
    body = "".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows)
    html = (
        f"<html><head><style>{PLAIN_CSS}</style></head><body><table><thead><tr><th>Dep.</th><th>Clave</th>"
        f"<th>Obligación</th><th>Fundamento</th><th>Estatus</th><th>Justificación</th></tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>"
    )
    document = HTML(string=html).render()
    content = document.write_pdf()
    return {"seconds": time.perf_counter() - t0, "pages": len(document.pages), "rows": len(rows), "bytes": len(content)}


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def measure(label: str, kind: str, cycle: ReviewCycle, acronym: str | None, runs: int) -> dict:
    ours, plain = [], []
    for _ in range(runs):  # interleaved: ours, plain, ours, plain …
        ours.append(in_child(our_report, kind, cycle.slug, acronym))
        plain.append(in_child(plain_table, kind, cycle.slug, acronym))
    paired = [(o["seconds"] / o["pages"]) / (p["seconds"] / p["pages"]) for o, p in zip(ours, plain, strict=True)]
    o_time = statistics.median(r["seconds"] for r in ours)
    p_time = statistics.median(r["seconds"] for r in plain)
    result = {
        "label": label,
        "rows": plain[0]["rows"],
        "pages": ours[0]["pages"],
        "seconds": o_time,
        "peak_mb": max(r["peak_mb"] for r in ours),
        "per_page": o_time / ours[0]["pages"],
        "plain_pages": plain[0]["pages"],
        "plain_seconds": p_time,
        "plain_peak_mb": max(r["peak_mb"] for r in plain),
        "plain_per_page": p_time / plain[0]["pages"],
        "ratio": o_time / p_time,
        "ratio_per_page": (o_time / ours[0]["pages"]) / (p_time / plain[0]["pages"]),
        "ratio_per_page_runs": paired,  # each run's own pair
    }
    log(
        f"{label:<34} rows {result['rows']:>5}  pages {result['pages']:>4}  {o_time:7.2f} s  "
        f"{result['peak_mb']:7.1f} MB  {result['per_page']:.3f} s/page | plain table: {result['plain_pages']:>4} pages "
        f"{p_time:6.2f} s {result['plain_peak_mb']:6.1f} MB {result['plain_per_page']:.3f} s/page | "
        f"ratio {result['ratio']:.2f}× (per page {result['ratio_per_page']:.2f}×)"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--growth", default="5,10,20,40")
    parser.add_argument("--skip-10x", action="store_true")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the results (bench/run.py)")
    args = parser.parse_args()

    base = ensure_reference()
    with translation.override("es-mx"):
        scorecards.national_panorama(base, SYSTEM)  # freeze the published cycle once (not timed)
    ten = None if args.skip_10x else build_10x(base)
    growth = [build_growth(int(k), base) for k in args.growth.split(",") if k]
    for cycle in [ten, *growth]:
        if cycle is not None:
            scorecards.national_panorama(cycle, SYSTEM)
    in_child(our_report, ReportKind.AGENCY, base.slug, "SEP")  # warm the font caches on disk

    load = os.getloadavg()[0]
    log(f"WeasyPrint report benchmark · {timezone.now():%Y-%m-%d %H:%M} · {os.cpu_count()} CPUs · load {load:.1f}")
    results = [
        measure("CNDH 2019 · agency (SEGOB)", ReportKind.AGENCY, base, "SEGOB", args.runs),
        measure("CNDH 2019 · national", ReportKind.NATIONAL, base, None, args.runs),
    ]
    if ten is not None:
        results.append(measure("10× · agency (SEGOB)", ReportKind.AGENCY, ten, "SEGOB", args.runs))
        results.append(measure("10× · national", ReportKind.NATIONAL, ten, None, 1))
    log("growth with the number of agencies (national report, 10 obligations each):")
    previous, previous_k = None, 0
    for cycle in growth:
        k = int(cycle.slug.rsplit("-", 1)[1])
        results_k = [in_child(our_report, ReportKind.NATIONAL, cycle.slug, None) for _ in range(args.runs)]
        result = {**results_k[0], "seconds": statistics.median(r["seconds"] for r in results_k)}
        result["peak_mb"] = max(r["peak_mb"] for r in results_k)
        per_agency = result["seconds"] / k
        note = f"  ×{result['seconds'] / previous:.2f} time for ×{k / previous_k:.0f} agencies" if previous else ""
        log(
            f"  {k:>3} agencies: {result['pages']:>4} pages {result['seconds']:7.2f} s "
            f"{per_agency:.3f} s/agency {result['seconds'] / result['pages']:.3f} s/page "
            f"{result['peak_mb']:7.1f} MB{note}"
        )
        previous, previous_k = result["seconds"], k
    if args.json:
        agency, national = results[0], results[1]
        # Memory a page adds: the national report's peak over the agency report's, per extra page.
        per_page_mb = (national["peak_mb"] - agency["peak_mb"]) / max(national["pages"] - agency["pages"], 1)
        print(
            json.dumps(
                {
                    "pdf_ratio_per_page": agency["ratio_per_page_runs"] + national["ratio_per_page_runs"],
                    "pdf_mb_per_page": [per_page_mb],
                    "results": results,
                }
            ),
            flush=True,
        )
    return results


if __name__ == "__main__":
    main()
