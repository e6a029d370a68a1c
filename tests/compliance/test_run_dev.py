"""`make run` (bin/run-dev) with no service at all: the web server and a real Celery worker (with
beat) on the local filesystem broker; Ctrl-C stops both and no process is left behind."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]
UNSET = ("DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT", "LOCAL_BROKER_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A migrated SQLite database, a media folder and a broker folder of its own (never the
    developer's `.celery/`), as a fresh clone would have them."""
    folder = tmp_path_factory.mktemp("run-dev")
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(
        DJANGO_SETTINGS_MODULE="compliance.settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        LOCAL_BROKER_DIR=str(folder / "broker"),
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    return folder, env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_with(marker: str) -> dict[int, str]:
    """The live processes whose environment carries `marker`: pid → command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # gone meanwhile
            continue
    return found


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def run_dev(project):
    """Start bin/run-dev as `make run` does; yield (process, port, marker, log); kill leftovers."""
    folder, env = project
    marker = f"RUN_DEV_TEST={uuid.uuid4().hex}"
    key, value = marker.split("=")
    port = free_port()
    log_path = folder / f"run-dev-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "bin/run-dev", "--port", str(port)],
            cwd=ROOT,
            env={**env, key: value},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own terminal-less group: we send the Ctrl-C ourselves
        )
    try:
        yield process, port, marker, log_path
    finally:
        for pid in processes_with(marker):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=10)


def started(run_dev) -> None:
    process, port, marker, log_path = run_dev
    tail = lambda: log_path.read_text()[-3000:]  # noqa: E731
    wait_for(lambda: answers(f"http://127.0.0.1:{port}/health/"), 90, 0.2, tail)
    wait_for(lambda: "ready." in log_path.read_text(), 60, 0.2, tail)  # celery@… ready.
    commands = processes_with(marker).values()
    assert any("runserver" in c for c in commands)
    assert sum("celery" in c and "worker" in c for c in commands) >= 3  # main, pool process, beat


def test_a_task_runs_in_the_worker_beside_the_server_and_ctrl_c_stops_both(project, run_dev):
    folder, env = project
    process, port, marker, log_path = run_dev
    started(run_dev)

    # A task published by another process (as the web server publishes a report) reaches the worker.
    check = subprocess.run(
        [sys.executable, "manage.py", "check_worker", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr + log_path.read_text()[-3000:]
    assert "filesystem://" in check.stdout
    with sqlite3.connect(folder / "db.sqlite3") as db:
        assert db.execute("SELECT eager FROM reports_workerheartbeat").fetchall() == [(0,)]  # a worker, not in-process

    process.send_signal(signal.SIGINT)  # Ctrl-C
    assert process.wait(timeout=60) == 130
    wait_for(lambda: not processes_with(marker), 5, 0.2, lambda: processes_with(marker))
    log = log_path.read_text()
    assert "Warm shutdown" in log  # the worker was asked to finish its work, not killed


def test_a_killed_supervisor_leaves_no_worker_behind(run_dev):
    process, port, marker, log_path = run_dev
    started(run_dev)
    process.kill()  # SIGKILL: no chance to clean up; the kernel tells the children (PR_SET_PDEATHSIG)
    process.wait(timeout=10)
    wait_for(lambda: not processes_with(marker), 60, 0.2, lambda: processes_with(marker))
