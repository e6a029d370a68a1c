"""Shared fixtures: named personas and the real services.

Personas (as in the healthchecks test suite): `auditora` rates, `auditor2` validates,
`enlace_sep` and `enlace_inm` are liaisons of SEP and INM, `secretariado` is the
Commission's technical secretariat, `outsider` is logged in without any role.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group

from agencies.choices import Role

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    """Without CELERY_BROKER_URL, tasks run eagerly inside the test process, on an in-memory
    broker: the suite needs no service and never touches the local broker folder of `make run`.
    This is the only place where tasks run eagerly. With CELERY_BROKER_URL (CI: Redis) they are
    published to that broker; tests that need a worker start one (`real_worker`)."""
    from django.conf import settings

    if not os.environ.get("CELERY_BROKER_URL"):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        settings.CELERY_BROKER_URL = "memory://"
        settings.CELERY_BROKER_TRANSPORT = None
        settings.LOCAL_BROKER_DIR = None


def service_unavailable(message: str):
    """In CI a missing service is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"{message} (CI=true: required services must be up)", pytrace=False)
    pytest.skip(message)


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        service_unavailable("CELERY_BROKER_URL is not a redis:// URL")
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(16).startswith(b"+PONG"):
                service_unavailable(f"Redis at {url} did not answer PING")
    except OSError as exc:
        service_unavailable(f"Redis at {url} is unreachable: {exc}")
    return url


@pytest.fixture(autouse=True)
def spanish_by_default(settings):
    """Each test starts in Spanish: a test that switches to English must not leak it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_user(django_user_model, username, role=None, agencies=(), **extra):
    from agencies.models import Membership

    user = django_user_model.objects.create_user(username=username, password="x-Secreta-2026!", **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for agency in agencies:
        Membership.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def media(tmp_path):
    """A private, empty MEDIA_ROOT for the test (every file field's storage points there)."""
    from tests.support import private_media

    with private_media(tmp_path / "media") as path:
        yield path


@pytest.fixture
def sep(db):
    from agencies.models import Agency

    return Agency.objects.get_or_create(
        acronym="SEP",
        defaults={"name_es": "Secretaría de Educación Pública", "name_en": "Ministry of Public Education"},
    )[0]


@pytest.fixture
def inm(db):
    from agencies.models import Agency

    return Agency.objects.get_or_create(
        acronym="INM",
        defaults={"name_es": "Instituto Nacional de Migración", "name_en": "National Migration Institute"},
    )[0]


@pytest.fixture
def auditora(django_user_model):
    return make_user(django_user_model, "auditora", Role.AUDITOR, is_staff=True)


@pytest.fixture
def auditor2(django_user_model):
    return make_user(django_user_model, "auditor2", Role.AUDITOR, is_staff=True)


@pytest.fixture
def enlace_sep(django_user_model, sep):
    return make_user(django_user_model, "enlace-sep", Role.LIAISON, agencies=[sep])


@pytest.fixture
def enlace_inm(django_user_model, inm):
    return make_user(django_user_model, "enlace-inm", Role.LIAISON, agencies=[inm])


@pytest.fixture
def secretariado(django_user_model):
    return make_user(django_user_model, "secretariado", Role.SECRETARIAT)


@pytest.fixture
def outsider(django_user_model):
    return make_user(django_user_model, "sin-rol")


@pytest.fixture
def celery_app():
    from compliance.celery import app

    return app


@pytest.fixture
def real_worker(celery_app):
    """A real Celery worker (thread, solo pool) consuming from Redis.

    Use it from tests marked `django_db(transaction=True)`: the worker thread has its
    own database connection and sees only committed rows."""
    from celery.contrib.testing.worker import start_worker

    redis_url()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=15):
            yield celery_app
    finally:
        celery_app.conf.task_always_eager = previous


@pytest.fixture
def eager_tasks(celery_app):
    """Tasks run in the test process even when CELERY_BROKER_URL names a broker (CI): for tests
    of what a task does, not of how it travels."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield celery_app
    celery_app.conf.task_always_eager = previous
