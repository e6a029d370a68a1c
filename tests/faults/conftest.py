"""Fault injection helpers: a dedicated Redis server, a broker switch for the Celery app, and a
real Celery worker process (prefork) that can be killed. Everything here is started by the
tests and stopped by them, by pid; the machine's Redis on 6379 is never touched."""

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import redis_url, service_unavailable
from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def real_services():
    """Faults are injected into the real services: PostgreSQL (triggers, row locks) and Redis.
    Without them (a local SQLite run) these tests skip; under CI=true they fail."""
    from django.db import connection

    if connection.vendor != "postgresql":
        service_unavailable("fault tests need PostgreSQL (set DATABASE_URL=postgres://...)")
    redis_url()


@pytest.fixture
def role_groups(transactional_db):
    """Transactional tests flush the database, data migrations included: recreate the role groups."""
    from django.contrib.auth.models import Group

    from agencies.choices import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pings(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class DedicatedRedis:
    """A redis-server of our own on a free port, started and stopped by the test."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        if not binary:
            service_unavailable("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _pings(self.port), 10, what=f"redis-server on {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def dedicated_redis(tmp_path):
    server = DedicatedRedis(tmp_path)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker(app, url: str):
    """Point the Celery app (producer side) at another broker for the duration."""
    keys = ("broker_write_url", "broker_read_url")
    previous = {key: app.conf.changes[key] for key in keys if key in app.conf.changes}

    def reset():
        # Drop the app's references only: the producer pools live in kombu's global registry,
        # keyed by broker URL, and closing them would break every later publish to that URL.
        app.amqp._producer_pool = None
        app._pool = None

    reset()
    # The Django settings' CELERY_BROKER_URL shadows `broker_url`; the read/write URLs win.
    app.conf.broker_write_url = app.conf.broker_read_url = url
    try:
        yield app
    finally:
        reset()
        for key in keys:  # back to exactly what was configured (usually: follow broker_url)
            app.conf.changes.pop(key, None)
        app.conf.changes.update(previous)


class WorkerProcess:
    """`celery worker -P prefork -c 1` in its own process group, on the test database."""

    def __init__(self, broker_url: str, media_root: Path, log_path: Path, extra_args: tuple = ()):
        from django.db import connection

        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(media_root),
        }
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.process = None

    def start(self):
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "compliance",
                "worker",
                "-P",
                "prefork",
                "-c",
                "1",
                "--loglevel=INFO",
                "-n",
                f"fault-{os.getpid()}-{time.monotonic_ns()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *self.extra_args,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: b"ready." in self.log_path.read_bytes(), 60, 0.2, "the worker to be ready")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_whole(self):
        """SIGKILL the main process and its pool at once (a power cut, the OOM killer on the group)."""
        os.killpg(self.process.pid, 9)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(10)
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture
def purged_broker(celery_app):
    """My Redis database (CELERY_BROKER_URL), emptied of earlier runs' messages."""
    url = redis_url()
    with celery_app.connection_for_write(url) as conn:
        conn.default_channel.client.flushdb()
    return url
