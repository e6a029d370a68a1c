"""The access matrix: every URL the project serves × every role, each cell a test.

The URL list comes from the root URLconf (`get_resolver()`, walked recursively), so a URL
added anywhere in the project without a rule in RULES below makes
`test_every_url_has_a_rule` fail and tells the developer what to add.

Cells are parametrized test ids: `test_cell[<url key>|<case>|<role>]`. The expected result of
each cell is one of the outcomes below; denial of another agency's object must be a 404 (no
existence leak), never a 403.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ROLES, secrets_hidden_from

# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    name: str
    check: Callable

    def __repr__(self):
        return self.name

    def __or__(self, other):
        return Outcome(f"{self.name}|{other.name}", lambda r: self.check(r) or other.check(r))


def _location(response) -> str:
    return response.get("Location", "")


OK = Outcome("200", lambda r: r.status_code == 200)
REACHED = Outcome(  # the view answered the user (any non-error, non-denial answer)
    "reached",
    lambda r: (
        r.status_code < 400
        and r.status_code != 401
        and not _location(r).startswith(("/entrar/", "/admin/login/"))
        or r.status_code in (400, 405)
    ),
)
LOGIN = Outcome("login", lambda r: r.status_code == 302 and _location(r).startswith("/entrar/"))
ADMIN_LOGIN = Outcome("admin-login", lambda r: r.status_code == 302 and _location(r).startswith("/admin/login/"))
NOT_FOUND = Outcome("404", lambda r: r.status_code == 404)
DENIED = Outcome(  # a role-level refusal: 403, 404, or sent to log in with another account
    "denied",
    lambda r: r.status_code in (403, 404) or (r.status_code == 302 and _location(r).startswith("/entrar/")),
)
METHOD_NOT_ALLOWED = Outcome("405", lambda r: r.status_code == 405)
REDIRECT = Outcome("302", lambda r: r.status_code == 302)


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def roles(default, **overrides):
    table = dict.fromkeys(ROLES, default)
    table.update(overrides)
    return table


STAFF = ("auditor", "superuser")
PUBLIC = everyone(OK)
SIGNED_IN = roles(OK, anonymous=LOGIN)
AUDITORS_ONLY = roles(DENIED, anonymous=LOGIN, auditor=OK, superuser=OK)


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
    hidden: dict | None = None  # role -> texts this page must not show that role (on top of the world's secrets)


RULES: dict[str, list[Case]] = {
    "home": [Case("home", PUBLIC)],
    "health": [Case("health", PUBLIC)],
    "login": [Case("form", PUBLIC)],
    "logout": [
        Case("get", everyone(METHOD_NOT_ALLOWED)),
        Case("post", everyone(REACHED), method="post"),
    ],
    "set_language": [Case("post", everyone(REACHED), method="post", data=lambda w: {"language": "en", "next": "/"})],
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
        Case(
            "SEP-published",
            roles(
                NOT_FOUND, anonymous=LOGIN, liaison_sep=REACHED, secretariat=REACHED, auditor=REACHED, superuser=REACHED
            ),
            method="post",
            data=lambda w: {"kind": "agency", "cycle": "mx-publicado", "agency": "SEP", "language": "es"},
        ),
        Case(
            "national-published",
            roles(NOT_FOUND, anonymous=LOGIN, secretariat=REACHED, auditor=REACHED, superuser=REACHED),
            method="post",
            data=lambda w: {"kind": "national", "cycle": "mx-publicado", "language": "es"},
        ),
        Case(
            "SEP-open",  # reports of an unpublished cycle: auditors only
            roles(NOT_FOUND, anonymous=LOGIN, auditor=REACHED, superuser=REACHED),
            method="post",
            data=lambda w: {"kind": "agency", "cycle": "mx-abierto", "agency": "SEP", "language": "es"},
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
        Case("open-cycle", roles(REACHED), query="cycle=mx-abierto", hidden=dict.fromkeys(ROLES, ["mx-abierto"])),
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
    ok = REACHED if method == "post" else OK
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

ADMIN_OUT = roles(ADMIN_LOGIN, auditor=REACHED, superuser=REACHED)
# Accounts and lockouts are managed by superusers only (an auditor cannot grant roles).
ADMIN_SUPERUSER_ONLY = roles(ADMIN_LOGIN, auditor=DENIED, superuser=REACHED)
ADMIN_NOBODY = roles(ADMIN_LOGIN, auditor=DENIED, superuser=DENIED)
ADMIN_POLICY = {
    "auth": ADMIN_SUPERUSER_ONLY,
    "axes": ADMIN_SUPERUSER_ONLY,
    ("axes", "add"): ADMIN_NOBODY,  # lockouts are recorded by axes, never typed in
}
ADMIN_SPECIAL: dict[str, list[Case]] = {
    "admin:login": [Case("form", roles(OK, auditor=REACHED, superuser=REACHED))],
    # Non-staff are sent away (to the admin index, which sends them to log in); staff must POST.
    "admin:logout": [Case("get", roles(REDIRECT, auditor=METHOD_NOT_ALLOWED, superuser=METHOD_NOT_ALLOWED))],
    "admin:index": [Case("index", roles(ADMIN_LOGIN, auditor=OK, superuser=OK))],
}
# Known admin kwargs and how to fill them from an object of the model.
ADMIN_SUFFIXES = (
    "changelist",
    "add",
    "change",
    "delete",
    "history",
    "simple_history",
    "import",
    "process_import",
    "export",
    "autocomplete",
)


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
            Case(app, ADMIN_POLICY.get(app, ADMIN_OUT), kwargs=lambda w, app=app: {"app_label": app})
            for app in sorted({m._meta.app_label for m in admin.site._registry})
        ]
    if name in ("password_change", "password_change_done", "jsi18n"):
        return [Case(name, ADMIN_OUT)]
    if name == "autocomplete":  # 403 for staff without the widget's parameters: still not a login redirect
        return [Case("no-params", roles(ADMIN_LOGIN, auditor=DENIED, superuser=DENIED))]
    if name == "view_on_site":
        return [
            Case(
                "evidence",
                roles(ADMIN_LOGIN, auditor=DENIED | REACHED, superuser=DENIED | REACHED),
                kwargs=lambda w: {
                    "content_type_id": _content_type_id(w.evidence[("open", "SEP", "confidential")]),
                    "object_id": w.evidence[("open", "SEP", "confidential")].pk,
                },
            )
        ]
    if name == "auth_user_password_change":
        return [Case("user", ADMIN_SUPERUSER_ONLY, kwargs=lambda w: {"id": w.users["liaison_sep"].pk})]
    for prefix, model in _admin_models().items():
        suffix = name[len(prefix) + 1 :]
        if name.startswith(prefix + "_") and suffix in ADMIN_SUFFIXES + tuple(ADMIN_EXTRA_SUFFIXES):
            expect = ADMIN_POLICY.get((model._meta.app_label, suffix)) or ADMIN_POLICY.get(
                model._meta.app_label, ADMIN_OUT
            )
            if suffix in ADMIN_STAFF_REFUSED.get(model._meta.label_lower, ()):
                expect = ADMIN_NOBODY
            if suffix == "simple_history":  # positional groups: (object_id, history_id)
                return [Case(model._meta.model_name, expect, kwargs=lambda w, m=model: _history_args(w, m))]
            return [Case(model._meta.model_name, expect, kwargs=lambda w, m=model: _admin_kwargs(w, m, needed))]
    return None


# Custom admin views (actions with their own URL) named <app>_<model>_<suffix>: list them here
# once you have checked they use the admin's permission wrapper. GET shows a confirmation form.
ADMIN_EXTRA_SUFFIXES: list[str] = ["open", "validate", "return"]

# What the admin refuses even to auditors and superusers, by design (403): ratings are created
# by opening a cycle, never typed in or deleted; evidence is added on the rating's page;
# answers and replies come from the agencies; reminders are recorded by the task. Only the
# reference catalogue and the ratings have import/export screens (other models have no such URL).
ADMIN_STAFF_REFUSED = {
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
        return [Case("object-redirect", ADMIN_OUT, kwargs=lambda w: {"object_id": "x"})]
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
    if case.method == "post":
        response = client.post(url, case.data(world))
    else:
        response = client.get(url)
    expected = case.expect[role]
    assert response.status_code != 500, f"{role} {case.method.upper()} {url} -> 500"
    assert expected.check(response), (
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
