"""The access policy: the one home of "may this user see / do X".

Roles (each a Django group of the same name, see agencies.choices.Role):

- auditor (and superuser): sees everything, rates, validates, manages cycles, requests and replies.
- secretariat: every agency, published cycles only; requests any report of a published cycle.
- liaison (group plus a Membership): only the agencies they liaise for; for those, published
  cycles plus the *validated* ratings of unpublished cycles (to reply); answers the information
  requests addressed to their agencies; files replies; requests their agencies' reports.
- anonymous and anyone else: published cycles only, non-confidential evidence only.
- SYSTEM: the explicit actor of background jobs and management commands (PDF builds, freezing,
  exports from the command line). It sees everything and can do no human action (it cannot rate,
  validate or answer). Nothing passes `user=None` to mean "everything".

Two kinds of question, both answered here and nowhere else:

- `scope(user, queryset)`: the rows of a model the user may see. Every list, fetch, export,
  download, API and admin queryset goes through it (the querysets' `visible_to(user)` call it).
- `can(user, action, obj)`: may the user do ACTION on OBJECT. Whether the record's *state* allows
  the action (a validated rating cannot be rated again) is the workflow's question
  (obligations.workflow, information_requests.workflow); views and the admin ask both.

The module imports no models at import time (models import it for their querysets).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from agencies.choices import Role

PUBLISHED = "published"  # obligations.choices.CycleState.PUBLISHED (no import: no cycle)
VALIDATED = "validated"  # obligations.choices.WorkflowState.VALIDATED
SENT = "sent"  # information_requests.choices.RequestState.SENT
SUBMITTED = "submitted"  # information_requests.choices.AnswerState.SUBMITTED


class SystemActor:
    """The actor of background jobs and commands: sees everything, is nobody."""

    pk = None
    id = None
    username = "sistema"
    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    is_staff = False

    def __str__(self):
        return "sistema"

    def get_full_name(self):
        return "sistema"

    def has_perm(self, perm, obj=None):
        return False


SYSTEM = SystemActor()


def is_system(user) -> bool:
    return user is SYSTEM


class Action(StrEnum):
    """What a user may ask to do (the object says to what)."""

    VIEW = "view"
    MANAGE = "manage"  # the auditors' workspace: catalogue, cycles, imports, admin pages
    RATE = "rate"  # write a rating and its evidence, submit it, return it to draft
    VALIDATE = "validate"
    SEND_REQUEST = "send_request"  # information requests to agencies
    ANSWER = "answer"  # a liaison answers an information request addressed to their agency
    FILE_REPLY = "file_reply"  # the agency's right of reply to a validated rating
    ANSWER_REPLY = "answer_reply"  # the auditors' answer to a reply
    REQUEST_REPORT = "request_report"  # a PDF report (obj: ReportRequest)
    SEE_CONFIDENTIAL = "see_confidential"  # confidential evidence and documents of an agency


# --- roles ------------------------------------------------------------------------------


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active) and not is_system(user)


def role_names(user) -> frozenset[str]:
    """The role groups of a user, cached on the user object for the request."""
    if not _signed_in(user):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def remember_access(user, role_names_: list | tuple, agency_ids: list | tuple) -> None:
    """Keep a user's role groups and liaison agencies on the user object for the request, read
    by whoever loaded the user (agencies.backends reads them with the user in one query)."""
    user._role_names = frozenset(role_names_)
    user._liaison_agency_ids = frozenset(agency_ids)


def is_auditor(user) -> bool:
    return _signed_in(user) and (user.is_superuser or Role.AUDITOR in role_names(user))


def is_secretariat(user) -> bool:
    return _signed_in(user) and Role.SECRETARIAT in role_names(user)


def is_liaison(user) -> bool:
    return _signed_in(user) and Role.LIAISON in role_names(user)


def liaison_agency_ids(user) -> frozenset[int]:
    """Ids of the agencies a liaison answers for (empty for everyone else)."""
    if not is_liaison(user):
        return frozenset()
    cached = getattr(user, "_liaison_agency_ids", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("agency_id", flat=True))
        user._liaison_agency_ids = cached
    return cached


def sees_everything(user) -> bool:
    """Auditors and the system actor: every cycle, every agency, every record."""
    return is_system(user) or is_auditor(user)


def sees_all_agencies(user) -> bool:
    """Auditors, the secretariat and the system see every agency (the public only through the portal)."""
    return sees_everything(user) or is_secretariat(user)


def sees_unpublished(user) -> bool:
    """Only auditors (and the system) see cycles that are not yet published, in full."""
    return sees_everything(user)


def sees_confidential_of(user, agency_id: int) -> bool:
    """Confidential evidence and documents stay within auditors, the secretariat and the agency's own liaisons."""
    return sees_all_agencies(user) or agency_id in liaison_agency_ids(user)


def view_key(user) -> tuple:
    """What decides what a user sees and may do on a page: two users with the same key get the same
    page (whole-page cache keys, lib.page_cache) — role groups, superuser and staff flags, and the
    agencies they liaise for."""
    if not _signed_in(user):
        return ("anonymous",)
    return (tuple(sorted(role_names(user))), user.is_superuser, user.is_staff, tuple(sorted(liaison_agency_ids(user))))


def primary_role(user) -> str | None:
    """The role that decides where the home page sends a user."""
    if is_auditor(user):
        return Role.AUDITOR
    if is_secretariat(user):
        return Role.SECRETARIAT
    if is_liaison(user):
        return Role.LIAISON
    return None


# --- scopes: the rows a user may see -------------------------------------------------------

_SCOPES: dict[str, Callable[[object, QuerySet], QuerySet]] = {}


def _scope_of(*labels: str):
    def register(function):
        for label in labels:
            _SCOPES[label] = function
        return function

    return register


def governs(model) -> bool:
    """Whether the rows of `model` are access-controlled (catalogue tables are not)."""
    return model._meta.label_lower in _SCOPES


def scope(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `user` may see (the one access rule for every model)."""
    if user is None:
        raise TypeError("scope() needs a user: pass policy.SYSTEM for background work")
    try:
        rule = _SCOPES[queryset.model._meta.label_lower]
    except KeyError:
        raise LookupError(f"No access rule for {queryset.model._meta.label}") from None
    return rule(user, queryset)


class ScopedQuerySet(QuerySet):
    """Base of every queryset whose rows are access-controlled: `visible_to(user)` is `scope()`."""

    def visible_to(self, user):
        return scope(user, self)


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


@_scope_of("agencies.agency")
def _agencies(user, qs):
    if sees_all_agencies(user):
        return qs
    if is_liaison(user):
        return qs.filter(pk__in=liaison_agency_ids(user))
    # Anonymous and users without a role: the public portal shows every agency's published data
    # through `public_agencies()`; private pages get nothing.
    return qs.none()


@_scope_of("obligations.reviewcycle")
def _cycles(user, qs):
    if sees_unpublished(user):
        return qs
    if is_liaison(user):
        # EXISTS, not a join + DISTINCT: a cycle holds hundreds of thousands of ratings and this
        # runs on every liaison page (uses the assessment (cycle, agency) index).
        validated_for_them = _model("obligations.Assessment").objects.filter(
            cycle=OuterRef("pk"), agency_id__in=liaison_agency_ids(user), workflow_state=VALIDATED
        )
        return qs.filter(Q(state=PUBLISHED) | Q(Exists(validated_for_them)))
    return qs.filter(state=PUBLISHED)


def _assessment_q(user, prefix: str = "") -> Q | None:
    """The assessments a user may see, as a filter (None: all of them)."""
    if sees_unpublished(user):
        return None
    published = Q(**{f"{prefix}cycle__state": PUBLISHED})
    if is_liaison(user):
        own = Q(**{f"{prefix}agency_id__in": liaison_agency_ids(user)})
        return own & (published | Q(**{f"{prefix}workflow_state": VALIDATED}))
    return published


def _filter(qs, condition: Q | None):
    return qs if condition is None else qs.filter(condition)


@_scope_of("obligations.assessment")
def _assessments(user, qs):
    return _filter(qs, _assessment_q(user))


@_scope_of("obligations.evidence")
def _evidence(user, qs):
    """Evidence of visible ratings; confidential items only within the authorised circle."""
    qs = _filter(qs, _assessment_q(user, "assessment__"))
    if sees_all_agencies(user):
        return qs
    if is_liaison(user):
        return qs.filter(Q(confidential=False) | Q(assessment__agency_id__in=liaison_agency_ids(user)))
    return qs.filter(confidential=False)


@_scope_of("obligations.reply")
def _replies(user, qs):
    """Replies follow the ratings they answer."""
    return _filter(qs, _assessment_q(user, "assessment__"))


@_scope_of("obligations.replydocument")
def _reply_documents(user, qs):
    """Documents may name victims: like confidential evidence, only within the authorised circle."""
    qs = _filter(qs, _assessment_q(user, "reply__assessment__"))
    if sees_all_agencies(user):
        return qs
    return qs.filter(reply__assessment__agency_id__in=liaison_agency_ids(user))


@_scope_of("information_requests.informationrequest")
def _information_requests(user, qs):
    """Auditors: every request. Liaisons: sent requests addressed to their agencies. Nobody else."""
    if sees_everything(user):
        return qs
    if is_liaison(user):
        addressed = _model("information_requests.RequestAddressee").objects.filter(
            request=OuterRef("pk"), agency_id__in=liaison_agency_ids(user)
        )
        return qs.filter(Exists(addressed), state=SENT)
    return qs.none()


@_scope_of("information_requests.requestaddressee")
def _addressees(user, qs):
    if sees_everything(user):
        return qs
    if is_liaison(user):
        return qs.filter(request__state=SENT, agency_id__in=liaison_agency_ids(user))
    return qs.none()


@_scope_of("information_requests.requestattachment")
def _attachments(user, qs):
    requests = scope(user, _model("information_requests.InformationRequest").objects.all())
    return qs.filter(request__in=requests.values("pk"))


@_scope_of("information_requests.answer")
def _answers(user, qs):
    """Liaisons see their agencies' answers, drafts included; auditors see submitted answers
    (drafts stay with the agency); the system sees all."""
    if is_system(user):
        return qs
    if is_liaison(user) and not is_auditor(user):
        return qs.filter(addressee__request__state=SENT, addressee__agency_id__in=liaison_agency_ids(user))
    if is_auditor(user):
        return qs.filter(state=SUBMITTED)
    return qs.none()


@_scope_of("information_requests.answerdocument")
def _answer_documents(user, qs):
    answers = scope(user, _model("information_requests.Answer").objects.all())
    return qs.filter(answer__in=answers.values("pk"))


@_scope_of("reports.reportjob")
def _report_jobs(user, qs):
    """Auditors everything; the secretariat every report of published cycles; a liaison only
    their own agencies' reports of published cycles."""
    if sees_unpublished(user):
        return qs
    published = Q(cycle__state=PUBLISHED)
    if is_secretariat(user):
        return qs.filter(published)
    if is_liaison(user):
        return qs.filter(published, kind="agency", agency_id__in=liaison_agency_ids(user))
    return qs.none()


# --- actions --------------------------------------------------------------------------------


def can(user, action: Action | str, obj=None) -> bool:
    """May `user` do `action` on `obj`? Role and ownership only; the record's state is the
    workflow's question."""
    action = Action(action)
    if action == Action.VIEW:
        return obj is not None and scope(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
    if action in (Action.MANAGE, Action.RATE, Action.VALIDATE, Action.SEND_REQUEST, Action.ANSWER_REPLY):
        return is_auditor(user)
    if action == Action.ANSWER:  # obj: a RequestAddressee
        return obj is not None and obj.agency_id in liaison_agency_ids(user)
    if action == Action.FILE_REPLY:  # obj: an Assessment
        return obj is not None and obj.agency_id in liaison_agency_ids(user)
    if action == Action.SEE_CONFIDENTIAL:  # obj: an Agency (or its id)
        return obj is not None and sees_confidential_of(user, getattr(obj, "pk", obj))
    if action == Action.REQUEST_REPORT:  # obj: ReportTarget(kind, cycle, agency)
        return obj is not None and _may_request_report(user, obj)
    raise ValueError(f"Unknown action {action}")


def _may_request_report(user, target) -> bool:
    """Auditors: any report of any cycle. Secretariat: any report of a published cycle.
    A liaison: their own agencies' reports of published cycles."""
    kind, cycle, agency = target.kind, target.cycle, target.agency
    if kind not in ("agency", "national") or (kind == "agency") != (agency is not None):
        return False
    if is_auditor(user):
        return True
    if cycle.state != PUBLISHED:
        return False
    if is_secretariat(user):
        return True
    if is_liaison(user):
        return kind == "agency" and agency.pk in liaison_agency_ids(user)
    return False


def admin_may(user, codename: str) -> bool:
    """Admin hooks: the permission the role groups hold (agencies.apps grants them to auditors)
    — a staff flag alone opens nothing."""
    return _signed_in(user) and user.has_perm(codename)
