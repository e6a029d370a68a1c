"""With no CELERY_BROKER_URL the server says, once at start, where its tasks go."""

import logging

import pytest
from django.apps import apps


@pytest.mark.parametrize(
    "argv, run_main, expected",
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], "true", [logging.INFO]),  # the serving child
        (["manage.py", "runserver", "127.0.0.1:8000"], None, []),  # the autoreloader parent stays quiet
        (["manage.py", "runserver", "--noreload"], None, [logging.INFO]),
        (["gunicorn", "compliance.wsgi"], None, [logging.WARNING]),  # production without a broker: a mistake
        (["manage.py", "migrate"], None, []),
    ],
)
def test_it_says_once_where_tasks_go_without_a_broker(
    settings, monkeypatch, caplog, tmp_path, argv, run_main, expected
):
    settings.LOCAL_BROKER_DIR = tmp_path
    monkeypatch.setattr("sys.argv", argv)
    if run_main:
        monkeypatch.setenv("RUN_MAIN", run_main)
    else:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    with caplog.at_level(logging.INFO, logger="compliance.tasks"):
        apps.get_app_config("reports").ready()
    notices = [r for r in caplog.records if "go to the local broker" in r.getMessage()]
    assert [r.levelno for r in notices] == expected
    assert all(str(tmp_path) in r.getMessage() for r in notices)


def test_it_is_silent_with_a_broker(settings, monkeypatch, caplog):
    settings.LOCAL_BROKER_DIR = None
    monkeypatch.setattr("sys.argv", ["gunicorn", "compliance.wsgi"])
    with caplog.at_level(logging.INFO, logger="compliance.tasks"):
        apps.get_app_config("reports").ready()
    assert not caplog.records
