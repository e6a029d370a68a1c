from django.db import models

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
