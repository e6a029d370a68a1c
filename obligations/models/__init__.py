"""Models of the obligations app, one module per concern:

- catalogue: legal instruments, provisions, obligations, indicators, recommendations
- review: review cycles, assessments and evidence
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
from obligations.models.files import GeneratedName, StoredFile, private_storage
from obligations.models.replies import Reply, ReplyDocument
from obligations.models.review import Assessment, Evidence, LockedError, ReviewCycle

__all__ = [
    "Assessment",
    "Evidence",
    "GeneratedName",
    "Indicator",
    "IndicatorValue",
    "LegalInstrument",
    "LockedError",
    "Obligation",
    "ObligationQuerySet",
    "Provision",
    "Recommendation",
    "RecommendationFollowUp",
    "Reply",
    "ReplyDocument",
    "Responsibility",
    "ReviewCycle",
    "StoredFile",
    "private_storage",
]
