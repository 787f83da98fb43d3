"""Counters every app server and worker process agrees on, added to without losing a count when two processes add
at once (library.counters keeps views and downloads in them until a task moves them into the rows).

* With Redis (REDIS_URL, production): the default cache's `incr` (INCRBY, atomic).
* Without Redis (the demo, small installs): Django's DatabaseCache has no atomic increment (`incr` is a get then a
  set: two processes both read 4 and both write 5), so the counters live in the counting table that the rate limits
  use (core.ratelimit: the `ratelimit` cache alias's table, written only by one upsert that adds and returns the new
  value, atomic on PostgreSQL and SQLite alike). They never expire there.
* Only when neither is configured (tests, a bare settings file): the default cache, atomic within one process.

A counter is an integer, 0 until first added to; `get_many` answers 0 for one never added to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache

from shikhon.core import ratelimit

# "Never" for a counter in the counting table: its rows expire only when a window is over, and these have none.
NO_EXPIRY_SECONDS = 100 * 365 * 24 * 3600


def add(key: str, delta: int = 1) -> int:
    """Add `delta` (may be negative) to the counter `key` and return its new value."""
    database = ratelimit.counting_table()
    if database is not None:
        return ratelimit.count_in_table(database, f"count:{key}", NO_EXPIRY_SECONDS, delta, sweep=False)
    try:
        return int(cache.incr(key, delta))
    except ValueError:  # not there yet: create it at 0 (never expiring), then add
        cache.add(key, 0, timeout=None)
        return int(cache.incr(key, delta))


def get_many(keys: Iterable[str]) -> dict[str, int]:
    """The counters' values, 0 for those never added to: one read."""
    keys = list(keys)
    database = ratelimit.counting_table()
    if database is None:
        found = cache.get_many(keys)
        return {key: int(found.get(key) or 0) for key in keys}
    found = ratelimit.read_table(database, [f"count:{key}" for key in keys])
    return {key: found.get(f"count:{key}", 0) for key in keys}


def get(key: str) -> int:
    return get_many([key])[key]
