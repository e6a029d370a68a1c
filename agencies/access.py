"""The single access rule: what a user may see and change.

Every view, admin page, export, download, API and polling endpoint asks these
functions (directly or through the `visible_to(user)` querysets built on them).
Nothing else decides access.

- auditor (group `auditor`) and superuser: everything, and may change ratings and evidence.
- secretariat (group `secretariat`): every agency, published cycles only.
- liaison (group `liaison` plus a Membership): only the agencies they liaise for; for
  those, published cycles plus the *validated* ratings of unpublished cycles (to reply).
- anonymous and anyone else: published cycles only, public (non-confidential) evidence only.
"""

from __future__ import annotations

from agencies.choices import Role


def role_names(user) -> frozenset[str]:
    """The role groups of a user, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def is_auditor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and (
        user.is_superuser or Role.AUDITOR in role_names(user)
    )


def is_secretariat(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and Role.SECRETARIAT in role_names(user)


def is_liaison(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and Role.LIAISON in role_names(user)


def sees_all_agencies(user) -> bool:
    """Auditors and the secretariat see every agency (anonymous only through the public portal)."""
    return is_auditor(user) or is_secretariat(user)


def sees_unpublished(user) -> bool:
    """Only auditors see cycles that are not yet published, in full."""
    return is_auditor(user)


def liaison_agency_ids(user) -> frozenset[int]:
    """Ids of the agencies a liaison answers for (empty for everyone else)."""
    if not is_liaison(user):
        return frozenset()
    cached = getattr(user, "_liaison_agency_ids", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("agency_id", flat=True))
        user._liaison_agency_ids = cached
    return cached


def sees_confidential_of(user, agency_id: int) -> bool:
    """Confidential evidence stays within auditors, the secretariat and the agency's own liaisons."""
    return sees_all_agencies(user) or agency_id in liaison_agency_ids(user)


def primary_role(user) -> str | None:
    """The role that decides where the home page sends a user."""
    if is_auditor(user):
        return Role.AUDITOR
    if is_secretariat(user):
        return Role.SECRETARIAT
    if is_liaison(user):
        return Role.LIAISON
    return None
