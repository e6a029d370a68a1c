"""The 45 obligations of the CNDH list against the reference notes' cross-walk (section 5):
confidence, the suggested legal basis, and the three CNDH criteria without statutory basis."""

from collections import Counter
from datetime import date

import pytest

from obligations.models import Obligation
from tests.obligations.law_fixtures import crosswalk_rows, crosswalk_specs, fixture

pytestmark = pytest.mark.django_db

CROSSWALK = {row[0]: row for row in crosswalk_rows()}
OBLIGATIONS = {o["code"]: o for o in fixture("obligations.json")["obligations"]}


def test_the_notes_and_the_fixture_list_the_same_45_obligations():
    assert len(CROSSWALK) == 45
    assert set(CROSSWALK) == set(OBLIGATIONS)


def test_every_confidence_is_the_one_of_the_notes():
    assert {code: o["basis_confidence"] for code, o in OBLIGATIONS.items()} == {
        code: row[4] for code, row in CROSSWALK.items()
    }
    assert Counter(o["basis_confidence"] for o in OBLIGATIONS.values()) == {
        "high": 22,
        "medium": 12,
        "low": 8,
        "none": 3,
    }


def covers(provisions, spec):
    """A suggested [instrument, article, fraction, transitory] is covered by a provision of the same
    article (and fraction, when the spec names one), whatever its paragraph."""
    instrument, article, fraction, transitory = spec
    return any(
        p[0] == instrument and p[1] == article and p[3] == transitory and (not fraction or p[2] == fraction)
        for p in provisions
    )


@pytest.mark.parametrize("code", sorted(CROSSWALK))
def test_every_suggested_basis_is_linked(code):
    specs = crosswalk_specs(CROSSWALK[code][3])
    provisions = OBLIGATIONS[code]["provisions"]
    assert [spec for spec in specs if not covers(provisions, spec)] == []
    if CROSSWALK[code][4] != "none":
        assert specs, code  # the notes give a spec for every grounded obligation


def test_the_cndh_criteria_without_statutory_basis_say_so(law):
    none = Obligation.objects.without_statutory_basis()
    assert sorted(none.values_list("code", flat=True)) == ["COORD-02", "COORD-05", "PREV-13"]
    for obligation in none:
        assert obligation.legal_basis == ""
        assert not obligation.legal_basis_to_verify  # plainly "no basis", not "to verify"
        assert obligation.basis_reason_es.startswith("Criterio de la CNDH sin fundamento legal")
        assert obligation.basis_reason_en.startswith("CNDH criterion with no statutory basis")
        assert obligation.get_basis_confidence_display() == "Sin fundamento legal: criterio de la CNDH"


def test_every_cndh_obligation_is_grounded_or_marked_without_basis(law):
    cndh = Obligation.objects.from_cndh().prefetch_related("provisions__instrument")
    assert cndh.count() == 45
    assert Counter(cndh.values_list("basis_confidence", flat=True)) == {"high": 22, "medium": 12, "low": 8, "none": 3}
    for obligation in cndh:
        assert obligation.basis_reason_es and obligation.basis_reason_en, obligation.code
        assert bool(obligation.legal_basis) == (obligation.basis_confidence != "none"), obligation.code
    assert not Obligation.objects.filter(legal_basis_to_verify=True).exists()


def test_known_bases(law):
    basis = {o.code: o.legal_basis for o in Obligation.objects.prefetch_related("provisions__instrument")}
    assert basis["PREV-15"] == "LGPSEDMTP art. 89 fr. VI"  # the module in basic-education curricula
    assert basis["PREV-02"] == "LGPSEDMTP art. 89 fr. III; LGPSEDMTP art. 103"
    assert basis["ASIS-12"] == "LGPSEDMTP art. 38; LGPSEDMTP art. 75; LGPSEDMTP art. 90 fr. VI"
    assert basis["PREV-01"] == "LGPSEDMTP art. 88 fr. XV; LGPSEDMTP art. 8 transitorio"
    assert basis["PREV-06"] == "LGPSEDMTP art. 89 fr. X; LGPSEDMTP art. 126 párr. 2"


def test_obligations_resting_on_repealed_text_say_what_replaced_it(law):
    """The PGR findings rest on art. 89 fr. X (⚠ inferred location), repealed in 2021: in force in
    the CNDH period, repealed today, replaced by art. 126 ¶1–2 per the notes."""
    for code in ("PREV-06", "PREV-07", "PREV-08", "PROC-01", "PROC-02"):
        obligation = Obligation.objects.get(code=code)
        in_2015 = {item.provision.citation: item for item in obligation.basis_on(date(2015, 1, 1))}
        assert in_2015["LGPSEDMTP art. 89 fr. X"].applies, code
        assert in_2015["LGPSEDMTP art. 89 fr. X"].version.inferred, code
        [repealed] = obligation.repealed_basis(date(2022, 1, 1))
        assert repealed.provision.citation == "LGPSEDMTP art. 89 fr. X"
        assert [p.citation for p in repealed.replaced_by] == [
            "LGPSEDMTP art. 126 párr. 1",
            "LGPSEDMTP art. 126 párr. 2",
        ]
    prev06 = {
        item.provision.citation: item for item in Obligation.objects.get(code="PREV-06").basis_on(date(2015, 1, 1))
    }
    assert prev06["LGPSEDMTP art. 126 párr. 2"].version is None  # added in 2021: no basis then
