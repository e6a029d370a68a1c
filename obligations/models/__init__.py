"""Models of the obligations app, one module per concern:

- catalogue: legal instruments, provisions, obligations, indicators, recommendations
- review: review cycles, assessments and evidence
- requests: information requests, liaisons' answers, reminders, right of reply
- figures: the 32 states and their facts, recurring asks
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
    "Recommendation",
    "RecommendationFollowUp",
    "RecurringAsk",
    "RecurringAskLink",
    "Responsibility",
    "ReviewCycle",
    "State",
    "StateFact",
    "evidence_upload_to",
    "private_storage",
]
