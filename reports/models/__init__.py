"""Models of the reports app, one module per concern (jobs, snapshots, freezing, heartbeat)."""

from reports.models.freezing import CycleFreeze, FreezeState
from reports.models.heartbeat import WorkerHeartbeat
from reports.models.jobs import JobState, ReportJob, ReportKind, ReportLanguage
from reports.models.snapshots import ScorecardSnapshot

__all__ = [
    "CycleFreeze",
    "FreezeState",
    "JobState",
    "ReportJob",
    "ReportKind",
    "ReportLanguage",
    "ScorecardSnapshot",
    "WorkerHeartbeat",
]
