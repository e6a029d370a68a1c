#!/usr/bin/env python
"""`make bench`: the issue-15 goals measured in one run, every pair interleaved.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bench .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --tree /path/to/other/checkout --json before.json   # the same on other code
    .venv/bin/python bench/run.py --compare before.json --write-docs                  # table with both
    .venv/bin/python bench/run.py --load-only                                         # the bounded load test

What it does, on 127.0.0.1 only:

1. Builds (once; `--rebuild` to redo) two synthetic data sets with `bench/scorecards.py` of the
   code under test, each in a database of its own (DATABASE_URL's name + `_98k` / `_60k`):
   **98k**: 49 agencies × 200 obligations × 10 cycles (9 published and frozen, the last closed);
   **60k**: 150 agencies × 400 obligations × 2 cycles (60,000 ratings per cycle).
2. Pages under gunicorn (2 sync workers, the code under test): for each page, `--rounds` rounds of
   the pair (trivial view, page), A B A B …, each for `--seconds` with `--connections` keep-alive
   clients. Per run: requests/s and **CPU per request** — user + system time of the gunicorn workers
   plus the PostgreSQL backends of that database, from /proc, divided by the requests served (steadier
   than req/s on a shared machine). The ratio page ÷ trivial is taken within each round; the table
   shows its min / median / max over the rounds. The client's timeout is `--timeout` (60 s), far
   above the slowest page; a timed-out or non-200 response counts as an error and is reported.
3. Freezing 60,000 ratings (`run_freeze(force=True)`, or `freeze_cycle` on code without it) and
   the admin request that publishes a 9,800-rating cycle (bench/publish.py), `--rounds` times each;
   the admin import of 10,000 ratings against a raw bulk_create (bench/imports.py --admin, its
   rounds interleaved, in the database DATABASE_URL's name + `_imports`); the PDF reports per page
   against WeasyPrint rendering a plain table of the same rows (bench/reports.py, interleaved, in
   DATABASE_URL's name + `_pdf`).
4. `--load` / `--load-only`: 32 concurrent clients for 60 s on a mix of pages and roles
   (secretariat, liaison, auditor, anonymous public pages and API); errors and p50/p99 per page.

The client is this Python process (wrk is not required; its threads wait on sockets, so it takes
little CPU from the server). `--write-docs` replaces the table between the bench markers in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
DATASETS = {
    "98k": ["--agencies", "49", "--obligations", "200", "--per-agency", "200", "--cycles", "10"],
    "60k": ["--agencies", "150", "--obligations", "400", "--per-agency", "400", "--cycles", "2"],
}
MARK_START = "<!-- bench/run.py: start -->"
MARK_END = "<!-- bench/run.py: end -->"


def log(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------- data and server


def database_url(base: str, dataset: str) -> str:
    parsed = urlparse(base)
    return parsed._replace(path=f"{parsed.path}_{dataset}").geturl()


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_env(tree: Path, db: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="False",
        CONN_MAX_AGE="600",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        PYTHONPATH=str(tree),
    )
    return env


def prepare(tree: Path, db: str, dataset: str, session_file: Path, rebuild: bool) -> float | None:
    """Build (or reuse) the data set, freeze its published cycles, write the sessions; the time
    of freezing its last published cycle (ms)."""
    ensure_database(db)
    command = [str(tree / ".venv/bin/python"), str(tree / "bench/scorecards.py"), "--prepare-only"]
    command += ["--session-file", str(session_file), *DATASETS[dataset], *(["--rebuild"] if rebuild else [])]
    out = subprocess.run(command, cwd=tree, env=bench_env(tree, db), capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"preparing {dataset} failed:\n{out.stdout}\n{out.stderr}")
    found = re.search(r"snapshots in (\d+) ms", out.stdout)
    return float(found.group(1)) if found else None


class Server:
    """gunicorn with the code of `tree`, its workers and the PostgreSQL backends of `db`."""

    def __init__(self, tree: Path, db: str, port: int, workers: int = 2):
        self.db_name = urlparse(db).path.lstrip("/")
        self.port = port
        self.log = Path(f"/tmp/bench-gunicorn-{port}.log")
        self.proc = subprocess.Popen(
            [str(tree / ".venv/bin/gunicorn"), "compliance.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(workers), "--timeout", "300", "--access-logfile", "/dev/null"]
            + ["--error-logfile", str(self.log), "--log-level", "warning"],
            cwd=tree,
            env=bench_env(tree, db),
            start_new_session=True,
        )
        for _ in range(100):
            try:
                status, _body, _t = request(port, "/health/", "", 5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not start, see {self.log}")

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        backends = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if cmdline.startswith("postgres:") and f" {self.db_name} " in cmdline:
                backends.append(int(proc.name))
        return [int(pid) for pid in children] + backends

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    result = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        result[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime
    return result


# --------------------------------------------------------------------------- client


def request(port: int, path: str, cookie: str, timeout: float, conn: http.client.HTTPConnection | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - t0
    if own:
        conn.close()
    return response.status, body, elapsed


def hammer(port: int, targets: list[tuple[str, str, str]], seconds: float, connections: int, timeout: float):
    """`connections` keep-alive clients, each GETting a random target (label, path, cookie) until
    the deadline. {label: [latencies]}, {label: errors}."""
    deadline = time.perf_counter() + seconds
    latencies: dict[str, list[float]] = {label: [] for label, _p, _c in targets}
    errors: dict[str, int] = {label: 0 for label, _p, _c in targets}
    lock = threading.Lock()

    def client(seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while time.perf_counter() < deadline:
            label, path, cookie = rng.choice(targets)
            try:
                status, _body, elapsed = request(port, path, cookie, timeout, conn)
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok, elapsed = False, 0.0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            with lock:
                if ok:
                    latencies[label].append(elapsed)
                else:
                    errors[label] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def measure(server: Server, path: str, cookie: str, args) -> dict:
    """One run of one page: req/s, CPU ms per request (workers + backends), errors, p50."""
    before = cpu_seconds(server.pids())
    t0 = time.perf_counter()
    latencies, errors = hammer(server.port, [("p", path, cookie)], args.seconds, args.connections, args.timeout)
    wall = time.perf_counter() - t0
    after = cpu_seconds(server.pids())
    cpu = sum(value - before.get(pid, 0.0) for pid, value in after.items())
    n = len(latencies["p"])
    return {
        "requests": n,
        "errors": errors["p"],
        "rps": n / wall,
        "cpu_ms": 1000 * cpu / n if n else float("inf"),
        "p50_ms": 1000 * statistics.median(latencies["p"]) if n else None,
    }


# --------------------------------------------------------------------------- the runs


def session(path: Path) -> dict:
    data = json.loads(path.read_text())
    data["cookie"] = {role: f"{data['cookie_name']}={data[role]}" for role in ("secretariat", "auditor", "liaison")}
    return data


def page_pairs(args, tree: Path, db: str, data: dict, pages: list[tuple[str, str, str]], port: int) -> dict:
    server = Server(tree, db, port)
    results = {}
    try:
        trivial = data["urls"]["trivial"]
        for _label, path, cookie in [("trivial", trivial, data["cookie"]["secretariat"]), *pages]:
            for _ in range(3):  # warm up: caches, connections, first freeze
                status, _b, _t = request(port, path, cookie, args.timeout)
                if status != 200:
                    sys.exit(f"HTTP {status} for {path}")
        for label, path, cookie in pages:
            ratios, rps_ratios, runs = [], [], []
            for _round in range(args.rounds):
                base = measure(server, trivial, data["cookie"]["secretariat"], args)
                page = measure(server, path, cookie, args)
                ratios.append(page["cpu_ms"] / base["cpu_ms"])
                rps_ratios.append(page["rps"] / base["rps"])
                runs.append({"trivial": base, "page": page})
            results[label] = {"cpu_ratio": ratios, "rps_ratio": rps_ratios, "runs": runs}
            last = runs[-1]
            log(
                f"  {label:48} CPU ÷ trivial {fmt_range(ratios)}   req/s ÷ trivial {fmt_range(rps_ratios)}   "
                f"({last['page']['cpu_ms']:.1f} vs {last['trivial']['cpu_ms']:.1f} CPU ms/req, "
                f"errors {sum(r['page']['errors'] + r['trivial']['errors'] for r in runs)})"
            )
    finally:
        server.stop()
    return results


def fmt_range(values: list[float], digits: int = 2) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values):.{digits}f} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


def publish_times(args, tree: Path, db: str) -> list[float]:
    command = [str(tree / ".venv/bin/python"), str(ROOT / "bench/publish.py"), "--rounds", str(args.rounds)]
    env = bench_env(tree, db)
    env["CELERY_BROKER_URL"] = args.broker
    out = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench/publish.py failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])["publish_ms"]


def load_test(args, tree: Path, db: str, data: dict, port: int) -> dict:
    cookie = data["cookie"]
    urls = data["urls"]
    published = re.search(r"ciclo=([\w-]+)", urls["agency_published"]).group(1)
    agency = urls["agency_published"].split("/")[2]
    targets = [
        ("trivial (secretariat)", urls["trivial"], cookie["secretariat"]),
        ("agency scorecard, published (secretariat)", urls["agency_published"], cookie["secretariat"]),
        ("agency scorecard, published (liaison)", urls["agency_published"], cookie["liaison"]),
        ("panorama, published (secretariat)", urls["national_published"], cookie["secretariat"]),
        ("agency scorecard, live (auditor)", urls["agency_live"], cookie["auditor"]),
        ("public panorama (anonymous)", f"/publico/{published}/", ""),
        ("public scorecard (anonymous)", f"/publico/{published}/{agency}/", ""),
        ("public API, 100 rows (anonymous)", f"/api/v1/assessments/?cycle={published}&page_size=100", ""),
    ]
    server = Server(tree, db, port, workers=args.workers)
    try:
        for _label, path, ck in targets:
            status, _b, _t = request(port, path, ck, args.timeout)
            if status != 200:
                sys.exit(f"HTTP {status} for {path}")
        latencies, errors = hammer(port, targets, args.load_seconds, args.load_clients, args.timeout)
    finally:
        server.stop()
    result = {}
    log(f"\nload test: {args.load_clients} clients, {args.load_seconds} s, gunicorn {args.workers} workers")
    log(f"  {'page':44} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for label, _p, _c in targets:
        values = sorted(latencies[label])
        p50 = 1000 * values[len(values) // 2] if values else None
        p99 = 1000 * values[min(len(values) - 1, int(len(values) * 0.99))] if values else None
        result[label] = {"requests": len(values), "errors": errors[label], "p50_ms": p50, "p99_ms": p99}
        log(f"  {label:44} {len(values):8d} {errors[label]:6d} {p50 or 0:8.0f} {p99 or 0:8.0f}")
    return result


def import_ratios(args, tree: Path, base: str) -> list[float]:
    """Issue 15: the admin import of 10,000 ratings ÷ a raw bulk_create, per round
    (bench/imports.py --admin on the code under test, in a database of its own: DATABASE_URL's
    name + `_imports`)."""
    db = database_url(base, "imports")
    ensure_database(db)
    command = [str(tree / ".venv/bin/python"), str(ROOT / "bench/imports.py"), "--admin", "--json"]
    env = dict(os.environ, DATABASE_URL=db, BENCH_TREE=str(tree))
    out = subprocess.run([*command, "--rounds", str(args.rounds)], cwd=tree, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench/imports.py failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])["ratio"]


def pdf_figures(args, tree: Path, base: str) -> dict:
    """PDF per page ÷ WeasyPrint rendering a plain table of the same rows, each run's pair
    (bench/reports.py on the CNDH 2019 reference cycle, agency and national reports), and the
    memory a page adds; in a database of its own: DATABASE_URL's name + `_pdf`."""
    db = database_url(base, "pdf")
    ensure_database(db)
    command = [str(tree / ".venv/bin/python"), str(ROOT / "bench/reports.py"), "--skip-10x", "--growth", ""]
    command += ["--runs", str(args.rounds), "--json"]
    out = subprocess.run(command, cwd=tree, env=bench_env(tree, db), capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench/reports.py failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


GOALS = [
    # key, measure, goal text, goal test
    ("agency_published", "published agency scorecard: CPU/request ÷ trivial", "≤ 2", lambda v: v <= 2),
    ("agency_liaison", "published agency scorecard as its liaison ÷ trivial", "≤ 2", lambda v: v <= 2),
    ("national_published", "published panorama ÷ trivial", "≤ 2", lambda v: v <= 2),
    ("api", "public API page of 100 rows ÷ trivial", "≤ 2", lambda v: v <= 2),
    ("national_live", "live national page at 98k ratings ÷ trivial", "≤ 10", lambda v: v <= 10),
    ("agency_live_400", "live agency page, 400 obligations ÷ trivial", "≤ 10", lambda v: v <= 10),
    ("publish_s", "publish of a 9,800-rating cycle: admin request (s)", "< 0.5", lambda v: v < 0.5),
    ("freeze_s", "freeze of 60,000 ratings (s)", "≤ 5", lambda v: v <= 5),
    ("import_ratio", "admin import of 10,000 ratings ÷ raw bulk_create", "≤ 5", lambda v: v <= 5),
    ("pdf_ratio", "PDF per page ÷ plain WeasyPrint table of the same rows", "≤ 1.1", lambda v: v <= 1.1),
    ("pdf_mb", "PDF memory per added page (MiB)", "≤ 2", lambda v: v <= 2),
]


def summarize(results: dict) -> dict[str, list[float]]:
    values = {key: results["pages"][key]["cpu_ratio"] for key in results["pages"]}
    values["publish_s"] = [ms / 1000 for ms in results.get("publish_ms", [])]
    values["freeze_s"] = [ms / 1000 for ms in results.get("freeze_ms", [])]
    values["import_ratio"] = results.get("import_ratio", [])
    values["pdf_ratio"] = results.get("pdf", {}).get("pdf_ratio_per_page", [])
    values["pdf_mb"] = results.get("pdf", {}).get("pdf_mb_per_page", [])
    return values


def table(after: dict, before: dict | None) -> str:
    now = summarize(after)
    then = summarize(before) if before else {}
    lines = [
        "| measure | goal | before: median [min–max] | after: median [min–max] | met |",
        "|---|---|---|---|---|",
    ]
    for key, label, goal, test in GOALS:
        values = now.get(key) or []
        met = ("yes" if test(statistics.median(values)) else "**no**") if values else "—"
        lines.append(f"| {label} | {goal} | {fmt_range(then.get(key) or [])} | {fmt_range(values)} | {met} |")
    return "\n".join(lines)


def write_docs(text: str) -> None:
    path = ROOT / "docs/performance.md"
    doc = path.read_text()
    block = f"{MARK_START}\n{text}\n{MARK_END}"
    if MARK_START in doc:
        doc = re.sub(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), lambda _m: block, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + "\n\n## Benchmark table (`make bench`)\n\n" + block + "\n"
    path.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose code is measured")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="per run of one page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--broker", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--load", action="store_true", help="also run the bounded load test")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--load-clients", type=int, default=32)
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--compare", type=Path, help="results (--json) of the code before, for the table")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_bench")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must be a PostgreSQL database (its name + _98k / _60k are used)")
    tree = args.tree.resolve()
    db98, db60 = database_url(base, "98k"), database_url(base, "60k")
    s98, s60 = Path(f"/tmp/bench-session-{args.port}-98k.json"), Path(f"/tmp/bench-session-{args.port}-60k.json")
    log(f"code: {tree}; databases {db98}, {db60}; load average {os.getloadavg()[0]:.1f}")

    freeze_ms = []
    for k in range(args.rounds if not args.load_only else 1):
        prepare(tree, db98, "98k", s98, args.rebuild and k == 0)
        freeze = prepare(tree, db60, "60k", s60, args.rebuild and k == 0)  # re-freezes the 60k cycle
        if freeze is not None:
            freeze_ms.append(freeze)
            log(f"freeze of 60,000 ratings, round {k + 1}: {freeze / 1000:.2f} s")
    d98, d60 = session(s98), session(s60)
    results: dict = {"tree": str(tree), "freeze_ms": freeze_ms, "pages": {}}
    if not args.load_only:
        sec, lia, aud = d98["cookie"]["secretariat"], d98["cookie"]["liaison"], d98["cookie"]["auditor"]
        published = re.search(r"ciclo=([\w-]+)", d98["urls"]["agency_published"]).group(1)
        pages98 = [
            ("agency_published", d98["urls"]["agency_published"], sec),
            ("agency_liaison", d98["urls"]["agency_published"], lia),
            ("national_published", d98["urls"]["national_published"], sec),
            ("api", f"/api/v1/assessments/?cycle={published}&page_size=100", ""),
            ("national_live", d98["urls"]["national_live"], aud),
        ]
        log("\npages, 98k data set (CPU per request ÷ trivial view, median [min–max] of rounds):")
        results["pages"].update(page_pairs(args, tree, db98, d98, pages98, args.port))
        log("pages, 60k data set:")
        pages60 = [("agency_live_400", d60["urls"]["agency_live"], d60["cookie"]["auditor"])]
        results["pages"].update(page_pairs(args, tree, db60, d60, pages60, args.port))
        results["publish_ms"] = publish_times(args, tree, db98)
        log(f"publish admin request: {fmt_range([ms / 1000 for ms in results['publish_ms']])} s")
        results["import_ratio"] = import_ratios(args, tree, base)
        log(f"admin import of 10,000 ratings ÷ raw bulk_create: {fmt_range(results['import_ratio'])}")
        pdf = pdf_figures(args, tree, base)
        results["pdf"] = {key: pdf[key] for key in ("pdf_ratio_per_page", "pdf_mb_per_page")}
        log(
            f"PDF per page ÷ plain table: {fmt_range(pdf['pdf_ratio_per_page'])}; MiB per page {pdf['pdf_mb_per_page']}"
        )
    if args.load or args.load_only:
        results["load"] = load_test(args, tree, db98, d98, args.port)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if not args.load_only:
        before = json.loads(args.compare.read_text()) if args.compare else None
        text = table(results, before)
        log("\n" + text)
        if args.write_docs:
            write_docs(text)
            log("written to docs/performance.md")


if __name__ == "__main__":
    main()
