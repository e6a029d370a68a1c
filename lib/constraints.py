"""Database constraints shared by the models."""

from django.db import models
from django.db.models.functions import Lower


def unique_ignoring_case(field: str, name: str, message) -> models.UniqueConstraint:
    """Natural keys (acronyms, codes, slugs) are unique whatever their case: `sep` beside `SEP`
    is refused by the database itself, and forms and imports show `message`."""
    return models.UniqueConstraint(Lower(field), name=name, violation_error_message=message)
