"""The access matrix: every URL the project serves × every role, each cell a test.

The URL list comes from the root URLconf (`get_resolver()`, walked recursively), so a URL
added anywhere in the project without a rule in RULES below makes
`test_every_url_has_a_rule` fail and tells the developer what to add.

Cells are parametrized test ids: `test_cell[<url key>|<case>|<role>]`. Each cell expects the one
right answer: an exact status, and for a redirect its exact Location (a login page coming back
to the URL asked for). Denial of another agency's object must be a 404 (no existence leak),
never a 403; the admin refuses staff with a 403 and sends everyone else to its login page.

The write cells (`test_write[<action>|<role>]`, at the end) POST, as each role, the changes the
workflow forbids (admin change and delete of frozen records), the workflow's transitions and the
agencies' answers and replies, and check both the answer and the record afterwards.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ROLES, secrets_hidden_from

# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    """The one right answer of a cell: `check(response, url, world)`."""

    name: str
    check: Callable

    def __repr__(self):
        return self.name


def _location(response) -> str:
    return response.get("Location", "")


def status(code: int) -> Outcome:
    """Exactly this status, and no redirect."""
    return Outcome(str(code), lambda r, url, w: r.status_code == code and not _location(r))


def redirect_to(target) -> Outcome:
    """A 302 to exactly `target` (a path, or world -> path)."""

    def check(r, url, w):
        return r.status_code == 302 and _location(r) == (target(w) if callable(target) else target)

    return Outcome(f"302 to {target if isinstance(target, str) else 'the page'}", check)


def _login_redirect(login_url: str) -> Outcome:
    """Sent to log in, coming back to exactly the page asked for (Django's redirect_to_login)."""

    def check(r, url, w):
        return r.status_code == 302 and _location(r) == redirect_to_login(url, login_url)["Location"]

    return Outcome(f"302 to {login_url}?next=", check)


OK = status(200)
QUEUED = Outcome("202 queued", lambda r, url, w: r.status_code == 202 and r.json()["reused"] is False)
REUSED = Outcome("200 reused", lambda r, url, w: r.status_code == 200 and r.json()["reused"] is True)
LOGIN = _login_redirect("/entrar/")
ADMIN_LOGIN = _login_redirect("/admin/login/")
FORBIDDEN = status(403)  # a role-level refusal where the object's existence is no secret (the admin)
NOT_FOUND = status(404)  # a refusal that must not tell whether the object exists
METHOD_NOT_ALLOWED = status(405)
HOME = redirect_to("/")


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def roles(default, **overrides):
    table = dict.fromkeys(ROLES, default)
    table.update(overrides)
    return table


STAFF = ("auditor", "superuser")
PUBLIC = everyone(OK)
SIGNED_IN = roles(OK, anonymous=LOGIN)


def agency_page(acronym: str, published: bool = True, outcome=OK):
    """A page about one agency: its own liaison, auditors and (published data) the secretariat;
    the other agency's liaison and users without a role get a 404."""
    other = "liaison_inm" if acronym == "SEP" else "liaison_sep"
    own = "liaison_sep" if acronym == "SEP" else "liaison_inm"
    return roles(
        NOT_FOUND,
        anonymous=LOGIN,
        auditor=outcome,
        superuser=outcome,
        secretariat=outcome if published else NOT_FOUND,
        **{own: outcome, other: NOT_FOUND},
    )


def own_agency_only(acronym: str, outcome=OK, auditors=None):
    """Objects of one agency that only its own liaisons (and auditors) handle: requests,
    answers, replies. Everyone else gets a 404."""
    own = "liaison_sep" if acronym == "SEP" else "liaison_inm"
    auditors = auditors or outcome
    return roles(NOT_FOUND, anonymous=LOGIN, auditor=auditors, superuser=auditors, **{own: outcome})


def cycle_page(open_cycle: bool, outcome=OK):
    """A page scoped to a cycle chosen with ?ciclo=: the open cycle is visible to auditors and to
    SEP's liaison (SEP has validated ratings to reply to), not to the secretariat nor INM."""
    if not open_cycle:
        return roles(outcome, anonymous=LOGIN)
    return roles(NOT_FOUND, anonymous=LOGIN, auditor=outcome, superuser=outcome, liaison_sep=outcome)


def scorecard_cases(prefix: str, fmt: str | None = None):
    kw = (lambda acronym: lambda w: {"acronym": acronym, "fmt": fmt}) if fmt else (lambda a: lambda w: {"acronym": a})
    download = fmt is not None
    inm_hidden = {"liaison_sep": ["Instituto Nacional de Migración"]}
    return [
        Case(f"{prefix}SEP", agency_page("SEP"), kwargs=kw("SEP"), download=download),
        Case(
            f"{prefix}SEP-published",
            agency_page("SEP"),
            kwargs=kw("SEP"),
            query="ciclo=mx-publicado",
            download=download,
        ),
        Case(
            f"{prefix}SEP-open",
            roles(NOT_FOUND, anonymous=LOGIN, auditor=OK, superuser=OK, liaison_sep=OK),
            kwargs=kw("SEP"),
            query="ciclo=mx-abierto",
            download=download,
            hidden=inm_hidden,
        ),
        Case(
            f"{prefix}INM-open",  # INM's ratings of the open cycle are drafts: not even its liaison
            roles(NOT_FOUND, anonymous=LOGIN, auditor=OK, superuser=OK),
            kwargs=kw("INM"),
            query="ciclo=mx-abierto",
            download=download,
        ),
        Case(f"{prefix}INM", agency_page("INM"), kwargs=kw("INM"), download=download),
        Case(f"{prefix}unknown", roles(NOT_FOUND, anonymous=LOGIN), kwargs=kw("NOEXISTE")),
    ]


def evidence_cases():
    """Evidence files: auditors all; the secretariat published ones; a liaison its own agency's
    visible ratings; public evidence of published cycles also to liaisons of other agencies? No:
    a liaison reads only its own agency's ratings."""
    cases = []
    for label in ("published", "open"):
        for acronym in ("SEP", "INM"):
            for secrecy in ("confidential", "public"):
                own = "liaison_sep" if acronym == "SEP" else "liaison_inm"
                own_sees = label == "published" or acronym == "SEP"  # SEP's open rating is validated
                public = label == "published" and secrecy == "public"
                expect = roles(
                    NOT_FOUND,
                    # Redacted evidence of a published cycle is public (also on /publico/); a liaison
                    # reads only its own agency's ratings, so not the other agency's (404).
                    no_role=OK if public else NOT_FOUND,
                    anonymous=LOGIN,
                    auditor=OK,
                    superuser=OK,
                    secretariat=OK if label == "published" else NOT_FOUND,
                    **{own: OK if own_sees else NOT_FOUND},
                )
                cases.append(
                    Case(
                        f"{acronym}-{label}-{secrecy}",
                        expect,
                        kwargs=lambda w, k=(label, acronym, secrecy): {"pk": w.evidence[k].pk},
                        download=True,
                    )
                )
    return cases


JSON = {"HTTP_ACCEPT": "application/json"}


def _fingerprint_current(job):
    """Mark a finished report as built from today's data (so a new request reuses it)."""
    from reports import jobs
    from reports.models import ReportJob

    fingerprint = jobs.data_fingerprint(job.kind, job.cycle, job.agency)
    ReportJob.objects.filter(pk=job.pk).update(data_fingerprint=fingerprint)


def sep_report_request(answer: Outcome) -> dict:
    """Who may request SEP's report of the published cycle: its liaison, the secretariat and staff."""
    return roles(NOT_FOUND, anonymous=LOGIN, liaison_sep=answer, secretariat=answer, auditor=answer, superuser=answer)


def SEP_PUBLISHED_REPORT(w):  # noqa: N802 - a constant-like POST body builder
    return {"kind": "agency", "cycle": "mx-publicado", "agency": "SEP", "language": "es"}


def _pk(key):
    return lambda w: {"pk": w.extra[key].pk}


# --------------------------------------------------------------------------- rules


@dataclass
class Case:
    label: str
    expect: dict  # role -> Outcome
    kwargs: Callable = lambda w: {}  # world -> URL kwargs
    query: str = ""
    method: str = "get"
    data: Callable = lambda w: {}  # world -> POST data
    download: bool = False  # an allowed answer must be an attachment, never sniffed
    headers: dict = field(default_factory=dict)  # extra request headers (Accept: JSON)
    setup: Callable | None = None  # world -> None: prepares the data inside the cell's savepoint
    hidden: dict | None = None  # role -> texts this page must not show that role (on top of the world's secrets)


RULES: dict[str, list[Case]] = {
    "home": [Case("home", PUBLIC)],
    "health": [Case("health", PUBLIC)],
    "login": [Case("form", PUBLIC)],
    "logout": [
        Case("get", everyone(METHOD_NOT_ALLOWED)),
        Case("post", everyone(HOME), method="post"),  # LOGOUT_REDIRECT_URL
    ],
    "set_language": [Case("post", everyone(HOME), method="post", data=lambda w: {"language": "en", "next": "/"})],
    # --- scorecards and the national panorama (reports/urls.py)
    "reports:agency_scorecard": scorecard_cases(""),
    "reports:agency_scorecard_data": scorecard_cases("csv-", "csv")
    + scorecard_cases("json-", "json")
    + [Case("xml", roles(NOT_FOUND, anonymous=LOGIN), kwargs=lambda w: {"acronym": "SEP", "fmt": "xml"})],
    "reports:panorama": [
        Case("default", cycle_page(False), hidden={"liaison_sep": ["INM"], "liaison_inm": ["SEP"]}),
        Case("published", cycle_page(False), query="ciclo=mx-publicado"),
        Case("open", cycle_page(True), query="ciclo=mx-abierto"),
    ],
    "reports:panorama_scores": [
        Case(
            fmt,
            cycle_page(False),
            kwargs=lambda w, f=fmt: {"fmt": f},
            download=True,
            hidden={"liaison_sep": ["INM"], "liaison_inm": ["SEP"]},
        )
        for fmt in ("csv", "json")
    ]
    + [Case("open", cycle_page(True), kwargs=lambda w: {"fmt": "csv"}, query="ciclo=mx-abierto")],
    "reports:panorama_data": [
        Case(
            fmt,
            cycle_page(False),
            kwargs=lambda w, f=fmt: {"fmt": f},
            download=True,
            hidden={"liaison_sep": ["INM"], "liaison_inm": ["SEP"]},
        )
        for fmt in ("csv", "json")
    ]
    + [Case("open", cycle_page(True), kwargs=lambda w: {"fmt": "csv"}, query="ciclo=mx-abierto")],
    # --- evidence files (obligations/urls.py)
    "obligations:evidence_download": evidence_cases(),
    # --- information requests and the right of reply (obligations/request_urls.py)
    "information_requests:list": [Case("list", SIGNED_IN)],
    "information_requests:detail": [Case(a, own_agency_only(a), kwargs=_pk(f"addressee-{a}")) for a in ("SEP", "INM")],
    "information_requests:answer": [
        Case(
            a,
            own_agency_only(a),
            kwargs=lambda w, a=a: {"pk": w.extra[f"addressee-{a}"].pk, "obligation_id": w.obligation.pk},
        )
        for a in ("SEP", "INM")
    ],
    "information_requests:attachment": [
        Case(a, own_agency_only(a), kwargs=_pk(f"attachment-{a}"), download=True) for a in ("SEP", "INM")
    ],
    "information_requests:answer_document": [
        # SEP's answer is a draft: it stays with the agency, auditors do not read it yet.
        Case("SEP-draft", own_agency_only("SEP", auditors=NOT_FOUND), kwargs=_pk("answer_document-SEP"), download=True),
        Case("INM-submitted", own_agency_only("INM"), kwargs=_pk("answer_document-INM"), download=True),
    ],
    "replies:list": [Case("list", SIGNED_IN)],
    "replies:reply": [
        # Filing a reply is the agency's act; auditors answer it in the admin.
        Case(
            "SEP-open",
            own_agency_only("SEP", auditors=NOT_FOUND),
            kwargs=lambda w: {"assessment_id": w.assessments[("open", "SEP")].pk},
        ),
        Case(
            "INM-published",  # read-only once published, for the agency's own liaison
            roles(NOT_FOUND, anonymous=LOGIN, liaison_inm=OK),
            kwargs=lambda w: {"assessment_id": w.assessments[("published", "INM")].pk},
        ),
    ],
    "replies:document": [
        Case("SEP", own_agency_only("SEP"), kwargs=_pk("reply_document-SEP"), download=True),
    ],
    # --- report jobs (reports/job_urls.py): POST to request, GET to poll and download
    "report_jobs:request": [
        # The progress widget asks for JSON: 202 for a new job in the queue, 200 for a finished
        # report of the same (published, unchanged) data.
        Case(
            "SEP-published",
            sep_report_request(QUEUED),
            method="post",
            data=SEP_PUBLISHED_REPORT,
            headers=JSON,
        ),
        Case(
            "SEP-published-unchanged",
            sep_report_request(REUSED),
            method="post",
            data=SEP_PUBLISHED_REPORT,
            headers=JSON,
            setup=lambda w: _fingerprint_current(w.jobs[("published", "SEP")]),
        ),
        Case(
            "national-published",
            roles(NOT_FOUND, anonymous=LOGIN, secretariat=QUEUED, auditor=QUEUED, superuser=QUEUED),
            method="post",
            data=lambda w: {"kind": "national", "cycle": "mx-publicado", "language": "es"},
            headers=JSON,
        ),
        Case(
            "SEP-open",  # reports of an unpublished cycle: auditors only (never reused: drafts change)
            roles(NOT_FOUND, anonymous=LOGIN, auditor=QUEUED, superuser=QUEUED),
            method="post",
            data=lambda w: {"kind": "agency", "cycle": "mx-abierto", "agency": "SEP", "language": "es"},
            headers=JSON,
        ),
        Case(
            "SEP-published-form",  # without JavaScript: back to `next`, or home when it is missing
            sep_report_request(HOME),
            method="post",
            data=SEP_PUBLISHED_REPORT,
        ),
    ],
    # The PDF panel of a cached page asks for the newest job of the report it offers: whoever
    # may request that report gets it (or {"id": null}); everyone else the same 404.
    "report_jobs:latest": [
        Case("SEP-published", sep_report_request(OK), query="kind=agency&cycle=mx-publicado&agency=SEP"),
        Case(
            "national-published",
            roles(NOT_FOUND, anonymous=LOGIN, secretariat=OK, auditor=OK, superuser=OK),
            query="kind=national&cycle=mx-publicado",
        ),
        Case(
            "SEP-open",
            roles(NOT_FOUND, anonymous=LOGIN, auditor=OK, superuser=OK),
            query="kind=agency&cycle=mx-abierto&agency=SEP",
        ),
    ],
    "report_jobs:status": [],  # filled below (job_cases)
    "report_jobs:download": [],
    "report_jobs:retry": [],
    # --- the public portal (reports/public_urls.py): anonymous, published data only
    "public:index": [Case("index", PUBLIC)],
    "public:open_data": [Case("index", PUBLIC)],
    "public:dictionary": [Case("page", PUBLIC)],
    "public:dataset": [
        Case(f"{name}.{fmt}", PUBLIC, kwargs=lambda w, n=name, f=fmt: {"name": n, "fmt": f}, download=True)
        for name in ("assessments", "obligations", "agencies")
        for fmt in ("csv", "json")
    ]
    + [
        Case(
            "assessments-open-cycle",
            everyone(NOT_FOUND),
            kwargs=lambda w: {"name": "assessments", "fmt": "csv"},
            query="ciclo=mx-abierto",
        ),
        Case("unknown", everyone(NOT_FOUND), kwargs=lambda w: {"name": "users", "fmt": "csv"}),
    ],
    "public:reports": [Case("list", PUBLIC)],
    "public:report_download": [
        Case("published-SEP", PUBLIC, kwargs=lambda w: {"pk": w.jobs[("published", "SEP")].pk}, download=True),
        Case(
            "published-national", PUBLIC, kwargs=lambda w: {"pk": w.jobs[("published", "national")].pk}, download=True
        ),
        Case("open-SEP", everyone(NOT_FOUND), kwargs=lambda w: {"pk": w.jobs[("open", "SEP")].pk}),
    ],
    "public:evidence_download": [
        Case(
            f"{acronym}-{label}-{secrecy}",
            PUBLIC if (label, secrecy) == ("published", "public") else everyone(NOT_FOUND),
            kwargs=lambda w, k=(label, acronym, secrecy): {"pk": w.evidence[k].pk},
            download=True,
        )
        for label in ("published", "open")
        for acronym in ("SEP", "INM")
        for secrecy in ("confidential", "public")
    ],
    "public:panorama": [
        Case("published", PUBLIC, kwargs=lambda w: {"cycle": "mx-publicado"}),
        Case("open", everyone(NOT_FOUND), kwargs=lambda w: {"cycle": "mx-abierto"}),
    ],
    "public:scorecard": [
        Case(
            f"{c}-{a}",
            PUBLIC if c == "mx-publicado" else everyone(NOT_FOUND),
            kwargs=lambda w, c=c, a=a: {"cycle": c, "acronym": a},
        )
        for c in ("mx-publicado", "mx-abierto")
        for a in ("SEP", "INM")
    ],
    "verify": [Case("page", PUBLIC)],  # the public «Verificar reporte» page (main, issue 12)
    # --- "La Ley" (obligations/law_urls.py): public, ratings of published cycles only
    "law:index": [Case("index", PUBLIC, hidden=dict.fromkeys(ROLES, ["mx-abierto"]))],
    "law:agency": [
        Case(a, PUBLIC, kwargs=lambda w, a=a: {"acronym": a}, hidden=dict.fromkeys(ROLES, ["mx-abierto"]))
        for a in ("SEP", "INM")
    ]
    + [Case("unknown", everyone(NOT_FOUND), kwargs=lambda w: {"acronym": "NOEXISTE"})],
    "law:reform": [Case("unknown", everyone(NOT_FOUND), kwargs=lambda w: {"day": "2020-01-01"})],
    # --- the read-only JSON API (reports/api_urls.py): anonymous, published data only
    "api:index": [Case("index", PUBLIC)],
    "api:openapi": [Case("schema", PUBLIC)],
    "api:cycles": [Case("list", PUBLIC, hidden=dict.fromkeys(ROLES, ["mx-abierto"]))],
    "api:agencies": [Case("list", PUBLIC)],
    "api:obligations": [Case("list", PUBLIC)],
    "api:assessments": [
        Case("all", PUBLIC, hidden=dict.fromkeys(ROLES, ["mx-abierto"])),
        Case("open-cycle", PUBLIC, query="cycle=mx-abierto", hidden=dict.fromkeys(ROLES, ["mx-abierto"])),
        Case("SEP", PUBLIC, query="cycle=mx-publicado&agency=SEP", hidden=dict.fromkeys(ROLES, ["INM"])),
    ],
    "api:indicator_values": [Case("list", PUBLIC)],
    "api:states": [Case("list", PUBLIC)],
    "api:state_facts": [Case("list", PUBLIC)],
    "api:recommendation_links": [Case("list", PUBLIC)],
    # --- the sources' figures, the states and the recommendations register: reference data, public
    "figures:national": [Case("page", PUBLIC)],
    "figures:agency": [
        Case("SEP", PUBLIC, kwargs=lambda w: {"acronym": "SEP"}),
        Case("unknown", everyone(NOT_FOUND), kwargs=lambda w: {"acronym": "NO-EXISTE"}),
    ],
    "figures:states": [Case("page", PUBLIC)],
    "figures:state": [
        Case("colima", PUBLIC, kwargs=lambda w: {"code": "06"}),
        Case("no-such-state", everyone(NOT_FOUND), kwargs=lambda w: {"code": "33"}),
    ],
    "figures:recommendations": [Case("page", PUBLIC)],
}


def job_cases(download: bool = False, method: str = "get"):
    """Report jobs: auditors every job; the secretariat every job of a published cycle; a
    liaison its own agency's reports of published cycles (not the national one)."""
    ok = HOME if method == "post" else OK  # a retry from a form goes back home (no `next`)
    table = {
        ("published", "SEP"): roles(
            NOT_FOUND, anonymous=LOGIN, auditor=ok, superuser=ok, secretariat=ok, liaison_sep=ok
        ),
        ("published", "INM"): roles(
            NOT_FOUND, anonymous=LOGIN, auditor=ok, superuser=ok, secretariat=ok, liaison_inm=ok
        ),
        ("published", "national"): roles(NOT_FOUND, anonymous=LOGIN, auditor=ok, superuser=ok, secretariat=ok),
        ("open", "SEP"): roles(NOT_FOUND, anonymous=LOGIN, auditor=ok, superuser=ok),
    }
    return [
        Case(
            f"{label}-{subject}",
            expect,
            kwargs=lambda w, k=(label, subject): {"job_id": w.jobs[k].pk},
            download=download,
            method=method,
        )
        for (label, subject), expect in table.items()
    ]


RULES["report_jobs:status"] = job_cases()
RULES["report_jobs:download"] = job_cases(download=True)
RULES["report_jobs:retry"] = job_cases(method="post")

# --------------------------------------------------------------------------- admin (generic rule)
# Every URL of the admin site is for auditors and superusers only: anyone else is sent to the
# admin's login page. Model URLs are filled with an object of that model from the world.


def admin_staff(answer: Outcome) -> dict:
    """An admin page for auditors and superusers (the same answer for both)."""
    return roles(ADMIN_LOGIN, auditor=answer, superuser=answer)


ADMIN_PAGE = admin_staff(OK)
ADMIN_NOBODY = admin_staff(FORBIDDEN)
# Accounts and lockouts are managed by superusers only (an auditor cannot grant roles): the
# auditor gets 403 on their pages, and their app index does not exist for them (404).
SUPERUSER_APPS = ("auth", "axes")
# What a staff GET of each kind of admin URL answers when allowed.
ADMIN_STAFF_GET = {
    "changelist": OK,
    "add": OK,
    "change": OK,
    "delete": OK,  # the confirmation page
    "history": OK,
    "simple_history": OK,
    "import": OK,
    "process_import": METHOD_NOT_ALLOWED,  # the confirmation of an import is a POST
    "export": OK,
    "open": OK,  # opening a cycle: its form
    "validate": METHOD_NOT_ALLOWED,  # a button, POST only
    "return": OK,  # the reason form
}
# Staff answers that differ from the kind's, per (model, suffix).
ADMIN_STAFF_SPECIAL = {
    # A cycle is never typed in: it is opened (which creates its ratings).
    ("obligations.reviewcycle", "add"): redirect_to("/admin/obligations/reviewcycle/abrir/"),
}
ADMIN_SPECIAL: dict[str, list[Case]] = {
    "admin:login": [Case("form", roles(OK, auditor=redirect_to("/admin/"), superuser=redirect_to("/admin/")))],
    # Non-staff are sent away (to the admin index, which sends them to log in); staff must POST.
    "admin:logout": [
        Case("get", roles(redirect_to("/admin/"), auditor=METHOD_NOT_ALLOWED, superuser=METHOD_NOT_ALLOWED))
    ],
    "admin:index": [Case("index", ADMIN_PAGE)],
}
# Known admin kwargs and how to fill them from an object of the model.
ADMIN_SUFFIXES = tuple(ADMIN_STAFF_GET) + ("autocomplete", "import_job")


def _admin_models():
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def _object_for(world, model):
    label = model._meta.label_lower
    if label in world.extra:
        return world.extra[label]
    found = model._default_manager.order_by("pk").first()
    if found is None:
        pytest.fail(f"The access-matrix world has no {label}: add one in tests/security/world.py", pytrace=False)
    return found


def _admin_kwargs(world, model, needed):
    kwargs = {}
    obj = _object_for(world, model) if needed else None
    for name in needed:
        if name == "object_id":
            kwargs[name] = obj.pk
        elif name in ("history_id", "version_id"):
            record = obj.history.order_by("history_id").first()
            if record is None:
                pytest.fail(f"{model._meta.label} has no history row to open", pytrace=False)
            kwargs[name] = record.history_id
        else:
            pytest.fail(f"admin URL for {model._meta.label} needs {name!r}: teach _admin_kwargs", pytrace=False)
    return kwargs


def _history_args(world, model):
    obj = _object_for(world, model)
    record = obj.history.order_by("history_id").first()
    if record is None:
        pytest.fail(f"{model._meta.label} has no history row to open", pytrace=False)
    return {"__args__": [obj.pk, record.history_id]}


def admin_cases(key: str, endpoint) -> list[Case] | None:
    if key in ADMIN_SPECIAL:
        return ADMIN_SPECIAL[key]
    if not key.startswith("admin:"):
        return None
    name = key.split(":", 1)[1]
    needed = endpoint.kwarg_names
    if name == "app_list":
        return [
            Case(
                app,
                roles(ADMIN_LOGIN, auditor=NOT_FOUND, superuser=OK) if app in SUPERUSER_APPS else ADMIN_PAGE,
                kwargs=lambda w, app=app: {"app_label": app},
            )
            for app in sorted({m._meta.app_label for m in admin.site._registry})
        ]
    if name in ("password_change", "password_change_done", "jsi18n"):
        return [Case(name, ADMIN_PAGE)]
    if name == "autocomplete":  # 403 for staff without the widget's parameters: still not a login redirect
        return [Case("no-params", ADMIN_NOBODY)]
    if name == "view_on_site":
        return [
            Case(
                "evidence",
                # Evidence has no page of its own on the site (files are downloaded): nowhere to go.
                admin_staff(NOT_FOUND),
                kwargs=lambda w: {
                    "content_type_id": _content_type_id(w.evidence[("open", "SEP", "confidential")]),
                    "object_id": w.evidence[("open", "SEP", "confidential")].pk,
                },
            )
        ]
    if name == "auth_user_password_change":
        return [
            Case(
                "user",
                roles(ADMIN_LOGIN, auditor=FORBIDDEN, superuser=OK),
                kwargs=lambda w: {"id": w.users["liaison_sep"].pk},
            )
        ]
    for prefix, model in _admin_models().items():
        suffix = name[len(prefix) + 1 :]
        if name.startswith(prefix + "_") and suffix in ADMIN_SUFFIXES:
            label = model._meta.label_lower
            answer = ADMIN_STAFF_SPECIAL.get((label, suffix), ADMIN_STAFF_GET.get(suffix))
            if suffix in ADMIN_STAFF_REFUSED.get(label, ()) or suffix == "autocomplete":
                expect = ADMIN_NOBODY
            elif model._meta.app_label in SUPERUSER_APPS:
                expect = roles(ADMIN_LOGIN, auditor=FORBIDDEN, superuser=answer)
            else:
                expect = admin_staff(answer)
            if suffix == "import_job":  # an unknown token: nobody's job (each job is its uploader's only)
                return [Case(model._meta.model_name, admin_staff(NOT_FOUND), kwargs=lambda w: {"token": uuid.uuid4()})]
            if suffix == "simple_history":  # positional groups: (object_id, history_id)
                return [Case(model._meta.model_name, expect, kwargs=lambda w, m=model: _history_args(w, m))]
            return [Case(model._meta.model_name, expect, kwargs=lambda w, m=model: _admin_kwargs(w, m, needed))]
    return None


# Custom admin views (actions with their own URL) named <app>_<model>_<suffix> are in
# ADMIN_STAFF_GET ("open", "validate", "return"): list one there once you have checked it uses
# the admin's permission wrapper.

# What the admin refuses even to auditors and superusers, by design (403): ratings are created
# by opening a cycle, never typed in or deleted; evidence is added on the rating's page;
# answers and replies come from the agencies; reminders are recorded by the task. Only the
# reference catalogue and the ratings have import/export screens (other models have no such URL).
ADMIN_STAFF_REFUSED = {
    "axes.accessattempt": {"add"},  # lockouts are recorded by axes, never typed in
    "axes.accessfailurelog": {"add"},
    "axes.accesslog": {"add"},
    "obligations.assessment": {"add", "delete"},
    "obligations.evidence": {"add", "delete"},
    "obligations.reviewcycle": {"delete"},
    "obligations.reply": {"add", "delete"},
    "information_requests.informationrequest": {"delete"},
    "information_requests.answer": {"add", "delete"},
    "information_requests.remindersent": {"add", "delete"},
    "reports.reportjob": {"delete"},
}


def _content_type_id(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# --------------------------------------------------------------------------- the walk


@dataclass
class Endpoint:
    key: str  # "namespace:name", or the route for unnamed patterns
    route: str
    kwarg_names: tuple


def walk(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, route, ns)
        elif isinstance(pattern, URLPattern):
            names = tuple(pattern.pattern.regex.groupindex)
            key = (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else route
            yield Endpoint(key=key, route=route, kwarg_names=names)


def unnamed_admin_cases(endpoint) -> list[Case] | None:
    """The admin's unnamed patterns: `<app>/<model>/<object_id>/` redirects to the change page,
    and the final catch-all."""
    if not endpoint.route.startswith("admin/"):
        return None
    if endpoint.route.endswith("<path:object_id>/"):
        # Django's old-style object URL: staff are sent on to its change page.
        change = Outcome("302 to change/", lambda r, url, w: r.status_code == 302 and _location(r) == url + "change/")
        return [Case("object-redirect", admin_staff(change), kwargs=lambda w: {"object_id": "x"})]
    if "(?P<url>.*)$" in endpoint.route:
        return [Case("catch-all", roles(ADMIN_LOGIN, auditor=NOT_FOUND, superuser=NOT_FOUND))]
    return None


ENDPOINTS = list(walk())


def cases_for(endpoint) -> list[Case] | None:
    return RULES.get(endpoint.key) or admin_cases(endpoint.key, endpoint) or unnamed_admin_cases(endpoint)


CELLS = []
MISSING = []
for endpoint in ENDPOINTS:
    cases = cases_for(endpoint)
    if cases is None:
        MISSING.append(endpoint)
        continue
    for case in cases:
        for role in ROLES:
            CELLS.append(pytest.param(endpoint, case, role, id=f"{endpoint.key}|{case.label}|{role}"))


def test_every_url_has_a_rule():
    print(
        f"\naccess matrix: {len(ENDPOINTS)} URL patterns, {len(CELLS) // len(ROLES)} concrete URLs "
        f"x {len(ROLES)} roles = {len(CELLS)} cells"
    )
    assert not MISSING, (
        "These URLs have no rule in tests/security/test_access_matrix.py::RULES; add one saying who may "
        "open them (and with which object):\n" + "\n".join(f"  {e.key}  ({e.route})" for e in MISSING)
    )


# --------------------------------------------------------------------------- the cells


def build_url(endpoint, case, world) -> str:
    kwargs = case.kwargs(world)
    if endpoint.key.startswith("admin/") or ":" not in endpoint.key and "/" in endpoint.key:
        url = "/" + endpoint.route
        for name, value in kwargs.items():
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
        url = url.replace("(?P<url>.*)$", "no-such-page/").replace("^", "")
    elif "__args__" in kwargs:
        url = reverse(endpoint.key, args=kwargs["__args__"])
    else:
        url = reverse(endpoint.key, kwargs=kwargs or None)
    return url + (("?" + case.query) if case.query else "")


@pytest.mark.parametrize("endpoint, case, role", CELLS)
def test_cell(endpoint, case, role, world, db):
    client = Client(raise_request_exception=False)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url = build_url(endpoint, case, world)
    if case.setup:
        case.setup(world)
    if case.method == "post":
        response = client.post(url, case.data(world), **case.headers)
    else:
        response = client.get(url, **case.headers)
    expected = case.expect[role]
    assert response.status_code != 500, f"{role} {case.method.upper()} {url} -> 500"
    assert expected.check(response, url, world), (
        f"{role} {case.method.upper()} {url}: expected {expected.name}, got {response.status_code} "
        f"{_location(response)}"
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    leaked = [s for s in secrets_hidden_from(role) + (case.hidden or {}).get(role, []) if s in text]
    assert not leaked, f"{role} GET {url} shows what it must not: {leaked}"
    if case.download and response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment;"), response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', response["Content-Disposition"]), (
            f"unsafe download name: {response['Content-Disposition']}"
        )


# --------------------------------------------------------------------------- the write actions
# Each role POSTs what would change a record the rules freeze (or move it through the
# workflow), and the cell checks the one right answer AND the record afterwards: unchanged
# unless the role is one that the rules let act.


@dataclass
class Write:
    label: str
    url: Callable  # world -> URL
    expect: dict  # role -> Outcome
    state: Callable  # world -> what the POST could change, read from the database
    data: Callable = lambda w: {}  # world -> POST data
    changes: tuple = ()  # roles whose POST changes `state` (for everyone else it must not)
    setup: Callable | None = None  # world -> None: prepares the record inside the cell's savepoint


def _admin_url(obj, suffix):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{suffix}", args=[obj.pk])


def _row(model, pk, *fields):
    return tuple(model._default_manager.filter(pk=pk).values_list(*fields).get())


def _assessment_state(key):
    def state(w):
        from obligations.models import Assessment

        pk = w.assessments[key].pk
        return _row(Assessment, pk, "status", "rationale", "workflow_state", "validator", "return_reason", "version")

    return state


def _set_assessment(key, **fields):
    def setup(w):
        from obligations.models import Assessment

        Assessment.objects.filter(pk=w.assessments[key].pk).update(**fields)

    return setup


def _rating_form(key, **fields):
    def data(w):
        from obligations.models import Assessment
        from tests.obligations.workflow_factories import rating_post

        assessment = Assessment.objects.get(pk=w.assessments[key].pk)
        return rating_post(assessment, **{"status": assessment.status, "rationale": assessment.rationale, **fields})

    return data


def _frozen(label, obj_fn, state, change_data):
    """The admin's change and delete of a record the rules freeze: staff get 403 (no route
    writes it), everyone else the admin's login page; nothing changes."""
    return [
        Write(f"change-{label}", lambda w: _admin_url(obj_fn(w), "change"), ADMIN_NOBODY, state, data=change_data),
        Write(
            f"delete-{label}",
            lambda w: _admin_url(obj_fn(w), "delete"),
            ADMIN_NOBODY,
            state,
            data=lambda w: {"post": "yes"},
        ),
    ]


def _answer_state(acronym):
    def state(w):
        from information_requests.models import Answer

        answer = Answer.objects.get(addressee=w.extra[f"addressee-{acronym}"], obligation=w.obligation)
        return (answer.text, answer.state, answer.submitted_at, answer.documents.count())

    return state


def _answer_url(acronym):
    return lambda w: reverse(
        "information_requests:answer",
        kwargs={"pk": w.extra[f"addressee-{acronym}"].pk, "obligation_id": w.obligation.pk},
    )


def _replies_of(key):
    def state(w):
        from obligations.models import Reply

        return tuple(Reply.objects.filter(assessment=w.assessments[key]).values_list("text", flat=True))

    return state


def _reply_url(key):
    return lambda w: reverse("replies:reply", kwargs={"assessment_id": w.assessments[key].pk})


def _change_page(key):
    return lambda w: _admin_url(w.assessments[key], "change")


WORKFLOW_STAFF = ("auditor", "superuser")
WRITES: list[Write] = [
    # --- frozen records: no admin route changes or deletes them
    *_frozen(
        "validated-assessment",
        lambda w: w.assessments[("open", "SEP")],
        _assessment_state(("open", "SEP")),
        _rating_form(("open", "SEP"), rationale="CAMBIADA", status="complied"),
    ),
    *_frozen(
        "submitted-answer",
        lambda w: w.extra["information_requests.answer"],
        _answer_state("INM"),
        lambda w: {"text": "CAMBIADA", "state": "draft"},
    ),
    *_frozen(
        "sent-request",
        lambda w: w.requests["SEP"],
        lambda w: _row(type(w.requests["SEP"]), w.requests["SEP"].pk, "title", "questions", "due_date", "state"),
        lambda w: {"title": "CAMBIADA", "questions": "Otra", "due_date": "2031-01-31", "cycle": w.cycles["open"].pk},
    ),
    *_frozen(
        "published-cycle",
        lambda w: w.cycles["published"],
        lambda w: _row(type(w.cycles["published"]), w.cycles["published"].pk, "name_es", "state", "period_end"),
        lambda w: {
            "slug": "mx-publicado",
            "name_es": "CAMBIADO",
            "period_start": "2012-06-15",
            "period_end": "2018-07-31",
        },
    ),
    # --- the workflow through the admin's buttons
    Write(
        "submit-draft",  # "Guardar y enviar a validación" on INM's draft (a complete rating)
        _change_page(("open", "INM")),
        admin_staff(redirect_to(_change_page(("open", "INM")))),
        _assessment_state(("open", "INM")),
        data=_rating_form(("open", "INM"), status="not_complied", rationale="Sin programa.", _workflow="submit"),
        changes=WORKFLOW_STAFF,
    ),
    Write(
        "validate-via-change-form",  # a submitted rating is read-only: its form cannot carry a transition
        _change_page(("open", "INM")),
        ADMIN_NOBODY,
        _assessment_state(("open", "INM")),
        data=_rating_form(("open", "INM"), _workflow="validate"),
        setup=_set_assessment(("open", "INM"), workflow_state="submitted"),
    ),
    Write(
        "validate-submitted",  # the auditor rated it: only someone else validates (the page says why)
        lambda w: _admin_url(w.assessments[("open", "INM")], "validate"),
        admin_staff(redirect_to(_change_page(("open", "INM")))),
        _assessment_state(("open", "INM")),
        changes=("superuser",),
        setup=_set_assessment(("open", "INM"), workflow_state="submitted"),
    ),
    Write(
        "return-validated",
        lambda w: _admin_url(w.assessments[("open", "SEP")], "return"),
        admin_staff(redirect_to(_change_page(("open", "SEP")))),
        _assessment_state(("open", "SEP")),
        data=lambda w: {"reason": "Falta el oficio de respuesta."},
        changes=WORKFLOW_STAFF,
    ),
    Write(
        "return-published",  # a published cycle is read-only: the form shows the reason again
        lambda w: _admin_url(w.assessments[("published", "SEP")], "return"),
        ADMIN_PAGE,
        _assessment_state(("published", "SEP")),
        data=lambda w: {"reason": "Falta el oficio de respuesta."},
    ),
    # --- the agencies' answers to information requests
    Write(
        "answer-SEP-draft",  # "Guardar borrador" while the rating is a draft: the page again
        _answer_url("SEP"),
        roles(NOT_FOUND, anonymous=LOGIN, liaison_sep=redirect_to(_answer_url("SEP"))),
        _answer_state("SEP"),
        data=lambda w: {"text": "RESPUESTA-NUEVA", "action": "save"},
        changes=("liaison_sep",),
        setup=_set_assessment(("open", "SEP"), workflow_state="draft", validator=None),
    ),
    Write(
        "answer-SEP-rating-validated",  # too late to become evidence: the page says why, nothing saved
        _answer_url("SEP"),
        roles(NOT_FOUND, anonymous=LOGIN, liaison_sep=OK),
        _answer_state("SEP"),
        data=lambda w: {"text": "RESPUESTA-NUEVA", "action": "save"},
    ),
    Write(
        "answer-INM-submitted",  # sent answers are read-only: the page says so, nothing is saved
        _answer_url("INM"),
        roles(NOT_FOUND, anonymous=LOGIN, liaison_inm=OK),
        _answer_state("INM"),
        data=lambda w: {"text": "RESPUESTA-CAMBIADA", "action": "submit"},
    ),
    # --- the agencies' right of reply
    Write(
        "reply-SEP-new",  # a freshly validated rating of the open cycle, without a reply yet
        _reply_url(("open-draft", "SEP")),
        roles(NOT_FOUND, anonymous=LOGIN, liaison_sep=redirect_to(_reply_url(("open-draft", "SEP")))),
        _replies_of(("open-draft", "SEP")),
        data=lambda w: {"text": "REPLICA-NUEVA"},
        changes=("liaison_sep",),
        setup=_set_assessment(("open-draft", "SEP"), workflow_state="validated"),
    ),
    Write(
        "reply-SEP-second",  # one reply per rating
        _reply_url(("open", "SEP")),
        roles(NOT_FOUND, anonymous=LOGIN),
        _replies_of(("open", "SEP")),
        data=lambda w: {"text": "OTRA-REPLICA"},
    ),
    Write(
        "reply-INM-published",  # the reply period ended with publication
        _reply_url(("published", "INM")),
        roles(NOT_FOUND, anonymous=LOGIN),
        _replies_of(("published", "INM")),
        data=lambda w: {"text": "REPLICA-TARDIA"},
    ),
]
WRITE_CELLS = [pytest.param(write, role, id=f"{write.label}|{role}") for write in WRITES for role in ROLES]


@pytest.mark.parametrize("write, role", WRITE_CELLS)
def test_write(write, role, world, db):
    if write.setup:
        write.setup(world)
    client = Client(raise_request_exception=False)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url = write.url(world)
    before = write.state(world)
    response = client.post(url, write.data(world))
    expected = write.expect[role]
    assert expected.check(response, url, world), (
        f"{role} POST {url}: expected {expected.name}, got {response.status_code} {_location(response)}"
    )
    after = write.state(world)
    if role in write.changes:
        assert after != before, f"{role} POST {url} answered {response.status_code} but changed nothing"
    else:
        assert after == before, f"{role} POST {url} was refused but changed {before} -> {after}"
