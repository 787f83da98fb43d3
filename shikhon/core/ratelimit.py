"""Fixed-window counters in the cache (Redis in production, so shared by every app server)."""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; return True while the caller is still within `limit` hits per window."""
    bucket = int(time.time() // window_seconds)
    cache_key = f"rl:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window_seconds + 5)
            count = 1
    return count <= limit
