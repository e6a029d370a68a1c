from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q

from agencies.policy import ScopedQuerySet


class AgencyQuerySet(ScopedQuerySet):
    """`visible_to(user)`: the agencies whose private pages the user may open (agencies.policy)."""

    def federal(self):
        return self.filter(order="federal")

    def commission_members(self, on: date | None = None):
        """Agencies that sat on the Inter-Secretariat Commission on `on` (default: today), per the
        dated memberships of art. 85 (CommissionMembership)."""
        return self.filter(Exists(_memberships_on(on)))

    def known_as(self, acronym: str):
        """Agencies known by this acronym now or formerly (PGR finds FGR), any case."""
        return self.filter(Q(acronym__iexact=acronym) | Q(former_names__acronym__iexact=acronym)).distinct()

    def with_commission_member(self, on: date | None = None):
        """Annotates `commission_member` (bool): member of the Commission on `on` (default today)."""
        return self.annotate(commission_member=Exists(_memberships_on(on)))


def _memberships_on(on: date | None):
    from agencies.models import CommissionMembership

    return CommissionMembership.objects.in_force_on(on or date.today()).filter(agency=OuterRef("pk"))


class CommissionMembershipQuerySet(models.QuerySet):
    def in_force_on(self, day: date):
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
