"""Models of the reports app, one module per concern (jobs, snapshots, heartbeat)."""

from reports.models.heartbeat import WorkerHeartbeat
from reports.models.jobs import JobState, ReportJob, ReportKind, ReportLanguage
from reports.models.snapshots import ScorecardSnapshot

__all__ = ["JobState", "ReportJob", "ReportKind", "ReportLanguage", "ScorecardSnapshot", "WorkerHeartbeat"]
