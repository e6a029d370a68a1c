"""The legal basis of a rating: the one home of "which article, fraction and version of the law
does this obligation enforce in this cycle's period".

- `basis_prefetch(prefix)`: the prefetches `Obligation.basis_for_period` needs (one query per
  level whatever the number of obligations).
- `Obligation.basis_for_period(start, end) -> dict`: plain, JSON-able data (frozen with published
  scorecards): the basis confidence and, per provision, the version in force at the end of the
  period (a repeal is a version too, with what replaced it), whether a reform took effect during
  the period and whether the wording was read.
- `basis_text(basis) -> str`: how pages, PDFs, exports and the API print it, in the active language.
  An obligation with no statutory basis says so plainly ("Criterio de la CNDH sin fundamento legal
  expreso"); one nobody has reviewed says "Fundamento por precisar".
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from obligations.choices import BasisConfidence


def _versions_prefetch():
    from obligations.models import Provision, ProvisionVersion

    versions = ProvisionVersion.objects.select_related("amended_by").prefetch_related(
        Prefetch("replaced_by", queryset=Provision.objects.select_related("instrument"))
    )
    return Prefetch("versions", queryset=versions)


def basis_prefetch(prefix: str = "") -> list:
    """Prefetches for `Obligation.basis_for_period`; `prefix` e.g. "obligation__" from assessments."""
    from obligations.models import Provision

    return [
        Prefetch(
            f"{prefix}provisions",
            queryset=Provision.objects.select_related("instrument").prefetch_related(_versions_prefetch()),
        )
    ]


def provision_ref(provision) -> dict:
    return {
        "citation": provision.citation,
        "instrument": provision.instrument.code,
        "article": provision.article,
        "fraction": provision.fraction,
        "paragraph": provision.paragraph,
        "transitory": provision.transitory,
    }


def version_ref(version, provision) -> dict | None:
    """A version as plain data: its period, the decree that produced it (the instrument itself for
    the original text) with its DOF date, and whether it is a repeal."""
    if version is None:
        return None
    decree = version.amended_by or provision.instrument
    return {
        "valid_from": version.valid_from.isoformat(),
        "valid_until": version.valid_until.isoformat() if version.valid_until else None,
        "decree": decree.code,
        "dof": decree.published_on.isoformat() if decree.published_on else None,
        "original": version.amended_by_id is None,
        "repealed": version.repealed,
        "wording_known": version.wording_known,
        "inferred": version.inferred,
    }


def provision_item(provision, start: date, end: date) -> dict:
    """One provision of a basis in the period [start, end]: the version in force at its end, whether
    a reform changed it during the period, and what replaced it if it was repealed."""
    period = provision.version_for_period(start, end)
    version = period.version
    replaced = [p.citation for p in version.replaced_by.all()] if version is not None and version.repealed else []
    return {
        **provision_ref(provision),
        "version": version_ref(version, provision),
        "changed_in_period": period.changed,
        "replaced_by": replaced,
    }


def _basis(confidence: str, items: list[dict]) -> dict:
    return {"confidence": confidence, "statutory": confidence != BasisConfidence.NONE, "items": items}


def basis_for_period(obligation, start: date, end: date) -> dict:
    return _basis(obligation.basis_confidence, [provision_item(p, start, end) for p in obligation.provisions.all()])


def bases_for_period(
    obligation_ids, start: date, end: date, confidences: dict[int, str] | None = None
) -> dict[int, tuple[str, dict]]:
    """{obligation_id: (citation, basis_for_period)} for many obligations at once, in a constant
    number of queries, each provision worked out once however many obligations cite it: the same
    data as `Obligation.legal_basis` and `Obligation.basis_for_period`, without a model instance
    and a prefetch per obligation. `obligation_ids`: ids, or a queryset of them (a subquery: no
    parameter per id). `confidences` ({id: basis_confidence}) when the caller has them."""
    from obligations.models import Obligation, Provision, ProvisionVersion

    wanted = obligation_ids if isinstance(obligation_ids, QuerySet) else list(obligation_ids)
    through = Obligation.provisions.through.objects.filter(obligation_id__in=wanted)
    links = list(
        through.order_by(*[f"provision__{name}" for name in Provision._meta.ordering]).values_list(
            "obligation_id", "provision_id"
        )
    )
    provisions = list(
        Provision.objects.filter(pk__in=through.values("provision_id"))
        .select_related("instrument")
        .prefetch_related(Prefetch("versions", queryset=ProvisionVersion.objects.select_related("amended_by")))
    )
    # What replaced a repealed version: read for the repealed ones only (few), in one query.
    repealed = [version for provision in provisions for version in provision.versions.all() if version.repealed]
    prefetch_related_objects(repealed, Prefetch("replaced_by", queryset=Provision.objects.select_related("instrument")))
    items = {provision.pk: (provision.citation, provision_item(provision, start, end)) for provision in provisions}
    if confidences is None:
        confidences = dict(Obligation.objects.filter(pk__in=wanted).values_list("pk", "basis_confidence"))
    ids = wanted if isinstance(wanted, list) else list(confidences)
    cited: dict[int, list[int]] = {oid: [] for oid in ids}
    for oid, pid in links:
        cited[oid].append(pid)
    result = {}
    for oid in ids:
        own = [items[pid] for pid in cited[oid]]
        basis = _basis(confidences[oid], [_copy(item) for _citation, item in own])  # each basis its own dicts
        result[oid] = ("; ".join(citation for citation, _item in own), basis)
    return result


def _copy(item: dict) -> dict:
    version = item["version"]
    return {**item, "version": dict(version) if version else None, "replaced_by": list(item["replaced_by"])}


def review_window(cycle) -> tuple[date, date] | None:
    """(end of the previous cycle's period, end of this one's): a reform or repeal that took effect
    after the first and by the second changed the legal basis since the previous cycle. None for
    the first cycle (nothing to compare with)."""
    from obligations.models import ReviewCycle

    if cycle is None:
        return None
    previous = ReviewCycle.objects.filter(period_end__lt=cycle.period_end).order_by("-period_end").first()
    return (previous.period_end, cycle.period_end) if previous is not None else None


def cycles_with_review_window() -> list:
    """The cycles review_window() gives a window to (all but the earliest), newest first: one
    query for any number of cycles."""
    from obligations.models import ReviewCycle

    cycles = list(ReviewCycle.objects.order_by("-period_end", "slug"))
    earliest = min((cycle.period_end for cycle in cycles), default=None)
    return [cycle for cycle in cycles if cycle.period_end != earliest]


def cycle_under_review():
    """The newest cycle not yet published (the one auditors are rating), None if every one is."""
    from obligations.choices import CycleState
    from obligations.models import ReviewCycle

    return ReviewCycle.objects.exclude(state=CycleState.PUBLISHED).order_by("-period_end").first()


def changes_text(obligation, window: tuple[date, date]) -> str:
    """The provisions of the basis a reform or repeal changed in `window`, each with its version at
    the end (and, for a repeal, what replaced it or that nothing did); empty when none changed."""
    basis = basis_for_period(obligation, *window)
    return "; ".join(item_text(item) for item in basis["items"] if item["changed_in_period"])


def article_anchor(instrument_code: str, article: str, transitory: bool) -> str:
    """The anchor of an article on the "La Ley" page (/ley/#lgpsedmtp-89)."""
    return f"{instrument_code}-{'t' if transitory else ''}{article}".lower()


def law_link(basis: dict | None) -> str:
    """Anchor of the first provision of a basis on the "La Ley" page, empty when there is none."""
    if not basis or not basis.get("items"):
        return ""
    first = basis["items"][0]
    return article_anchor(first["instrument"], first["article"], first["transitory"])


def _dmy(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d-%m-%Y") if iso else "?"


def version_text(version: dict | None) -> str:
    """'texto original, DOF 14-06-2012', 'reforma DOF 19-03-2014', 'derogada, DOF 20-05-2021'."""
    if version is None:
        return _("no vigente en el periodo")
    if version["repealed"]:
        return _("derogada, DOF %(date)s") % {"date": _dmy(version["dof"])}
    if version["original"]:
        return _("texto original, DOF %(date)s") % {"date": _dmy(version["dof"])}
    return _("reforma DOF %(date)s") % {"date": _dmy(version["dof"])}


def item_status(item: dict) -> str:
    """The version of one provision in the period, and what replaced it if it was repealed."""
    text = version_text(item["version"])
    if item.get("replaced_by"):
        text += "; " + _("hoy: %(provisions)s") % {"provisions": ", ".join(item["replaced_by"])}
    elif item["version"] is not None and item["version"]["repealed"]:
        text += "; " + _("sin disposición que la sustituya")
    if item.get("changed_in_period"):
        text += "; " + _("reformada durante el periodo")
    return text


def item_text(item: dict) -> str:
    return f"{item['citation']} ({item_status(item)})"


def _item_key(item: dict) -> tuple:
    """Everything `item_text` reads of an item."""
    version = item["version"]
    return (
        item["citation"],
        version and (version["repealed"], version["original"], version["dof"]),
        tuple(item.get("replaced_by") or ()),
        bool(item.get("changed_in_period")),
    )


def basis_text(basis: dict | None, legal_basis: str = "", memo: dict | None = None) -> str:
    """The basis as one line, in the active language. `legal_basis` (the bare citations) serves rows
    frozen before the basis was recorded. `memo`: a dict the caller keeps for the many rows of one
    page (in one language), so each provision's text is written once."""
    if basis is None:
        return legal_basis or _("Fundamento por precisar")
    if basis["confidence"] == BasisConfidence.NONE:
        return _("Criterio de la CNDH sin fundamento legal expreso")
    if not basis["items"]:
        return _("Fundamento por precisar")
    if memo is None:
        text = "; ".join(item_text(item) for item in basis["items"])
    else:
        texts = []
        for item in basis["items"]:
            key = _item_key(item)
            if key not in memo:
                memo[key] = item_text(item)
            texts.append(memo[key])
        text = "; ".join(texts)
    if not basis["confidence"]:
        text += " — " + _("por verificar")
    return text


def versions_column(basis: dict | None) -> str:
    """Open data: 'LGPSEDMTP art. 89 fr. VI @ 2012-06-15' per provision (the first day of the version
    in force in the period; '@ -' when none was, 'repealed' after a repeal), separated by '; '."""
    if not basis:
        return ""
    return "; ".join(
        f"{item['citation']} @ {item['version']['valid_from'] if item['version'] else '-'}"
        + (" repealed" if item["version"] and item["version"]["repealed"] else "")
        for item in basis["items"]
    )
