"""Models of the reports app, one module per concern (jobs, snapshots, heartbeat)."""

from reports.models.heartbeat import WorkerHeartbeat
from reports.models.jobs import JobState, ReportJob, ReportKind, ReportLanguage

__all__ = ["JobState", "ReportJob", "ReportKind", "ReportLanguage", "WorkerHeartbeat"]
