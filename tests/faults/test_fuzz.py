"""A bounded fuzz of every URL: each pattern of the URLconf (tests.security.test_access_matrix
walks it and fills its kwargs from the security world) is opened under each role with path and
query mutations — NUL and other control characters, huge values, wrong types, bad admin filter
values — and must never answer 500. Control characters must get a 400 before any view runs
(compliance.middleware.RejectControlCharactersMiddleware).

Bounded: every URL × role gets two control-character queries and a control character in the
path (answered by the middleware: cheap), one view-reaching query and one wrong path value, in
rotation so that the roles together cover every mutation; every admin changelist gets bad values
for each of its filters under one of the two staff roles (alternately)."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client

from tests.security.conftest import world  # noqa: F401 (the module-scoped world fixture)
from tests.security.test_access_matrix import ENDPOINTS, build_url, cases_for

# The roles of the brief -> the world's users.
ROLES = {
    "anonymous": "anonymous",
    "auditor": "auditor",
    "liaison": "liaison_sep",
    "secretariat": "secretariat",
    "superuser": "superuser",
}

# Reach the middleware only: exactly 400.
CONTROL_QUERIES = ["q=%00", "ciclo=a%00b&page=1", "x%01y=1", "agency=SEP%0d%0aSet-Cookie:%20a=b", "p=%7f"]
# Reach the view: anything but 500.
VIEW_QUERIES = [
    "page=abc&p=abc&o=zz.-1&e=x&ciclo=abc&agency=abc&format=abc&fmt=abc&lang=zz",
    "q=" + "x" * 10_000 + "&page=" + "9" * 40 + "&p=" + "9" * 40 + "&o=" + "9" * 40,
    "page=-1&p=-1&o=-999&id=-1&pk=abc&object_id=abc&_changelist_filters=" + quote("agency__id__exact=abc"),
    "q=" + quote("\u202e\ufeff\U0001f600%%") + "&ciclo=" + quote("ＳＥＰ") + "&_popup=abc&_to_field=password",
    "ciclo[]=a&ciclo[]=b&" + "&".join(f"k{i}=v" for i in range(300)),
]
# Path mutations: kwarg values replaced (wrong type, huge) or carrying a control character.
VIEW_VALUES = ["abc", "9" * 40, "-1", "x" * 2_000, quote("ＳＥＰ")]
CONTROL_VALUES = ["%00", "a%0ab", "%1b%5b31m"]


def _base_urls(world_):
    """(endpoint, url without query, kwargs) for every URL pattern: the first case of its rule."""
    out = []
    for endpoint in ENDPOINTS:
        cases = cases_for(endpoint)  # a URL with no access rule yet is fuzzed all the same
        try:
            if not cases:
                raise pytest.fail.Exception("no rule")
            kwargs = cases[0].kwargs(world_)
            url = build_url(endpoint, cases[0], world_).split("?", 1)[0]
        except pytest.fail.Exception:  # no rule, or no object of that model in the world: any id
            kwargs = {name: 1 for name in endpoint.kwarg_names}
            url = "/" + re.sub(r"<(?:\w+:)?\w+>", "1", endpoint.route).replace("^", "").replace("$", "")
        out.append((endpoint, url, kwargs))
    return out


def _with_value(url: str, kwargs: dict, value: str) -> str | None:
    """The URL with its last kwarg's value replaced (None when the URL has no kwargs)."""
    values = [str(v) for v in kwargs.get("__args__", kwargs.values())]
    if not values:
        return None
    last = values[-1]
    head, sep, tail = url.rpartition(f"/{last}/")
    if not sep:
        head, sep, tail = url.rpartition(f"/{last}")
        if not sep:
            return None
        return f"{head}/{value}{tail}"
    return f"{head}/{value}/{tail}"


def _filter_queries(model_admin) -> list[str]:
    """Bad values for each of a changelist's filters and its date hierarchy."""
    queries = []
    for entry in model_admin.list_filter:
        if isinstance(entry, (tuple, list)):
            entry = entry[0]
        if isinstance(entry, str):
            queries += [f"{entry}=abc", f"{entry}__id__exact=abc", f"{entry}__exact=abc&{entry}__isnull=maybe"]
            queries.append(f"{entry}__gte=abc&{entry}__lt=" + "9" * 30)
        else:
            name = getattr(entry, "parameter_name", None)
            if name:
                queries += [f"{name}=abc", f"{name}=" + "9" * 40, f"{name}__in=a,b"]
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        queries.append(f"{field}__year=abc&{field}__month=13&{field}__day=99")
    return queries


def _changelists():
    return {
        f"/admin/{m._meta.app_label}/{m._meta.model_name}/": model_admin
        for m, model_admin in admin.site._registry.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_no_mutation_of_any_url_answers_500(role, world, db):  # noqa: F811
    client = Client(raise_request_exception=False)
    user = world.user(ROLES[role])
    if user is not None:
        client.force_login(user)
    errors, wrong_400, count = [], [], 0
    started = time.monotonic()

    def get(url, expect_400=False):
        nonlocal count
        count += 1
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url[:200]}")
        elif expect_400 and response.status_code != 400:
            wrong_400.append(f"{response.status_code} {url[:200]}")

    changelists = _changelists() if ROLES[role] in ("auditor", "superuser") else {}
    for index, (_endpoint, url, kwargs) in enumerate(_base_urls(world)):
        rotation = index + list(ROLES).index(role)
        for query in (CONTROL_QUERIES[rotation % 5], CONTROL_QUERIES[(rotation + 2) % 5]):
            get(f"{url}?{query}", expect_400=True)
        value = CONTROL_VALUES[rotation % len(CONTROL_VALUES)]
        get(_with_value(url, kwargs, value) or url + value, expect_400=True)
        get(f"{url}?{VIEW_QUERIES[rotation % len(VIEW_QUERIES)]}")
        mutated = _with_value(url, kwargs, VIEW_VALUES[rotation % len(VIEW_VALUES)])
        if mutated:
            get(mutated)
        if url in changelists and rotation % 2:  # the two staff roles share the changelists
            for query in _filter_queries(changelists[url]):
                get(f"{url}?{query}")
    seconds = time.monotonic() - started
    print(f"\nfuzz {role}: {len(ENDPOINTS)} URL patterns, {count} requests in {seconds:.1f}s")
    assert not errors, f"{len(errors)} server errors:\n" + "\n".join(errors)
    assert not wrong_400, "control characters that reached a view:\n" + "\n".join(wrong_400)
    assert len(ENDPOINTS) > 200 and count >= len(ENDPOINTS) * 4  # every pattern of the URLconf, admin included
