import pytest

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module inside a transaction that is rolled back at the end; each cell
    runs in a savepoint of it (pytest-django's `db`)."""
    from django.db import transaction

    from tests.support import private_media

    with private_media(tmp_path_factory.mktemp("matrix-media")), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter):
    """Print the access matrix's size (URLs × roles) in every run that includes it."""
    import sys

    module = sys.modules.get("tests.security.test_access_matrix")
    if module is None:
        return
    outcomes = {}
    for status in ("passed", "failed", "error", "skipped"):
        outcomes[status] = sum(
            1
            for rep in terminalreporter.stats.get(status, [])
            if "test_access_matrix.py::test_cell" in rep.nodeid or "test_access_matrix.py::test_write" in rep.nodeid
        )
    if not any(outcomes.values()):
        return
    roles = len(module.ROLES)
    terminalreporter.write_line(
        f"access matrix: {len(module.ENDPOINTS)} URL patterns -> {len(module.CELLS) // roles} concrete URLs "
        f"x {roles} roles = {len(module.CELLS)} cells, + {len(module.WRITES)} write actions x {roles} roles = "
        f"{len(module.WRITE_CELLS)} write cells "
        f"({outcomes['passed']} passed, {outcomes['failed']} failed, {outcomes['error']} errors)"
    )
