"""The authentication backend: Django's ModelBackend whose `get_user` (run on every request of
a signed-in user) also reads the user's role groups and the agencies they liaise for, in the same
query. `agencies.policy` reads them from the user object, so a page asks no more questions to know
who is looking — and they are never older than the request (nothing is kept in the session)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery

from agencies import policy
from agencies.models import Membership
from lib.aggregates import JSONArrayAgg


def _array_of(queryset, column: str) -> Subquery:
    """One row per user: the `column` of `queryset` (rows of that user) as a JSON array."""
    return Subquery(
        queryset.filter(user_id=OuterRef("pk")).values("user_id").annotate(values=JSONArrayAgg(column)).values("values")
    )


def with_access(queryset):
    """Users annotated with their role group names and liaison agency ids (see `load_access`)."""
    groups = get_user_model().groups.through.objects.all()
    return queryset.annotate(
        access_role_names=_array_of(groups, "group__name"),
        access_agency_ids=_array_of(Membership.objects.all(), "agency_id"),
    )


class AccessModelBackend(ModelBackend):
    """ModelBackend + the user's roles and liaison agencies read with the user (one query)."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = with_access(model._default_manager.all()).get(pk=user_id)
        except model.DoesNotExist:
            return None
        policy.remember_access(user, user.access_role_names or (), user.access_agency_ids or ())
        return user if self.user_can_authenticate(user) else None
