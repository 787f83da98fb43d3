"""Keeps the client's address of the current request for the audit log."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("shikhon_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    # Behind our reverse proxy the left-most X-Forwarded-For entry is the phone's address.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    from django.core.validators import validate_ipv46_address
    from django.core.exceptions import ValidationError

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
