"""Models of the reports app, one module per concern (jobs, snapshots, heartbeat)."""

from reports.models.heartbeat import WorkerHeartbeat

__all__ = ["WorkerHeartbeat"]
