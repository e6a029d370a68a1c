"""The statutory duties, who owes them, and the catalogue covering the whole law: every duty is
rated by an obligation of the CNDH list or by one of the Law's own."""

from collections import Counter
from datetime import date

import pytest

from agencies.models import Agency
from obligations.models import Duty, DutyBearer, Obligation
from tests.obligations.law_fixtures import duty_rows, fixture

pytestmark = pytest.mark.django_db


def test_one_duty_per_row_of_the_notes_with_its_citation_and_page():
    rows = duty_rows()
    duties = [d for d in fixture("law.json")["duties"] if d["instrument"] == "LGPSEDMTP"]
    assert len(rows) == len(duties) == 131
    for row, duty in zip(rows, duties, strict=True):
        assert duty["citation"] == row[0]
        assert duty["provisions"], duty["code"]
        for page in row[6].split("; "):
            if page.startswith("[L]"):
                assert page in duty["source"], duty["code"]


def test_at_least_120_statutory_duties_with_article_and_fraction(law):
    law_duties = Duty.objects.filter(instrument__code="LGPSEDMTP")
    assert law_duties.count() == 131
    assert not law_duties.filter(provisions__isnull=True).exists()
    with_fraction = law_duties.filter(provisions__fraction__gt="").distinct()
    assert with_fraction.count() == 78  # the others rest on whole articles, paragraphs or transitory articles
    assert Duty.objects.get(code="DEB-113-VII-XI-XII").provisions.count() == 3  # atomic provisions
    assert [p.citation for p in Duty.objects.get(code="DEB-89-VI").provisions.all()] == ["LGPSEDMTP art. 89 fr. VI"]


def test_the_regulation_only_what_is_known_and_marked(law):
    regulation = Duty.objects.filter(instrument__code="RLGPSEDMTP")
    assert regulation.count() == 7
    assert not regulation.filter(inferred=False).exists()
    known_articles = regulation.filter(provisions__isnull=False).distinct()
    assert sorted(d.code for d in known_articles) == ["REG-83", "REG-T8"]
    assert sorted(regulation.filter(obligations__isnull=True).values_list("code", flat=True)) == [
        "REG-MODELOS",
        "REG-SUPERVISION",
    ]
    for duty in regulation.filter(obligations__isnull=True):
        assert "no identificado" in duty.not_rated_note


def test_every_duty_is_rated_by_an_obligation_or_says_why_not(law):
    for duty in Duty.objects.prefetch_related("obligations"):
        assert list(duty.obligations.all()) or duty.not_rated_note, duty.code
    # The CNDH list rates 57 duties (52 of the Law, 5 of the Regulation); 77 have an obligation of their own; CONAPO's and SCT's rows are
    # rated by two of those (arts. 86 and 89 fr. XIII; art. 85); two Regulation rows by none.
    assert Duty.objects.count() - Duty.objects.not_rated_by_cndh().count() == 57
    assert Duty.objects.not_rated_by_cndh().count() == Obligation.objects.from_law().count() + 2 + 2
    assert sorted(Duty.objects.get(code="DEB-CONAPO").obligations.values_list("code", flat=True)) == [
        "LEY-86",
        "LEY-89-XIII",
    ]


def test_law_obligations_follow_their_duty(law):
    law_obligations = Obligation.objects.from_law()
    assert law_obligations.count() == 77
    assert Obligation.objects.count() == 45 + 77
    internal_rules = Obligation.objects.get(code="LEY-88-I")
    assert (internal_rules.component, internal_rules.level, internal_rules.origin) == ("coordination", 2, "law")
    assert internal_rules.legal_basis == "LGPSEDMTP art. 88 fr. I"
    assert internal_rules.source == "[L] p. 30"
    assert internal_rules.basis_confidence == "high" and "DEB-88-I" in internal_rules.basis_reason_es
    assert [(r.agency.acronym, r.role) for r in internal_rules.responsibilities.all()] == [("CIT", "lead")]
    women = Obligation.objects.get(code="LEY-89-XIV")
    assert (women.level, women.component) == (1, "assistance")
    assert [r.agency.acronym for r in women.responsibilities.all()] == ["INMUJERES"]
    prevention = Obligation.objects.get(code="LEY-6")
    assert (prevention.level, prevention.component) == (3, "coordination")
    # A training duty goes under prevention (CNDH 2019 ¶162); international cooperation under
    # assistance, unless the fixture overrides it.
    assert Obligation.objects.get(code="LEY-113-V").component == "prevention"
    assert Obligation.objects.get(code="LEY-76-77").component == "assistance"
    assert Obligation.objects.get(code="LEY-88-IV-C").component == "coordination"


def test_in_force_dates_come_from_the_versions(law):
    fgr_seat = Obligation.objects.get(code="LEY-85-P2")
    assert (fgr_seat.in_force_from, fgr_seat.in_force_until) == (date(2021, 5, 21), None)
    assert Obligation.objects.get(code="LEY-105").in_force_from == date(2012, 6, 15)
    assert fgr_seat not in Obligation.objects.from_law().in_force_on(date(2016, 1, 1))
    assert fgr_seat in Obligation.objects.from_law().in_force_on(date.today())


def test_class_duties_stay_unassigned_and_are_listable(law):
    unassigned = Obligation.objects.from_law().unassigned()
    assert unassigned.count() == 39
    for obligation in unassigned.prefetch_related("duties__assignments__bearer"):
        named = [
            a.bearer.code
            for duty in obligation.duties.all()
            for a in duty.assignments.all()
            if a.bearer.agency_id and not a.inferred
        ]
        assert named == [], obligation.code
    assert Obligation.objects.get(code="LEY-6") in unassigned  # Federation, states and municipalities
    assert Obligation.objects.get(code="LEY-115") in unassigned  # municipalities
    # Never a responsible agency for an inferred bearer: art. 78 names SEGOB, not the INM.
    assert [r.agency.acronym for r in Obligation.objects.get(code="LEY-78").responsibilities.all()] == ["SEGOB"]
    assert Duty.objects.of_classes_only().filter(code="DEB-62-V-VI").exists()
    assert not Duty.objects.of_classes_only().filter(code="DEB-89-VI").exists()


def test_bearers_are_resolved_through_former_names(law):
    bearers = {b.code: b for b in DutyBearer.objects.select_related("agency")}
    assert (bearers["SEDESOL"].agency.acronym, bearers["SEDESOL"].resolved_through) == ("BIENESTAR", "SEDESOL")
    assert (bearers["PGR"].agency.acronym, bearers["PGR"].resolved_through) == ("FGR", "PGR")
    assert (bearers["SCT"].agency.acronym, bearers["SCT"].resolved_through) == ("SICT", "SCT")
    assert (bearers["PROVICTIMA"].agency.acronym, bearers["PROVICTIMA"].agency_inferred) == ("CEAV", True)
    # SSP → CNS is in no source of the project: the mapping to SSPC is flagged.
    assert bearers["SSP"].agency.acronym == "SSPC" and bearers["SSP"].agency_inferred
    assert "⚠" in bearers["SSP"].inferred_note
    assert bearers["CIT"].agency.acronym == "CIT" and bearers["ST-CIT"].agency.acronym == "ST-CIT"
    assert bearers["AUT-FED"].agency is None and bearers["MUNICIPIOS"].agency is None
    assert not DutyBearer.objects.filter(kind="class", agency__isnull=False).exists()


def test_duties_per_agency(law):
    sep = Agency.objects.get(acronym="SEP")
    assert sorted(Duty.objects.of_agency(sep).values_list("code", flat=True)) == [
        "DEB-107-VI-P2",
        "DEB-89-VI",
        "DEB-89-VI-SEGOB",
    ]
    fgr = Agency.objects.get(acronym="FGR")  # as PGR ("la Procuraduría") and as FGR ("la Fiscalía")
    assert {"DEB-83", "DEB-89-X", "DEB-126-P2", "REG-T8"} <= set(
        Duty.objects.of_agency(fgr).values_list("code", flat=True)
    )
    inm = Agency.objects.get(acronym="INM")
    assert "DEB-38" not in set(Duty.objects.of_agency(inm).values_list("code", flat=True))  # inferred only
    per_bearer = Counter(
        code for duty in fixture("law.json")["duties"] for code in {b["bearer"] for b in duty["bearers"]}
    )
    assert per_bearer["CIT"] == 37
    assert per_bearer["SEGOB"] == 20
