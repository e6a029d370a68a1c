"""Settings come from the environment with documented defaults (docs/configuration.md)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), 'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': settings.CELERY_BROKER_URL, 'local_broker': str(settings.LOCAL_BROKER_DIR), 'site': settings.SITE_URL, "
    "'debug': settings.DEBUG, 'media': str(settings.MEDIA_ROOT), 'lang': settings.LANGUAGE_CODE, "
    "'hosts': settings.ALLOWED_HOSTS, 'max': settings.EVIDENCE_MAX_BYTES, 'key': bool(settings.SECRET_KEY)}))"
)
VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
    "EVIDENCE_MAX_MB",
    "LOCAL_BROKER_DIR",
    "SITE_URL",
    "PORT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests; must not reach production-like checks
)


def run_settings(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in VARS}
    env.update(DJANGO_SETTINGS_MODULE="compliance.settings", **env_overrides)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_unset_variables_give_the_documented_defaults():
    import json

    result = run_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["eager"] is False  # never in-process outside the test suite
    assert values["broker"] == "filesystem://"  # no broker configured: the local one, no service needed
    assert values["local_broker"] == str(ROOT / ".celery")
    assert values["site"] == "http://127.0.0.1:8000"  # where `make run` serves
    assert values["debug"] is True
    assert values["media"] == str(ROOT / "media")
    assert values["lang"] == "es-mx"
    assert "127.0.0.1" in values["hosts"]
    assert values["max"] == 25 * 1024 * 1024
    assert values["key"] is True  # generated per install


def test_environment_overrides_the_defaults(tmp_path):
    import json

    result = run_settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somewhere",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
        MEDIA_ROOT=str(tmp_path),
        EVIDENCE_MAX_MB="5",
        ALLOWED_HOSTS="a.example, b.example",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "somewhere"
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["local_broker"] == "None"
    assert values["media"] == str(tmp_path)
    assert values["max"] == 5 * 1024 * 1024
    assert values["hosts"] == ["a.example", "b.example"]


def test_the_local_broker_folder_can_be_moved(tmp_path):
    import json

    result = run_settings(LOCAL_BROKER_DIR=str(tmp_path / "broker"), CELERY_BROKER_URL="")  # empty counts as unset
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["broker"] == "filesystem://"
    assert values["local_broker"] == str(tmp_path / "broker")
    assert (tmp_path / "broker" / "queue").is_dir()  # made at start: the transport needs it
    assert (tmp_path / "broker" / "control").is_dir()


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"PORT": "8001"}, "http://127.0.0.1:8001"),  # `PORT=8001 make run`: e-mail links follow the port
        ({"PORT": "8001", "SITE_URL": "https://seguimiento.example.org"}, "https://seguimiento.example.org"),
    ],
)
def test_site_url_of_the_links_in_e_mails(env, expected):
    import json

    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["site"] == expected


def test_missing_secret_key_with_debug_off_is_a_clear_startup_error():
    result = run_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_a_malformed_boolean_is_refused():
    result = run_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_check_deploy_passes_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in VARS}
    env.update(
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-production-like-secret-key-for-the-check-" + "y" * 20,
        ALLOWED_HOSTS="seguimiento.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_the_test_database_is_postgresql_when_database_url_says_so():
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        assert connection.vendor == "postgresql"
    elif os.environ.get("CI") == "true":
        pytest.fail("CI must run the suite on PostgreSQL (DATABASE_URL is not postgres://)")
    else:
        assert connection.vendor == "sqlite"
