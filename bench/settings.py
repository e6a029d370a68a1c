"""Settings for the benchmarks: the project's settings plus a trivial one-row view (bench.urls).

Used by bench/scorecards.py (in-process) and bench/run.py (gunicorn). Never used in production.
"""

from compliance.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Benchmarks log in once and reuse the session; lockouts and HTTPS redirects are off here only.
AXES_ENABLED = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
