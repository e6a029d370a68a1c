"""Fixtures of tests/obligations."""

import pytest


@pytest.fixture(scope="module")
def law(django_db_setup, django_db_blocker):
    """load_reference_data() once per module, inside a transaction rolled back at the end."""
    from django.db import transaction

    from obligations.reference import load_reference_data

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_reference_data()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
