"""Models of the obligations app, one module per concern:

- catalogue: legal instruments, provisions, obligations, indicators, recommendations
- law: versions of provisions, duty-bearers and statutory duties
- review: review cycles, assessments and evidence
- figures: the 32 states and their facts, recurring asks
- replies: the agencies' right of reply to validated ratings
- files: how a checked upload is stored (evidence, documents)

Information requests to agencies are their own app (information_requests).
"""

from obligations.models.catalogue import (
    Indicator,
    IndicatorValue,
    LegalInstrument,
    Obligation,
    ObligationQuerySet,
    Provision,
    Recommendation,
    RecommendationFollowUp,
    Responsibility,
)
from obligations.models.figures import RecurringAsk, RecurringAskLink, State, StateFact
from obligations.models.files import GeneratedName, StoredFile, private_storage
from obligations.models.imports import ImportJob, ImportState
from obligations.models.law import Duty, DutyAssignment, DutyBearer, ProvisionVersion
from obligations.models.replies import Reply, ReplyDocument
from obligations.models.review import Assessment, Evidence, LockedError, ReviewCycle

__all__ = [
    "Assessment",
    "Duty",
    "DutyAssignment",
    "DutyBearer",
    "Evidence",
    "ImportJob",
    "ImportState",
    "GeneratedName",
    "Indicator",
    "IndicatorValue",
    "LegalInstrument",
    "LockedError",
    "Obligation",
    "ObligationQuerySet",
    "Provision",
    "ProvisionVersion",
    "Recommendation",
    "RecommendationFollowUp",
    "RecurringAsk",
    "RecurringAskLink",
    "Reply",
    "ReplyDocument",
    "Responsibility",
    "ReviewCycle",
    "State",
    "StateFact",
    "StoredFile",
    "private_storage",
]
