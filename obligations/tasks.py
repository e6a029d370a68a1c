"""Celery tasks of the obligations app: large admin imports (obligations.imports)."""

from celery import shared_task

from obligations import imports


@shared_task(name="obligations.import_preview", ignore_result=True, acks_late=True)
def import_preview(job_id: int) -> str:
    return imports.preview(job_id).state


@shared_task(name="obligations.import_run", ignore_result=True, acks_late=True)
def import_run(job_id: int) -> str:
    return imports.run(job_id).state
