"""Log lines carry a request id (web) and a job id (worker) so one report can be followed."""

import logging

import pytest

from compliance.logging import ContextFilter, job_id_var, request_id_var


@pytest.mark.django_db
def test_each_response_carries_its_request_id(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]
    assert first and second and first != second
    assert client.get("/health/", headers={"X-Request-ID": "from-proxy-1"})["X-Request-ID"] == "from-proxy-1"


def test_the_filter_stamps_the_current_ids_on_a_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    r_token, j_token = request_id_var.set("req-42"), job_id_var.set("17")
    try:
        ContextFilter().filter(record)
    finally:
        request_id_var.reset(r_token)
        job_id_var.reset(j_token)
    assert (record.request_id, record.job_id) == ("req-42", "17")


def test_the_worker_binds_the_job_id_of_the_task_being_run():
    from compliance.celery import _bind_job_id, _unbind_job_id
    from reports.tasks import heartbeat as task

    task.push_request()
    try:
        _bind_job_id(task_id="celery-id", task=task, args=(123,), kwargs={})
        assert job_id_var.get() == "123"
        _unbind_job_id(task=task)
        assert job_id_var.get() == "-"
    finally:
        task.pop_request()
