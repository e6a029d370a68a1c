"""Browser journeys: headless Debian Chromium driven by Playwright against `live_server`.

- The browser is Debian's `/usr/bin/chromium` (package `chromium`); Playwright never downloads one.
- Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a
  thread with a running loop; the tests create their data with the ORM, hence
  DJANGO_ALLOW_ASYNC_UNSAFE (tests only).
- A failing journey leaves a full-page screenshot in $TEST_ARTIFACTS_DIR (default ./test-artifacts).
"""

import os
import re
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "x-Secreta-2026!"  # the personas' password (tests/conftest.py::make_user)
TIMEOUT_MS = 20_000


def artifacts_dir() -> Path:
    path = Path(os.environ.get("TEST_ARTIFACTS_DIR") or Path.cwd() / "test-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Transactional tests flush the database after each test, data migrations included:
    recreate the role groups before the personas are made."""
    from django.contrib.auth.models import Group

    from agencies.choices import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture(scope="session")
def browser():
    from tests.conftest import service_unavailable

    if not Path(CHROMIUM).exists():
        service_unavailable(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """A factory of pages, each in its own browser context (own cookies: one user each).

    Every page opened by a test is screenshotted into the artifacts folder if the test fails."""
    contexts = []

    def make(locale: str = "es-MX"):
        context = browser.new_context(base_url=live_server.url, locale=locale, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    reports = [getattr(request.node, f"rep_{when}", None) for when in ("setup", "call")]
    failed = any(report is not None and report.failed for report in reports)
    if failed:
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        for c_index, context in enumerate(contexts):
            for p_index, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(artifacts_dir() / f"{stem}-{c_index}{p_index}.png"), full_page=True)
                except Exception as exc:  # a crashed page must not hide the test's own failure
                    print(f"screenshot failed: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, username: str, password: str = PASSWORD, next_url: str = "") -> None:
    """Log in through the site's login form, as a person would."""
    page.goto("/entrar/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Entrar").last.click()


def admin_login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the admin's own login form."""
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("input[type=submit], button[type=submit]").last.click()


@pytest.fixture
def journey_world(tmp_path):
    """The security tests' world (SEP and INM, every role, a published and an open cycle),
    without its pre-made report files, plus an INM rating in a second component. Files go to
    a temporary MEDIA_ROOT (the live server and the worker thread share this process)."""
    from datetime import date

    from obligations.choices import Component, Level, Status, WorkflowState
    from obligations.models import Assessment, Obligation
    from reports.models import ReportJob
    from tests.security.world import build_world
    from tests.support import private_media

    with private_media(tmp_path / "media"):
        world = build_world()
        ReportJob.objects.all().delete()
        assistance = Obligation.objects.create(
            code="MX-OBL-3", title_es="Refugios para víctimas", component=Component.ASSISTANCE, level=Level.DIRECT
        )
        Assessment.objects.create(
            cycle=world.cycles["published"],
            agency=world.agencies["INM"],
            obligation=assistance,
            status=Status.NOT_COMPLIED,
            rationale="Sin refugios",
            workflow_state=WorkflowState.VALIDATED,
            reviewer=world.users["auditor"],
            validator=world.users["auditor2"],
        )
        world.extra["draft_period"] = (date(2018, 1, 1), date(2024, 12, 31))
        yield world


@pytest.fixture
def worker(real_worker, celery_app):
    """A real Celery worker on Redis (tests/conftest.py), with this helper's queue emptied first."""
    from tests.conftest import redis_url

    with celery_app.connection_for_write(redis_url()) as conn:
        conn.default_channel.client.flushdb()
    return real_worker
