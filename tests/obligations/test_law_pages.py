"""The public "La Ley" pages (/ley/) on the real reference data: the law by article with the version
in force on a date, who owes each duty, the Commission's membership on that date, the latest
PUBLISHED rating per bearer (never an unpublished one, whoever looks), what the law requires of an
agency (with the duties no cycle has rated), and a page per reform decree."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency
from obligations.models import Assessment, Duty, Obligation, ReviewCycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def law(db):
    call_command("load_reference_data", verbosity=0)
    cache.clear()


def _provision(response, citation):
    return next(
        line for a in response.context["law"].articles for line in a.provisions if line.provision.citation == citation
    )


def test_the_law_by_article_on_a_date(client, law):
    today = client.get(reverse("law:index"))
    assert today.status_code == 200
    modules = _provision(today, "LGPSEDMTP art. 89 fr. VI")
    assert [o.code for o in modules.obligations] == ["PREV-15"]
    sep_duty = next(d for d in modules.duties if d.duty.code == "DEB-89-VI")
    [sep, segob] = sep_duty.bearers
    assert (sep.bearer.code, sep.assignment.role, segob.bearer.code) == ("SEP", "lead", "SEGOB")
    assert [(r.obligation_code, r.status, r.cycle_slug) for r in sep.ratings] == [
        ("PREV-15", "not_complied", "cndh-2019")
    ]
    body = today.content.decode()
    assert 'data-provision="LGPSEDMTP art. 89 fr. VI"' in body and 'data-grounds="PREV-15"' in body
    # The Commission: 14 seats today (13 heads + the FGR representative), 15 in 2015 (PGR, INACIPE ⚠).
    members_today = {m.agency.acronym for m in today.context["commission"]}
    assert len(today.context["commission"]) == 14 and "FGR" in members_today and "INACIPE" not in members_today
    in_2015 = client.get(reverse("law:index"), {"fecha": "2015-01-01"})
    members_2015 = {m.agency.acronym for m in in_2015.context["commission"]}
    assert len(in_2015.context["commission"]) == 15 and {"FGR", "INACIPE"} <= members_2015  # PGR is today's FGR
    # Art. 89 fr. X: the 2012 text in 2015 (not read: no paraphrase given as fact), repealed today.
    fraction_x_2015 = _provision(in_2015, "LGPSEDMTP art. 89 fr. X").version
    assert not fraction_x_2015.repealed and fraction_x_2015.amended_by is None
    fraction_x = _provision(today, "LGPSEDMTP art. 89 fr. X").version
    assert fraction_x.repealed and fraction_x.amended_by.published_on == date(2021, 5, 20)
    assert "Hoy la sustituye: LGPSEDMTP art. 126" in body
    assert client.get(reverse("law:index"), {"fecha": "mañana"}).status_code == 404


def test_nothing_unsourced_is_shown_as_fact(client, law):
    """Every duty on the page carries its source, and every version whose wording was not read or is
    inferred carries ⚠."""
    response = client.get(reverse("law:index"))
    body = response.content.decode()
    lines = [d for a in response.context["law"].articles for line in a.provisions for d in line.duties]
    lines += response.context["law"].unlocated  # the Regulation's duties without an article (⚠)
    assert sorted(d.duty.code for d in lines) == sorted(Duty.objects.values_list("code", flat=True))
    assert response.context["law"].unlocated and all(d.duty.inferred for d in response.context["law"].unlocated)
    readable = body.replace("&#x27;", "'").replace("&quot;", '"')
    for d in lines:
        assert d.duty.source and f"Fuente: {d.duty.source}" in readable, d.duty.code
    flagged = sum(
        1
        for a in response.context["law"].articles
        for line in a.provisions
        if line.version is not None and (line.version.inferred or not line.version.wording_known)
    )
    assert flagged and body.count("⚠ inferida") + body.count("⚠ redacción no leída") >= flagged


def test_what_the_law_requires_of_an_agency_and_the_coverage_gap(client, law):
    response = client.get(reverse("law:agency", args=["SEP"]))
    assert response.status_code == 200
    duties = {item.duty.code: item for item in response.context["law"].duties}
    assert {"DEB-89-VI", "DEB-89-VI-SEGOB", "DEB-107-VI-P2"} <= set(duties)
    assert [r.status for r in duties["DEB-89-VI"].ratings] == ["not_complied"]
    assert duties["DEB-107-VI-P2"].gap  # birth registration through schools: no cycle rated it
    body = response.content.decode()
    assert 'data-duty="DEB-107-VI-P2" class="gap"' in body
    assert response.context["law"].member_on_day
    # A former name finds today's agency; an unknown one is a 404.
    pgr = client.get(reverse("law:agency", args=["PGR"]))
    assert pgr.context["law"].agency.acronym == "FGR"
    assert client.get(reverse("law:agency", args=["NOEXISTE"])).status_code == 404


@pytest.mark.parametrize("persona", [None, "auditora", "enlace_sep", "secretariado"])
def test_only_published_ratings_show_whoever_looks(client, law, request, persona):
    sep = Agency.objects.get(acronym="SEP")
    modules = Obligation.objects.get(code="PREV-15")
    draft = ReviewCycle.objects.create(
        slug="mx-2025", name_es="Ciclo 2025", period_start=date(2024, 1, 1), period_end=date(2025, 6, 30)
    )
    Assessment.objects.create(cycle=draft, agency=sep, obligation=modules, status="complied", rationale="Borrador")
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("law:agency", args=["SEP"]))
    duties = {item.duty.code: item for item in response.context["law"].duties}
    assert [(r.status, r.cycle_slug) for r in duties["DEB-89-VI"].ratings] == [("not_complied", "cndh-2019")]
    assert "mx-2025" not in response.content.decode()


def test_a_page_per_reform_decree(client, law):
    response = client.get(reverse("law:reform", args=["2021-05-20"]))
    assert response.status_code == 200
    page = response.context["page"]
    changed = {v.provision.citation: v for v in page.versions}
    assert changed["LGPSEDMTP art. 89 fr. X"].repealed
    assert {"PREV-06", "PREV-07", "PREV-08", "PROC-01", "PROC-02"} <= {o.code for o in page.obligations}
    assert "FGR" in {a.acronym for a in page.agencies}
    body = response.content.decode()
    assert 'data-provision="LGPSEDMTP art. 89 fr. X"' in body and "Hoy la sustituye" in body
    index = client.get(reverse("law:index")).content.decode()
    for day in ("2014-03-19", "2018-01-19", "2021-05-20", "2023-04-05", "2024-06-07", "2025-11-14"):
        assert reverse("law:reform", args=[day]) in index
    assert client.get(reverse("law:reform", args=["2020-01-01"])).status_code == 404
    assert client.get(reverse("law:reform", args=["ayer"])).status_code == 404
