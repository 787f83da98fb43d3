"""Fixed-window counters that every app server and worker process agrees on.

* With Redis (REDIS_URL, production): one round trip, SET NX + INCR, on the default cache.
* Without Redis (the demo, small installs): a counting table in the database. It is the table of the
  `ratelimit` cache alias (`shikhon_ratelimit`, made by `createcachetable` after every `migrate`, see
  `create_cache_tables`), so it needs no migration, but it is written only here and never through the
  cache API: Django's DatabaseCache has no atomic increment (`incr` is a get then a set, so two
  processes both read 4 and both write 5; three demo processes were seen to allow 26 of 25, on
  PostgreSQL 53 of 25). Here each hit is one upsert that adds one and returns the new count, atomic
  on PostgreSQL and SQLite alike (tests: test_ratelimit.py, processes racing on one database). Being
  apart from the general cache, filling that cache can never cull, and so reset, a counter.
* Only when neither is configured (a bare settings file): the default cache's add/incr, per process.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router
from django.utils import timezone

ALIAS = "ratelimit"


def _redis_client(cache_key: str) -> tuple[Any, str] | None:
    """The Redis connection and the full key, when the cache is Redis; else None."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    full_key = backend.make_and_validate_key(cache_key)
    return backend._cache.get_client(full_key, write=True), full_key


def counting_table() -> DatabaseCache | None:
    """The `ratelimit` alias's DatabaseCache, whose table is the counting table (no Redis); else None."""
    if ALIAS not in settings.CACHES:
        return None
    backend = caches[ALIAS]
    return backend if isinstance(backend, DatabaseCache) else None


def _table(backend: DatabaseCache, *, write: bool) -> tuple[Any, str]:
    """The connection of the counting table and its quoted name."""
    model = backend.cache_model_class
    connection = connections[router.db_for_write(model) if write else router.db_for_read(model)]
    return connection, connection.ops.quote_name(str(settings.CACHES[ALIAS]["LOCATION"]))


def count_in_table(backend: DatabaseCache, cache_key: str, timeout: int, delta: int = 1, *,
                   sweep: bool = True) -> int:
    """Add `delta` (one hit) to the counter and return it: one INSERT … ON CONFLICT DO UPDATE … RETURNING, atomic
    on PostgreSQL (the row is locked) and on SQLite (one statement under the write lock). A counter whose window is
    over starts again at `delta`; with `sweep`, a counter's first hit in its window also deletes the counters whose
    window is over. (Also core.counting's, for counters without a window: no sweep.)"""
    connection, table = _table(backend, write=True)
    q = connection.ops.quote_name
    key, value, expires = q("cache_key"), q("value"), q("expires")
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    # The table and column names are ours (settings and constants); every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({key}, {value}, {expires}) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{value} = CASE WHEN {table}.{expires} < %s THEN EXCLUDED.{value} "
        f"ELSE CAST(CAST({table}.{value} AS INTEGER) + %s AS TEXT) END, "
        f"{expires} = CASE WHEN {table}.{expires} < %s THEN EXCLUDED.{expires} ELSE {table}.{expires} END "
        f"RETURNING {value}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [backend.make_and_validate_key(cache_key), str(int(delta)),
                             adapt(now + timedelta(seconds=timeout)), adapt(now), int(delta), adapt(now)])
        count = int(cursor.fetchone()[0])
        if sweep and count == delta:  # the first hit of a key in its window sweeps away the windows that are over
            cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [adapt(now)])  # noqa: S608
    return count


def read_table(backend: DatabaseCache, cache_keys: list[str]) -> dict[str, int]:
    """The counters of these keys in the counting table, as integers (a key not there is left out): one SELECT."""
    if not cache_keys:
        return {}
    connection, table = _table(backend, write=False)
    q = connection.ops.quote_name
    made = {backend.make_and_validate_key(key): key for key in cache_keys}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q('cache_key')}, {q('value')} FROM {table} "  # noqa: S608 - our names only
                       f"WHERE {q('cache_key')} IN ({', '.join(['%s'] * len(made))})", list(made))
        return {made[made_key]: int(value) for made_key, value in cursor.fetchall()}


def _clock() -> float:
    """Seconds since the epoch, choosing the window; tests freeze it (conftest) so that hits a test
    makes never fall into two windows when it runs across a window's edge."""
    return time.time()


def hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; return True while the caller is still within `limit` hits per window."""
    bucket = int(_clock() // window_seconds)
    cache_key = f"rl:{key}:{bucket}"
    timeout = window_seconds + 5
    redis = _redis_client(cache_key)
    if redis is not None:
        # One round trip: create the counter with its lifetime if it is new, then count.
        client, full_key = redis
        pipe = client.pipeline(transaction=False)
        pipe.set(full_key, 0, ex=timeout, nx=True)
        pipe.incr(full_key)
        count = int(pipe.execute()[1])
        return count <= limit
    database = counting_table()
    if database is not None:
        return count_in_table(database, cache_key, timeout) <= limit
    if cache.add(cache_key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=timeout)
            count = 1
    return count <= limit


def create_cache_tables(*, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: create the DatabaseCache tables (`createcachetable`, which skips existing ones),
    so that every path that migrates a database — `make migrate`, the demo, the browser-test server,
    CI, a deploy — has them without a step of its own."""
    from django.core.management import call_command

    if any(str(c.get("BACKEND", "")).endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
