"""obligations/admin/law.py (tested on its own site) and the
import/export resources of the law's data."""

import pytest
from django.contrib.admin import AdminSite
from django.test import RequestFactory

from agencies.models import CommissionMembership
from agencies.resources import import_file, result_messages
from obligations.models import Duty, DutyBearer, ProvisionVersion
from obligations.resources import DutyBearerResource, DutyResource, ProvisionVersionResource

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    from obligations.admin import law as admin_law

    site = AdminSite(name="law-test")
    for model, model_admin in (
        (ProvisionVersion, admin_law.ProvisionVersionAdmin),
        (DutyBearer, admin_law.DutyBearerAdmin),
        (Duty, admin_law.DutyAdmin),
        (CommissionMembership, admin_law.CommissionMembershipAdmin),
    ):
        site.register(model, model_admin)
    return site


def changelist(site, model, user, **params):
    request = RequestFactory().get("/", params)
    request.user = user
    return site._registry[model].get_changelist_instance(request)


def test_the_admin_classes_pass_the_system_checks(site):
    for model_admin in site._registry.values():
        assert model_admin.check() == [], model_admin


def test_auditors_search_and_filter_duties(site, law, auditora):
    rated_by_none = changelist(site, Duty, auditora, rated_by="none")
    assert sorted(d.code for d in rated_by_none.queryset) == [
        "REG-MODELOS",
        "REG-SUPERVISION",
    ]
    search = changelist(site, Duty, auditora, q="INMUJERES")
    assert "DEB-89-XIV" in {d.code for d in search.queryset}
    by_law = changelist(site, Duty, auditora, rated_by="law", theme="training")
    assert {d.code for d in by_law.queryset} == {"DEB-88-VII", "DEB-113-V", "DEB-114-III-IV"}
    versions = changelist(site, ProvisionVersion, auditora, repealed="1")
    assert {v.provision.citation for v in versions.queryset} == {
        "LGPSEDMTP art. 85 fr. X",
        "LGPSEDMTP art. 85 fr. XV",
        "LGPSEDMTP art. 89 fr. X",
    }
    duty = site._registry[Duty]
    row = Duty.objects.prefetch_related("assignments__bearer", "obligations").get(code="DEB-89-VI")
    assert (duty.bearers_display(row), duty.rated_by(row)) == ("SEP; SEGOB (co)", "PREV-15")


def test_only_auditors_get_in(site, outsider):
    request = RequestFactory().get("/")
    request.user = outsider
    assert not site._registry[Duty].has_view_permission(request)
    assert not site._registry[ProvisionVersion].has_module_permission(request)


def test_exports_read_as_on_screen(law):
    versions = {(row["provision"], row["valid_from"]): row for row in ProvisionVersionResource().export().dict}
    repeal = versions[("LGPSEDMTP art. 89 fr. X", "2021-05-21")]
    assert (repeal["repealed"], repeal["amended_by"]) == ("1", "LGPSEDMTP-REF-2021")
    assert repeal["replaced_by"] == "LGPSEDMTP art. 126 párr. 1; LGPSEDMTP art. 126 párr. 2"
    duties = {row["code"]: row for row in DutyResource().export().dict}
    assert duties["DEB-89-VI"]["provisions"] == "LGPSEDMTP art. 89 fr. VI"
    assert duties["DEB-89-VI"]["bearers"] == "SEP (Responsable); SEGOB (Corresponsable)"
    assert duties["DEB-89-VI"]["obligations"] == "PREV-15"
    bearers = {row["code"]: row for row in DutyBearerResource().export().dict}
    assert (bearers["SEDESOL"]["agency"], bearers["SEDESOL"]["resolved_through"]) == ("BIENESTAR", "SEDESOL")


def test_importing_a_version_goes_through_the_model_rules(law, auditora):
    header = "provision,valid_from,valid_until,amended_by,paraphrase_es,wording_known,source\n"
    overlapping = header + "LGPSEDMTP art. 89 fr. VI,2020-01-01,,,Otra redacción,1,prueba\n"
    result = import_file(ProvisionVersionResource(), overlapping.encode(), dry_run=True, user=auditora)
    assert any("traslapa" in message for message in result_messages(result))
    unknown = header + "LGPSEDMTP art. 999,2020-01-01,,,Texto,1,prueba\n"
    result = import_file(ProvisionVersionResource(), unknown.encode(), dry_run=True, user=auditora)
    assert any("Disposición desconocida" in message for message in result_messages(result))
    correction = header + "LGPSEDMTP art. 89 fr. VI,2012-06-15,,,Redacción corregida por una auditora,1,[L] p. 33\n"
    result = import_file(ProvisionVersionResource(), correction.encode(), dry_run=False, user=auditora)
    assert result_messages(result) == []
    version = ProvisionVersion.objects.get(provision__article="89", provision__fraction="VI")
    assert version.paraphrase_es == "Redacción corregida por una auditora"
