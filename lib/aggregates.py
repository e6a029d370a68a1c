"""Aggregates the ORM lacks on both of the project's databases (PostgreSQL and SQLite)."""

from django.db.models import Aggregate, JSONField


class JSONArrayAgg(Aggregate):
    """The values of a column as a JSON array (PostgreSQL JSON_AGG, SQLite JSON_GROUP_ARRAY), in
    no particular order; NULL (None) over no rows on PostgreSQL, [] on SQLite."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # As text: psycopg would decode `json` itself, and JSONField expects the text.
        sql, params = super().as_sql(compiler, connection, function="JSON_AGG", **extra_context)
        return f"({sql})::text", params
