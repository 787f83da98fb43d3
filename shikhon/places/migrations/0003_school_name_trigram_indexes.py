"""Trigram indexes so school search by any part of a name stays fast on PostgreSQL.

`name__icontains` becomes `UPPER(name) LIKE UPPER('%…%')`, which no B-tree index can serve: at
65,000 schools every search was a full scan of the table (about half a second, most of it spent
upper-casing Bangla). GIN indexes with pg_trgm on the same UPPER(...) expressions let PostgreSQL
find the few matching rows directly. SQLite (development) has no such index and needs none.
If the database user may not create the pg_trgm extension, the indexes are skipped with a
warning and search still works, only slower.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "school_name_bn_trgm_idx": "name_bn",
    "school_name_en_trgm_idx": "name_en",
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        logger.warning("Could not create the pg_trgm extension; school search will not use trigram indexes. "
                       "Ask the database administrator to run CREATE EXTENSION pg_trgm, then re-run this migration.")
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON places_school USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("places", "0002_load_geography")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
