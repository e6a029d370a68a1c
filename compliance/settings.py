"""Settings for the trafficking-law compliance tracker.

Every value that differs between a laptop and production comes from the environment
(see docs/configuration.md). The defaults make a fresh clone run with SQLite, a
filesystem broker under the project (no Redis needed) and a per-install secret key.
"""

import logging
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from compliance.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    """SECRET_KEY from the environment; a generated per-install key in DEBUG only."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set it to a long random value "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    key_file = BASE_DIR / ".secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "agencies",
    "obligations",
    "information_requests",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "compliance.middleware.RejectControlCharactersMiddleware",
    "compliance.middleware.PrivateByDefaultCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "compliance.middleware.SpanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "compliance.logging.RequestIdMiddleware",
    # Last, so that a locked-out login answers with our message, not a bare 403.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "compliance.urls"
WSGI_APPLICATION = "compliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite by default (zero setup); PostgreSQL through DATABASE_URL in CI and production.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"  # empty counts as unset
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once (the web server and the worker share the file),
    # and take the write lock when a transaction starts: SQLite ignores SELECT ... FOR UPDATE, so
    # two saves of the same rating must queue (one then sees the other's version) instead of
    # deadlocking on the upgrade from a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # Tests on a file, not in shared-cache memory (whose table locks ignore the timeout), so that
    # the tests of concurrent saves exercise the same locking as a real run.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(BASE_DIR / ".test-db.sqlite3"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "agencies.backends.AccessModelBackend",  # ModelBackend + roles read with the user
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: 5 failures per username + IP, then a 20-minute cool-off (its defaults
# lock after 3 failures forever).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 20) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "es-mx"
# Each language named in its own language (the language switchers show these names as they are).
LANGUAGES = [("es-mx", "Español (México)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Evidence files and reports: outside any static folder, never served directly
# (downloads go through permission-checked views). No MEDIA_URL on purpose.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Admin imports (obligations.imports; formats: compliance.admin.PolicyImportExportAdmin, CSV and
# XLSX only, for import and export alike); limits
# checked before any row is read (a larger file is refused with a Spanish message).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_UNZIPPED_BYTES = env_int("IMPORT_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024)  # inside an XLSX
IMPORT_SYNC_MAX_ROWS = env_int("IMPORT_SYNC_MAX_ROWS", 500)  # larger files go to a Celery task
IMPORT_PREVIEW_PAGE_ROWS = 50
IMPORT_MAX_ERRORS_SHOWN = 200
IMPORT_JOB_FILE_TTL_HOURS = 24  # an unconfirmed upload is removed after this

# --- Celery -----------------------------------------------------------------------
# Tasks always go through a broker to a worker process, never inside the web request
# (only the test suite runs them eagerly: tests/conftest.py). With no CELERY_BROKER_URL the
# broker is kombu's filesystem transport in LOCAL_BROKER_DIR, which needs no service;
# `make run` (bin/run-dev) starts a worker on it beside the web server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"  # empty counts as unset
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # job state lives in our database, not a result backend
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
REPORT_SOFT_TIME_LIMIT = env_int("REPORT_SOFT_TIME_LIMIT", 600)
REPORT_HARD_TIME_LIMIT = env_int("REPORT_HARD_TIME_LIMIT", 660)
# Claim lease of a running report job (reports.jobs.JobLease): the building process renews it
# every REPORT_HEARTBEAT_SECONDS; a job whose lease is REPORT_LEASE_SECONDS old has no live
# worker and is re-queued (at most REPORT_MAX_ATTEMPTS claims) or failed, by the periodic
# check and by the next request for the same report.
REPORT_HEARTBEAT_SECONDS = env_int("REPORT_HEARTBEAT_SECONDS", 15)
REPORT_LEASE_SECONDS = env_int("REPORT_LEASE_SECONDS", 60)
CELERY_TASK_SOFT_TIME_LIMIT = REPORT_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = REPORT_HARD_TIME_LIMIT
# Redis redelivers an unacknowledged task after visibility_timeout: keep it at least
# twice the hard limit so a long render is never run twice concurrently. The periodic check
# (reports.jobs.requeue_lost_jobs) publishes again a job queued for longer than it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(2 * REPORT_HARD_TIME_LIMIT, 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# The local broker: one folder is the queue of the producers (web, beat) and the worker. The
# filesystem transport keeps unacknowledged messages in the worker's memory: a warm or cold
# shutdown puts them back in the folder; a worker killed outright loses them, and the periodic
# check repairs the job (queued: published again; running: failed, can be retried).
LOCAL_BROKER_DIR = None
if CELERY_BROKER_URL == "filesystem://":
    LOCAL_BROKER_DIR = Path(env_str("LOCAL_BROKER_DIR") or BASE_DIR / ".celery")
    for _folder in ("queue", "control"):
        (LOCAL_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(LOCAL_BROKER_DIR / "queue"),
        "data_folder_out": str(LOCAL_BROKER_DIR / "queue"),
        "control_folder": str(LOCAL_BROKER_DIR / "control"),
        "polling_interval": 0.5,  # seconds between looks at the folder (the default is 1)
    }
    CELERY_BROKER_TRANSPORT = "compliance.celery:LocalBrokerTransport"  # kombu's, with an atomic publish
    CELERY_BEAT_SCHEDULE_FILENAME = str(LOCAL_BROKER_DIR / "beat-schedule")

# --- E-mail -----------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "seguimiento-trata@localhost")
# Absolute links in e-mails (information requests and their reminders are sent by tasks, without a request).
# Unset: the address of `make run` (PORT, as `PORT=8001 make run` sets it for the server and the worker).
SITE_URL = env_str("SITE_URL") or f"http://127.0.0.1:{env_str('PORT') or '8000'}"

# --- Security -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])

# Content-Security-Policy: no inline scripts, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Logging ------------------------------------------------------------------------
# One line per event, key=value, with the request id (web) or job id (worker) so a
# report job can be followed from the request that created it to the worker that ran it.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "compliance.logging.ContextFilter"}},
    "formatters": {
        "kv": {
            "format": "ts=%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s "
            "job_id=%(job_id)s msg=%(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "kv", "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
logging.captureWarnings(True)
