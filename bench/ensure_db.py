"""Create the bench database named in DATABASE_URL if it does not exist yet (PostgreSQL only).

Exit status: 0 when the database is there (or was made), 1 with a sentence when the server cannot be
reached or the URL is not PostgreSQL.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import unquote, urlparse

import psycopg
from psycopg import sql


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        print(f"The bench needs PostgreSQL; DATABASE_URL is {url!r}.", file=sys.stderr)
        return 1
    name = unquote(parts.path.lstrip("/"))
    conninfo = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 5432,
                "user": unquote(parts.username or "postgres"), "dbname": "postgres", "connect_timeout": 10}
    if parts.password:
        conninfo["password"] = unquote(parts.password)
    try:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}.")
            else:
                print(f"Using database {name}.")
    except psycopg.Error as exc:
        print(f"Cannot reach PostgreSQL at {conninfo['host']}:{conninfo['port']} as {conninfo['user']}: {exc}\n"
              "Start PostgreSQL or set BENCH_DATABASE_URL, then run `make bench` again.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
