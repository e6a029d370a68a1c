"""Models of the obligations app, one module per concern:

- catalogue: legal instruments, provisions, obligations, indicators, recommendations
- review: review cycles, assessments and evidence
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
from obligations.models.review import Assessment, Evidence, ReviewCycle, evidence_upload_to, private_storage

__all__ = [
    "Assessment",
    "Evidence",
    "Indicator",
    "IndicatorValue",
    "LegalInstrument",
    "Obligation",
    "ObligationQuerySet",
    "Provision",
    "Recommendation",
    "RecommendationFollowUp",
    "Responsibility",
    "ReviewCycle",
    "evidence_upload_to",
    "private_storage",
]
