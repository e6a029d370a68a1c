"""Models of the obligations app, one module per concern:

- catalogue: legal instruments, provisions, obligations, indicators, recommendations
- law: versions of provisions, duty-bearers and statutory duties
- review: review cycles, assessments and evidence
- requests: information requests, liaisons' answers, reminders, right of reply
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
from obligations.models.law import Duty, DutyAssignment, DutyBearer, ProvisionVersion
from obligations.models.requests import (
    Answer,
    AnswerDocument,
    InformationRequest,
    ReminderSent,
    Reply,
    ReplyDocument,
    RequestAddressee,
    RequestAttachment,
)
from obligations.models.review import Assessment, Evidence, ReviewCycle, evidence_upload_to, private_storage

__all__ = [
    "Answer",
    "AnswerDocument",
    "Duty",
    "DutyAssignment",
    "DutyBearer",
    "InformationRequest",
    "ReminderSent",
    "Reply",
    "ReplyDocument",
    "RequestAddressee",
    "RequestAttachment",
    "Assessment",
    "Evidence",
    "Indicator",
    "IndicatorValue",
    "LegalInstrument",
    "Obligation",
    "ObligationQuerySet",
    "Provision",
    "ProvisionVersion",
    "Recommendation",
    "RecommendationFollowUp",
    "Responsibility",
    "ReviewCycle",
    "evidence_upload_to",
    "private_storage",
]
