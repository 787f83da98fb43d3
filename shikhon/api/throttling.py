"""A per-caller request budget, counted in the shared cache (Redis in production)."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from shikhon.core import ratelimit
from shikhon.core.middleware import client_ip

WINDOW_SECONDS = 60
DEFAULT_PER_MINUTE = 300


def per_minute() -> int:
    return int(getattr(settings, "SHIKHON_API_RATE_PER_MINUTE", DEFAULT_PER_MINUTE))


class CallerRateThrottle(BaseThrottle):
    """At most SHIKHON_API_RATE_PER_MINUTE requests a minute per signed-in caller (or address)."""

    def allow_request(self, request: HttpRequest) -> bool:
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        ident = f"user:{user_id}" if user_id else f"ip:{client_ip(request)}"
        return ratelimit.hit(key=f"api:{ident}", limit=per_minute(), window_seconds=WINDOW_SECONDS)

    def wait(self) -> float | None:
        return WINDOW_SECONDS - (time.time() % WINDOW_SECONDS)
