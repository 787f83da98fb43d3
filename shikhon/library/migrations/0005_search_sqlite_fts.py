"""Search on SQLite (development, the demo; decision 0012; library/search.py): an FTS5 table with the trigram
tokenizer over `library_content.search_text` (an external-content table: it keeps only the index), filled from the
existing rows and kept in step by triggers on insert, update and delete. Nothing on PostgreSQL (see
0004_search_postgresql_indexes)."""

from django.db import migrations

TABLE = "library_content_search"

CREATE = [  # constant names only (no input): noqa below
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    f"search_text, content='library_content', content_rowid='id', tokenize='trigram')",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",  # noqa: S608
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON library_content BEGIN "  # noqa: S608
    f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON library_content BEGIN "  # noqa: S608
    f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF search_text ON library_content "  # noqa: S608
    f"WHEN old.search_text IS NOT new.search_text BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0004_search_postgresql_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
