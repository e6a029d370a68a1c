"""The Inter-Secretariat Commission's membership over time (art. 85), replacing the old
`Agency.commission_member` flag (only SEGOB was marked)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agencies.models import Agency, CommissionMembership
from agencies.resources import AgencyResource
from reports.open_data import agency_row, public_agencies

pytestmark = pytest.mark.django_db

THIRTEEN = {
    "SEGOB",
    "SICT",
    "SRE",
    "SSPC",
    "STPS",
    "SALUD",
    "BIENESTAR",
    "SEP",
    "SECTUR",
    "DIF",
    "CEAV",
    "INMUJERES",
    "INM",
}


def acronyms(queryset):
    return set(queryset.values_list("acronym", flat=True))


def test_membership_in_2012_and_today(law):
    # 2012: the thirteen heads of art. 85 plus PGR and INACIPE (fr. X and XV, ⚠ inferred).
    assert acronyms(Agency.objects.commission_members(on=date(2012, 7, 1))) == THIRTEEN | {"FGR", "INACIPE"}
    # Today: the thirteen plus an FGR representative (art. 85 ¶2, since the 2021 reform).
    assert acronyms(Agency.objects.commission_members()) == THIRTEEN | {"FGR"}
    assert acronyms(Agency.objects.commission_members(on=date(2021, 5, 20))) == THIRTEEN | {"FGR", "INACIPE"}
    assert acronyms(Agency.objects.commission_members(on=date(2021, 5, 21))) == THIRTEEN | {"FGR"}
    assert not Agency.objects.commission_members(on=date(2012, 6, 14)).exists()  # before the Law


def test_how_each_sits_and_what_is_inferred(law):
    fgr = {m.role: m for m in CommissionMembership.objects.filter(agency__acronym="FGR")}
    assert fgr["member"].fraction == "X" and fgr["member"].inferred
    assert fgr["member"].valid_until == date(2021, 5, 20)
    assert fgr["representative"].fraction == "párr. 2" and not fgr["representative"].inferred
    assert fgr["representative"].valid_from == date(2021, 5, 21) and fgr["representative"].valid_until is None
    segob = CommissionMembership.objects.get(agency__acronym="SEGOB")
    assert segob.role == "chair" and "art. 87" in segob.note
    inacipe = CommissionMembership.objects.get(agency__acronym="INACIPE")
    assert inacipe.inferred and inacipe.fraction == "XV" and "⚠" in inacipe.note
    # Fractions II (SCT) and XII (PROVÍCTIMA) are read; the others come from the order of the list.
    read = CommissionMembership.objects.filter(fraction_inferred=False, role__in=["member", "chair"], inferred=False)
    assert sorted(read.values_list("fraction", flat=True)) == ["II", "XII"]
    assert CommissionMembership.objects.get(agency__acronym="SSPC").law_name == "Secretaría de Seguridad Pública"


def test_agency_methods_and_the_public_open_data(law):
    sep, inacipe, cndh = (Agency.objects.get(acronym=a) for a in ("SEP", "INACIPE", "CNDH"))
    assert sep.is_commission_member() and sep.is_commission_member(on=date(2013, 1, 1))
    assert inacipe.is_commission_member(on=date(2013, 1, 1)) and not inacipe.is_commission_member()
    rows = {row["acronym"]: row for row in map(agency_row, public_agencies())}
    assert rows["SEP"]["commission_member"] is True
    assert rows["INACIPE"]["commission_member"] is False  # as of today
    assert rows["CNDH"]["commission_member"] is False
    assert sum(row["commission_member"] for row in rows.values()) == 14
    exported = {row["acronym"]: row for row in AgencyResource().export().dict}
    assert exported["SEGOB"]["commission_member"] == "1" and exported["CNDH"]["commission_member"] == "0"
    assert not cndh.is_commission_member()


def test_overlapping_memberships_are_refused(law):
    sep = Agency.objects.get(acronym="SEP")
    again = CommissionMembership(agency=sep, law_name="SEP", valid_from=date(2020, 1, 1), source="prueba")
    with pytest.raises(ValidationError, match="traslapa"):
        again.full_clean()
    unexplained = CommissionMembership(
        agency=Agency.objects.get(acronym="CNDH"),
        law_name="CNDH",
        valid_from=date(2020, 1, 1),
        inferred=True,
        source="x",
    )
    with pytest.raises(ValidationError) as error:
        unexplained.full_clean()
    assert "note" in error.value.message_dict
