from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q

from agencies import access


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agencies whose pages the user may open (the one access rule, see agencies.access)."""
        if access.sees_all_agencies(user):
            return self
        if access.is_liaison(user):
            return self.filter(pk__in=access.liaison_agency_ids(user))
        # Anonymous and users without a role: the public portal shows every agency's
        # published data; private pages use `visible_to` and get nothing.
        return self.none()

    def federal(self):
        return self.filter(order="federal")

    def commission_members(self, on: date | None = None):
        """Agencies that sat on the Inter-Secretariat Commission on `on` (default: today), per the
        dated memberships of art. 85 (CommissionMembership)."""
        return self.filter(Exists(_memberships_on(on)))

    def with_commission_member(self, on: date | None = None):
        """Annotates `commission_member` (bool): member of the Commission on `on` (default today)."""
        return self.annotate(commission_member=Exists(_memberships_on(on)))


def _memberships_on(on: date | None):
    from agencies.models import CommissionMembership

    return CommissionMembership.objects.in_force_on(on or date.today()).filter(agency=OuterRef("pk"))


class CommissionMembershipQuerySet(models.QuerySet):
    def in_force_on(self, day: date):
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
