from agencies.policy import ScopedQuerySet


class AgencyQuerySet(ScopedQuerySet):
    """`visible_to(user)`: the agencies whose private pages the user may open (agencies.policy)."""

    def federal(self):
        return self.filter(order="federal")
