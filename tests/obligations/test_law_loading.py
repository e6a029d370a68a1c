"""Loading the law's data with load_reference_data: idempotent, all or nothing, additive."""

import json
import shutil
from datetime import date

import pytest

from agencies.models import Agency, CommissionMembership
from obligations.models import Duty, DutyBearer, Obligation, Provision, ProvisionVersion
from obligations.reference import FIXTURES_DIR, ReferenceDataError, load_reference_data

pytestmark = pytest.mark.django_db


def law_counts():
    return {
        "versions": ProvisionVersion.objects.count(),
        "duties": Duty.objects.count(),
        "bearers": DutyBearer.objects.count(),
        "memberships": CommissionMembership.objects.count(),
        "obligations": Obligation.objects.count(),
        "links": Duty.obligations.through.objects.count(),
        "replacements": ProvisionVersion.replaced_by.through.objects.count(),
    }


def test_a_second_load_changes_nothing():
    first = load_reference_data()
    assert first.created["provisionversion"] == 261 and first.created["duty"] == 138
    before = law_counts()
    second = load_reference_data()
    assert not second.changed
    assert law_counts() == before
    assert second.unchanged["provisionversion"] == 261 and second.unchanged["commissionmembership"] == 16


def copy_fixtures(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory, ignore=shutil.ignore_patterns("sources"))
    return directory


def edit(directory, name, change):
    path = directory / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def duty(data, code):
    return next(d for d in data["duties"] if d["code"] == code)


def provision(data, article, fraction=""):
    return next(p for p in data["provisions"] if (p["article"], p["fraction"]) == (article, fraction))


BROKEN = {
    "unknown bearer": (
        "law.json",
        lambda d: duty(d, "DEB-88-I")["bearers"].append({"bearer": "NOEXISTE", "role": "co"}),
        "law.json deber «DEB-88-I» titular «NOEXISTE»: titular desconocido",
    ),
    "inferred without a note": (
        "law.json",
        lambda d: duty(d, "DEB-88-I").update(inferred=True),
        "law.json deber «DEB-88-I»: marcado como inferido sin explicar",
    ),
    "duty without source": (
        "law.json",
        lambda d: duty(d, "DEB-88-I").update(source=""),
        "law.json deber «DEB-88-I»: falta la fuente",
    ),
    "grounded in an obligation that cites none of its provisions": (
        "law.json",
        lambda d: duty(d, "DEB-88-II").update(grounded_in=["PREV-15"]),
        "«PREV-15» no cita ninguna de sus disposiciones",
    ),
    "neither rated nor explained": (
        "law.json",
        lambda d: duty(d, "DEB-88-II").update(grounded_in=[]),
        "diga qué obligación lo evalúa",
    ),
    "a law obligation taking a CNDH code": (
        "law.json",
        lambda d: duty(d, "DEB-88-I")["obligation"].update(code="PREV-01"),
        "una obligación de la Ley necesita clave «LEY-…» y título",
    ),
    "a class resolved to an agency": (
        "law.json",
        lambda d: next(b for b in d["bearers"] if b["code"] == "AUT-FED").update(agency="SEGOB"),
        "una clase de autoridades u otro órgano no se asigna a una dependencia",
    ),
    "overlapping memberships": (
        "law.json",
        lambda d: d["commission_memberships"].append(
            {"agency": "SEP", "law_name": "SEP", "since": "LGPSEDMTP-REF-2018", "source": "prueba"}
        ),
        "periodos traslapados",
    ),
    "versions out of order": (
        "legal.json",
        lambda d: provision(d, "62", "II")["versions"].reverse(),
        "versiones traslapadas o fuera de orden",
    ),
    "unread wording paraphrased as if read": (
        "legal.json",
        lambda d: provision(d, "89", "X")["versions"][0].update(inferred=False, inferred_note=""),
        "paráfrasis de una redacción no leída sin marcarla como inferida",
    ),
    "unknown reform decree": (
        "legal.json",
        lambda d: provision(d, "90", "VI")["versions"][1].update(amended_by="LGPSEDMTP-REF-1999"),
        "decreto de reforma desconocido «LGPSEDMTP-REF-1999»",
    ),
    "no statutory basis but an article": (
        "obligations.json",
        lambda d: next(o for o in d["obligations"] if o["code"] == "PREV-13").update(
            provisions=[["LGPSEDMTP", "89", "IX", False]]
        ),
        "«sin fundamento legal» no puede citar disposiciones",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_law_fixture_loads_nothing(tmp_path, case):
    name, change, message = BROKEN[case]
    directory = copy_fixtures(tmp_path)
    edit(directory, name, change)
    with pytest.raises(ReferenceDataError) as error:
        load_reference_data(directory)
    assert message in str(error.value)
    assert Agency.objects.count() == 0 and Provision.objects.count() == 0 and Duty.objects.count() == 0


def test_rows_added_by_auditors_are_kept():
    load_reference_data()
    fr_vi = Provision.objects.get(instrument__code="LGPSEDMTP", article="89", fraction="VI")
    bearer = DutyBearer.objects.create(code="NUEVO", kind="class", name_es="Agregado en el admin", source="admin")
    added = Duty.objects.create(
        code="DEB-NUEVO",
        instrument=fr_vi.instrument,
        citation="Art. 89, fr. VI",
        theme="prevention",
        paraphrase_es="Agregado por una auditora",
        source="admin",
    )
    added.provisions.add(fr_vi)
    assert not load_reference_data().changed
    assert Duty.objects.filter(code="DEB-NUEVO").exists() and DutyBearer.objects.filter(pk=bearer.pk).exists()


def test_a_version_added_in_the_admin_that_overlaps_stops_the_load():
    load_reference_data()
    modules = ProvisionVersion.objects.get(provision__article="89", provision__fraction="VI")
    modules.valid_until = date(2029, 12, 31)
    modules.save()
    ProvisionVersion.objects.create(
        provision=modules.provision, valid_from=date(2030, 1, 1), paraphrase_es="Reforma futura", source="admin"
    )
    with pytest.raises(ReferenceDataError, match="agregada en el admin"):
        load_reference_data()
