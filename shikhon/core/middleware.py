"""Keeps the client's address of the current request for the audit log."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest, HttpResponse

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("shikhon_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The phone's address, for rate limits and the audit log.

    Each of our SHIKHON_TRUSTED_PROXY_COUNT reverse proxies appends the address it saw to
    X-Forwarded-For, so the phone's address is that many entries from the right. Entries further
    left were written by the client and could be anything: trusting them would let one person dodge
    the per-address sign-in limits. With no proxy (count 0) only REMOTE_ADDR counts.
    """
    proxies = getattr(settings, "SHIKHON_TRUSTED_PROXY_COUNT", 1)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and forwarded:
        candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    else:
        candidate = request.META.get("REMOTE_ADDR", "")
    try:
        validate_ipv46_address(candidate)
    except ValidationError:
        return None
    return candidate


def current_ip() -> str | None:
    return _current_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)
