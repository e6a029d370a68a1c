"""Absurd query parameters on every filtered or paginated page: never a 500, never an
unescaped echo. One test per page; each tries every hostile query string below."""

from urllib.parse import quote

import pytest

HOSTILE_QUERIES = {
    "huge-value": "ciclo=" + "x" * 20_000,
    "nul-byte": "ciclo=%00&q=%00&component=%00",
    "sql": "ciclo=' OR 1=1 --&q=';DROP TABLE obligations_assessment;--&agency=SEP' --",
    "script": "q=" + quote('"><script>alert(1)</script>') + "&component=" + quote("<svg onload=alert(1)>"),
    "bidi-unicode": "q=" + quote("\u202eSEP\u200b") + "&agency=" + quote("ＳＥＰ"),
    "bad-surrogate-bytes": "q=%ED%A0%80&ciclo=%C0%AF",
    "negative-page": "page=-1&page_size=-5",
    "zero-page-size": "page=0&page_size=0",
    "enormous-page": "page=99999999999999999999999&page_size=10000000000",
    "float-page": "page=1e309&page_size=NaN",
    "unknown-choices": "component=teleportation&order=martian&status=maybe&level=99&orden=-__class__",
    "dunder-sort": "orden=__dict__&o=999&ordering=password",
    "array-syntax": "ciclo[]=a&ciclo[]=b&component[$ne]=x",
    "repeated": "&".join(f"component=prevention&ciclo=mx-publicado&q={i}" for i in range(300)),
    "many-keys": "&".join(f"k{i}=v" for i in range(2_000)),
    "admin-lookups": "cycle__id__exact=abc&agency__acronym__regex=(a%2B)%2B$&e=1&all=&_popup=1&p=-3",
    "dates": "since=2024-13-45&until=0000-00-00&fact_date__gte=tomorrow",
    "format": "format=../../etc/passwd&fmt=exe",
}

PAGES = {
    # page: who opens it (role of the world)
    "/panorama/": "secretariat",
    "/panorama/puntajes.csv": "secretariat",
    "/panorama/datos.csv": "secretariat",
    "/agencias/SEP/": "liaison_sep",
    "/agencias/SEP/datos.json": "liaison_sep",
    "/solicitudes/": "liaison_sep",
    "/replicas/": "liaison_sep",
    "/publico/": "anonymous",
    "/publico/mx-publicado/": "anonymous",
    "/publico/mx-publicado/SEP/": "anonymous",
    "/publico/datos/assessments.csv": "anonymous",
    "/publico/reportes/": "anonymous",
    "/api/v1/cycles/": "anonymous",
    "/api/v1/agencies/": "anonymous",
    "/api/v1/obligations/": "anonymous",
    "/api/v1/assessments/": "anonymous",
    "/api/v1/indicator-values/": "anonymous",
    "/api/v1/state-facts/": "anonymous",
    "/api/v1/recommendation-links/": "anonymous",
    "/cifras/": "anonymous",
    "/entidades/": "anonymous",
    "/recomendaciones/": "anonymous",
    "/admin/obligations/assessment/": "auditor",
    "/admin/obligations/evidence/": "auditor",
    "/admin/obligations/obligation/": "auditor",
    "/admin/reports/reportjob/": "auditor",
}


# The one answer of each page to each hostile query.
CYCLE_SCOPED = {  # pages whose `ciclo` names the cycle shown: a value naming no cycle is a 404
    "/panorama/",
    "/panorama/puntajes.csv",
    "/panorama/datos.csv",
    "/agencias/SEP/",
    "/agencias/SEP/datos.json",
    "/publico/datos/assessments.csv",
}
NO_SUCH_CYCLE = {"huge-value", "sql", "bad-surrogate-bytes"}  # their `ciclo` names no cycle
ADMIN_ANSWERS = {
    # With `e=1` already in the query, Django's changelist shows its "invalid lookup" page (200)
    # instead of sending to ?e=1 again ...
    ("/admin/obligations/evidence/", "admin-lookups"): 200,
    ("/admin/obligations/obligation/", "admin-lookups"): 200,
    # ... but a lookup through `agency` that no filter offers is refused as suspicious (400).
    ("/admin/obligations/assessment/", "admin-lookups"): 400,
    ("/admin/reports/reportjob/", "admin-lookups"): 400,
    # `q` and `component` are the catalogue's own search and filter: odd values find nothing.
    ("/admin/obligations/obligation/", "script"): 200,
}


def expected_answer(page: str, label: str) -> tuple[int, str]:
    """(status, Location) of `page` for the hostile query `label`."""
    if label == "nul-byte":
        return 400, ""  # control characters are refused before any view (compliance.middleware)
    if (page, label) == ("/api/v1/obligations/", "bidi-unicode"):
        return 200, ""  # `q` and `agency` are parameters of the obligations list: they find nothing
    if page.startswith("/api/"):
        return 400, ""  # the API refuses every parameter it does not define or cannot read
    if page.startswith("/admin/"):
        if (page, label) in ADMIN_ANSWERS:
            return ADMIN_ANSWERS[(page, label)], ""
        return 302, f"{page}?e=1"  # an unknown lookup: Django's changelist starts over, flagged
    if page in CYCLE_SCOPED and label in NO_SUCH_CYCLE:
        return 404, ""
    return 200, ""  # anything else is ignored or cleaned: the normal page


@pytest.mark.parametrize("page, role", PAGES.items(), ids=list(PAGES))
def test_hostile_queries_never_break_the_page(page, role, world, db, client):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    failures = []
    for label, query in HOSTILE_QUERIES.items():
        response = client.get(f"{page}?{query}")
        answer = (response.status_code, response.get("Location", ""))
        if answer != expected_answer(page, label):
            failures.append(f"{label}: {answer}, expected {expected_answer(page, label)}")
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            body = response.content.decode("utf-8", "replace")
            for raw in ("<script>alert(1)</script>", "<svg onload=alert(1)>"):
                if raw in body:
                    failures.append(f"{label}: echoed {raw!r} unescaped")
    print(f"\n{page}: {len(HOSTILE_QUERIES)} hostile queries")
    assert failures == []


HOSTILE_POSTS = {
    "nul": {"kind": "agency", "cycle": "mx-publicado\x00", "agency": "SEP\x00", "language": "es\x00"},
    "unknown-kind": {"kind": "../../etc", "cycle": "mx-publicado", "agency": "SEP"},
    "huge": {"kind": "agency", "cycle": "x" * 100_000, "agency": "y" * 100_000},
    "missing": {},
}


@pytest.mark.parametrize("label", HOSTILE_POSTS)
def test_hostile_report_requests_are_refused_cleanly(label, world, db, client):
    from reports.models import ReportJob

    client.force_login(world.user("secretariat"))
    before = ReportJob.objects.count()
    response = client.post("/reportes/solicitar/", HOSTILE_POSTS[label])
    # A NUL byte, an unknown kind, a cycle or agency that does not exist, nothing at all: in each
    # case there is no report this user may request, so the answer is the same 404.
    assert response.status_code == 404, response.status_code
    assert ReportJob.objects.count() == before


def test_an_unknown_report_language_falls_back_to_spanish(world, db, client):
    from reports.models import ReportJob

    client.force_login(world.user("secretariat"))
    before = set(ReportJob.objects.values_list("pk", flat=True))
    response = client.post(
        "/reportes/solicitar/",
        {"kind": "national", "cycle": "mx-publicado", "language": "<script>"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 202  # queued (no finished report of today's data to reuse)
    new = ReportJob.objects.exclude(pk__in=before)
    assert list(new.values_list("language", flat=True)) == ["es"]
