"""How long to keep derived data in the cache, by whether the cache is shared.

With Redis every app server, and the task worker, forgets a changed entry at once. With the
local-memory cache (development, the demo) each process has its own copy and only the process that
made a change forgets it, so entries there live only briefly."""

from __future__ import annotations

from django.conf import settings

LOCAL_MEMORY_SECONDS = 10


def cache_is_shared() -> bool:
    return not str(settings.CACHES["default"]["BACKEND"]).endswith("LocMemCache")


def cache_seconds(shared_seconds: int) -> int:
    """`shared_seconds` with a shared cache; a few seconds with a per-process one."""
    return shared_seconds if cache_is_shared() else min(shared_seconds, LOCAL_MEMORY_SECONDS)
