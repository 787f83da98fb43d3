"""Operations shared by migrations. Kept small and stable: a migration that imports one runs it as it is now."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def postgresql_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """Create `indexes` ({name: "(columns) [WHERE …]"}) on `table` on PostgreSQL, drop them on the way back;
    nothing on SQLite. For indexes Django's `Meta.indexes` cannot say (operator classes, `DESC` with partial
    conditions, expressions) or that only PostgreSQL's planner needs. Names and definitions are constants of the
    migration, never input."""

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, definition in indexes.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
