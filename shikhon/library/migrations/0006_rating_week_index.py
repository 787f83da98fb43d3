"""Covering indexes for the weekly champion selection (recognition.activity.rating_totals_sql), so PostgreSQL
answers it from indexes alone (`make bench`: 10 million ratings, 150,000 contents):

- the week's ratings by `updated_at`, with the columns the selection reads (content, rater, stars, rater's
  school), instead of visiting each rating's row scattered over the whole table;
- the public contents' authors and schools (`id` INCLUDE author, school, over published and not hidden
  contents), instead of reading every content row — wide rows, with the search text — to join them.

PostgreSQL only (INCLUDE, partial); nothing on SQLite."""

from django.db import migrations

INDEX = "library_rating_week_idx"
AUTHORS_INDEX = "library_content_public_author_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON library_rating (updated_at) "
        "INCLUDE (content_id, rater_id, stars, rater_school_id)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {AUTHORS_INDEX} ON library_content (id) INCLUDE (author_id, school_id) "
        "WHERE published_version_id IS NOT NULL AND hidden_at IS NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {AUTHORS_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("library", "0005_search_sqlite_fts")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
