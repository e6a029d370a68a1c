"""Login hardening: lockout (django-axes), password strength, session expiry, CSRF, CSP,
and the production-only transport settings (secure cookies, HSTS)."""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "x-Secreta-2026!"


def _fail(client, username="auditora", ip="10.1.1.1", password="incorrecta"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _login(client, username="auditora", ip="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)


# --- lockout -------------------------------------------------------------------------


def test_lockout_settings_are_deliberate():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert round(settings.AXES_COOLOFF_TIME * 60) == 20  # hours → minutes
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


@pytest.mark.django_db
def test_four_failures_still_let_the_right_password_in(client, auditora):
    for _ in range(4):
        assert _fail(client).status_code == 200
    assert _login(client).status_code == 302


@pytest.mark.django_db
def test_the_fifth_failure_locks_that_username_from_that_address(client, auditora):
    for _ in range(4):
        _fail(client)
    locked = _fail(client)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Cuenta bloqueada temporalmente" in body
    assert "Espere 20 minutos" in body
    # Even the right password is refused now, with the same clear message.
    again = _login(client)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_is_per_username_and_address(client, auditora, auditor2):
    for _ in range(5):
        _fail(client)
    assert _login(Client(), ip="10.9.9.9").status_code == 302  # same user, another address
    assert _login(Client(), username="auditor2").status_code == 302  # same address, another user


@pytest.mark.django_db
def test_the_lock_cools_off_after_20_minutes(client, auditora):
    from axes.models import AccessAttempt

    for _ in range(5):
        _fail(client)
    assert _login(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=19))
    assert _login(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=21))
    assert _login(client).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(client, auditora):
    for _ in range(5):
        client.post("/admin/login/", {"username": "auditora", "password": "mal"}, REMOTE_ADDR="10.1.1.1")
    response = client.post("/admin/login/", {"username": "auditora", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "Cuenta bloqueada temporalmente" in response.content.decode()


# --- passwords -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Corta-1!", "too short"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "common"),
        ("qwertyuiop123", "common"),
        ("auditora-cndh", "similar to the username"),
    ],
)
@pytest.mark.django_db
def test_weak_passwords_are_refused(django_user_model, password, reason):
    user = django_user_model(username="auditora-cndh", email="auditora@cndh.example")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_a_long_passphrase_is_accepted(django_user_model):
    user = django_user_model(username="auditora-cndh")
    validate_password("tres-Perros-azules-en-Oaxaca", user)  # no exception


@pytest.mark.django_db
def test_the_admin_refuses_a_weak_password_for_a_new_account(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "nuevo-enlace", "password1": "12345678", "password2": "12345678", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.__class__.objects.filter(username="nuevo-enlace").exists()
    assert "contraseña" in response.content.decode().lower()


# --- sessions ----------------------------------------------------------------------------


def test_sessions_last_one_working_day_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_an_expired_session_must_log_in_again(client, secretariado):
    from django.contrib.sessions.models import Session

    assert _login(client, username="secretariado").status_code == 302
    assert client.get(reverse("home")).context["user"].is_authenticated
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert not response.context["user"].is_authenticated


@pytest.mark.django_db
def test_logging_in_rotates_the_session_key(client, secretariado):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "fixation-attempt-0123456789abcdef"
    _login(client, username="secretariado")
    assert client.cookies["sessionid"].value != "fixation-attempt-0123456789abcdef"


# --- CSRF ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_without_csrf_token_is_refused(auditora):
    client = Client(enforce_csrf_checks=True)
    response = _login(client)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_the_form_token_works(auditora):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(
        reverse("login"), {"username": "auditora", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_logout_and_language_switch_need_the_token(secretariado):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariado)
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("home")).context["user"].is_authenticated
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 403


@pytest.mark.django_db
def test_state_changing_site_views_need_the_token(enlace_sep):
    """Forged POSTs from another site do nothing: the liaison's forms refuse a missing token."""
    from django.urls import NoReverseMatch

    client = Client(enforce_csrf_checks=True)
    client.force_login(enlace_sep)
    checked = 0
    for name, kwargs in [
        ("information_requests:answer", {"pk": 1, "obligation_id": 1}),
        ("replies:reply", {"assessment_id": 1}),
    ]:
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        assert client.post(url, {"text": "forjado"}).status_code == 403, url
        checked += 1
    assert checked, "no state-changing view found to check"


@pytest.mark.django_db
def test_no_view_is_exempt_from_csrf():
    """No view of ours (nor the admin) carries csrf_exempt."""
    from django.urls import get_resolver

    exempt = []

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, prefix + str(pattern.pattern))
            elif getattr(pattern.callback, "csrf_exempt", False):
                exempt.append(prefix + str(pattern.pattern))

    walk(get_resolver())
    assert exempt == [], f"views exempt from CSRF: {exempt}"


# --- CSP --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_carries_a_csp_without_inline_scripts(client, secretariado):
    client.force_login(secretariado)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert "'unsafe-inline'" not in directives.get("script-src", directives["default-src"])
    assert "'unsafe-eval'" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script_or_event_handler():
    """The CSP forbids them, so they would be dead code in the browser (and an XSS foothold)."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text, flags=re.I):
            if "src=" not in match.group(1):
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
        for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.I):
            offenders.append(f"{path.relative_to(ROOT)}: inline handler {match.group(0).strip()}")
        if re.search(r"href\s*=\s*[\"']\s*javascript:", text, flags=re.I):
            offenders.append(f"{path.relative_to(ROOT)}: javascript: URL")
    assert offenders == []


# --- production transport settings ------------------------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
response = client.get("/entrar/", secure=True)
cookie = response.cookies.get("csrftoken")
plain = client.get("/entrar/")
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "status": response.status_code,
    "hsts_header": response.get("Strict-Transport-Security", ""),
    "cookie_secure": bool(cookie and cookie["secure"]),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
}))
"""


def test_production_settings_send_secure_cookies_and_hsts(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS")}
    env.update(
        DJANGO_SETTINGS_MODULE="compliance.settings",
        DEBUG="false",
        SECRET_KEY="prod-like-" + "k" * 60,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["session_secure"] is True
    assert values["csrf_secure"] is True
    assert values["hsts"] >= 31536000
    assert values["subdomains"] is True
    assert values["ssl_redirect"] is True
    assert values["status"] == 200
    assert values["hsts_header"].startswith("max-age=31536000")
    assert values["cookie_secure"] is True
    # Plain HTTP is redirected to HTTPS.
    assert values["plain_status"] == 301
    assert values["plain_location"].startswith("https://")
