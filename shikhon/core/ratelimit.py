"""Fixed-window counters in the cache (Redis in production, so shared by every app server)."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def _redis_client(cache_key: str) -> tuple[Any, str] | None:
    """The Redis connection and the full key, when the cache is Redis; else None."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    full_key = backend.make_and_validate_key(cache_key)
    return backend._cache.get_client(full_key, write=True), full_key


def hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; return True while the caller is still within `limit` hits per window."""
    bucket = int(time.time() // window_seconds)
    cache_key = f"rl:{key}:{bucket}"
    redis = _redis_client(cache_key)
    if redis is not None:
        # One round trip: create the counter with its lifetime if it is new, then count.
        client, full_key = redis
        pipe = client.pipeline(transaction=False)
        pipe.set(full_key, 0, ex=window_seconds + 5, nx=True)
        pipe.incr(full_key)
        count = int(pipe.execute()[1])
        return count <= limit
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window_seconds + 5)
            count = 1
    return count <= limit
