"""With no broker the server says, once at start, that tasks run in-process."""

import logging

import pytest
from django.apps import apps


@pytest.mark.parametrize(
    "argv, run_main, expected",
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], "true", 1),  # the serving child
        (["manage.py", "runserver", "127.0.0.1:8000"], None, 0),  # the autoreloader parent stays quiet
        (["manage.py", "runserver", "--noreload"], None, 1),
        (["gunicorn", "compliance.wsgi"], None, 1),
        (["manage.py", "migrate"], None, 0),
    ],
)
def test_it_warns_once_when_serving_without_a_broker(settings, monkeypatch, caplog, argv, run_main, expected):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr("sys.argv", argv)
    if run_main:
        monkeypatch.setenv("RUN_MAIN", run_main)
    else:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    with caplog.at_level(logging.WARNING, logger="compliance.tasks"):
        apps.get_app_config("reports").ready()
    assert sum("run in-process" in r.getMessage() for r in caplog.records) == expected


def test_it_is_silent_with_a_broker(settings, monkeypatch, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr("sys.argv", ["gunicorn", "compliance.wsgi"])
    with caplog.at_level(logging.WARNING, logger="compliance.tasks"):
        apps.get_app_config("reports").ready()
    assert not caplog.records
