"""What the law said on a date: provision versions, repealed text, and the version a review cycle's
period selects (the one in force at its end)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from obligations.models import LegalInstrument, Provision, ProvisionVersion, ReviewCycle

pytestmark = pytest.mark.django_db

TODAY = date.today()
IN_CNDH_PERIOD = date(2016, 1, 1)  # CNDH 2019 ¶7: 2012-06-15 → 2017-07-31


def provision(article, fraction="", paragraph="", transitory=False, instrument="LGPSEDMTP"):
    return Provision.objects.get(
        instrument__code=instrument, article=article, fraction=fraction, paragraph=paragraph, transitory=transitory
    )


def test_reform_dates_are_the_dof_dates_and_in_force_dates_are_marked_inferred(law):
    reforms = LegalInstrument.objects.filter(kind="reform").order_by("published_on")
    assert [r.published_on.isoformat() for r in reforms] == [
        "2014-03-19",
        "2018-01-19",
        "2021-05-20",
        "2023-04-05",
        "2024-06-07",  # empty before issue 11
        "2025-11-14",
    ]
    for instrument in LegalInstrument.objects.all():
        # Entry into force was not read in any decree: day after publication, flagged ⚠.
        assert instrument.in_force_inferred and "⚠" in instrument.in_force_note, instrument.code
        assert (instrument.in_force_on - instrument.published_on).days == 1, instrument.code
    assert set(reforms.values_list("amends__code", flat=True)) == {"LGPSEDMTP"}


def test_the_cndh_period_selects_the_2012_text_plus_the_2014_reform(law):
    cycle_start, cycle_end = date(2012, 6, 15), date(2017, 7, 31)
    fr_ii = provision("62", "II")  # amended 19-03-2014 (adds ¶2)
    selected = fr_ii.version_for_period(cycle_start, cycle_end)
    assert selected.version.amended_by.code == "LGPSEDMTP-REF-2014"
    assert selected.version.wording_known and "lengua" in selected.version.paraphrase_es
    assert selected.changed  # the reform took effect inside the period
    original = fr_ii.version_on(date(2013, 1, 1))
    assert original.amended_by is None and original.valid_until == date(2014, 3, 19)
    assert not original.wording_known and original.inferred  # deduced by removing ¶2, flagged ⚠
    # A provision reformed later: the CNDH period reads its original text, unchanged during the period.
    shelters = provision("90", "VI").version_for_period(cycle_start, cycle_end)
    assert shelters.version.amended_by is None and not shelters.changed
    assert "mujeres" not in shelters.version.paraphrase_es
    # The period of the real baseline cycle selects the same.
    baseline = ReviewCycle.objects.get(slug="cndh-2019")
    assert fr_ii.version_for_period(baseline.period_start, baseline.period_end) == selected


def test_today_selects_the_current_text(law):
    shelters = provision("90", "VI").version_on(TODAY)
    assert shelters.amended_by.code == "LGPSEDMTP-REF-2024" and shelters.valid_until is None
    assert "mujeres" in shelters.paraphrase_es and shelters.wording_known and not shelters.inferred
    modules = provision("89", "VI")  # never amended: one version from 2012 to today
    assert modules.version_on(IN_CNDH_PERIOD) == modules.version_on(TODAY)
    assert modules.version_on(TODAY).valid_from == date(2012, 6, 15)
    assert provision("89", "VI").version_on(date(2012, 6, 14)) is None  # before the Law took effect


def test_article_89_fraction_x_applies_in_2015_not_in_2022_and_says_what_replaced_it(law):
    fr_x = provision("89", "X")
    assert fr_x.applies_on(date(2015, 1, 1))
    old = fr_x.version_on(date(2015, 1, 1))
    assert not old.wording_known and old.inferred and "PGR" in old.paraphrase_es  # CNDH's account, ⚠
    assert old.valid_until == date(2021, 5, 20)
    assert not fr_x.applies_on(date(2022, 1, 1))
    repeal = fr_x.version_on(date(2022, 1, 1))
    assert repeal.repealed and repeal.amended_by.code == "LGPSEDMTP-REF-2021"
    assert [p.citation for p in repeal.replaced_by.all()] == [
        "LGPSEDMTP art. 126 párr. 1",
        "LGPSEDMTP art. 126 párr. 2",
    ]
    assert list(Provision.objects.filter(pk=fr_x.pk).in_force_on(date(2015, 1, 1))) == [fr_x]
    assert not Provision.objects.filter(pk=fr_x.pk).in_force_on(date(2022, 1, 1)).exists()


def test_provisions_added_later_have_no_version_before(law):
    fgr_seat = provision("85", paragraph="2")
    assert fgr_seat.version_on(IN_CNDH_PERIOD) is None
    assert fgr_seat.version_on(TODAY).amended_by.code == "LGPSEDMTP-REF-2021"
    # The two repealed seats of art. 85 (⚠ PGR and INACIPE) are history today.
    assert provision("85", "X").version_on(TODAY).repealed
    assert [p.citation for p in provision("85", "X").version_on(TODAY).replaced_by.all()] == [
        "LGPSEDMTP art. 85 párr. 2"
    ]
    assert provision("85", "XV").version_on(TODAY).repealed


def test_querysets_by_date_and_period(law):
    in_force = ProvisionVersion.objects.in_force_on(IN_CNDH_PERIOD)
    assert not in_force.filter(amended_by__code="LGPSEDMTP-REF-2024").exists()
    assert in_force.filter(provision=provision("62", "II"), amended_by__code="LGPSEDMTP-REF-2014").exists()
    during = ProvisionVersion.objects.in_force_during(date(2012, 6, 15), date(2017, 7, 31))
    assert set(during.filter(provision=provision("62", "II")).values_list("amended_by__code", flat=True)) == {
        None,
        "LGPSEDMTP-REF-2014",
    }
    changed = Provision.objects.changed_during(date(2017, 7, 31), TODAY)
    assert provision("89", "X") in changed and provision("90", "VI") in changed
    assert provision("89", "VI") not in changed
    in_cndh_period = Provision.objects.changed_during(date(2012, 6, 15), date(2017, 7, 31))
    assert list(in_cndh_period.filter(instrument__code="LGPSEDMTP")) == [provision("62", "II")]
    # The Regulation (DOF 23-09-2013) took effect inside the period: its provisions count as new.
    assert set(in_cndh_period.values_list("instrument__code", flat=True)) == {"LGPSEDMTP", "RLGPSEDMTP"}


def test_every_provision_of_a_duty_has_consecutive_versions(law):
    for item in Provision.objects.filter(duties__isnull=False).distinct().prefetch_related("versions"):
        versions = list(item.versions.all())
        assert versions, item.citation
        for before, after in zip(versions, versions[1:], strict=False):
            assert before.valid_until == date.fromordinal(after.valid_from.toordinal() - 1), item.citation
        assert versions[-1].valid_until is None, item.citation


def test_overlapping_versions_are_refused(law):
    modules = provision("89", "VI")
    overlapping = ProvisionVersion(
        provision=modules, valid_from=date(2020, 1, 1), paraphrase_es="Otra redacción", source="prueba"
    )
    with pytest.raises(ValidationError, match="traslapa"):
        overlapping.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():  # a second open-ended version
        overlapping.save()
    reversed_dates = ProvisionVersion(
        provision=modules, valid_from=date(2020, 1, 2), valid_until=date(2020, 1, 1), source="prueba"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        reversed_dates.save()


def test_a_version_must_be_honest_about_what_was_read(law):
    fr_x = provision("89", "X")
    unread_but_paraphrased = ProvisionVersion(
        provision=fr_x,
        valid_from=date(2030, 1, 1),
        wording_known=False,
        paraphrase_es="Se supone que dice algo",
        source="prueba",
    )
    with pytest.raises(ValidationError) as error:
        unread_but_paraphrased.full_clean()
    assert "inferred" in error.value.message_dict
    unexplained = ProvisionVersion(
        provision=fr_x, valid_from=date(2030, 1, 1), paraphrase_es="Texto", inferred=True, source="prueba"
    )
    with pytest.raises(ValidationError) as error:
        unexplained.full_clean()
    assert "inferred_note" in error.value.message_dict
