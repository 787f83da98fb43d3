"""Keeps the client's address of the current request for the audit log."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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


class BanglaFirstLocaleMiddleware(LocaleMiddleware):
    """Bangla unless the person chose English with the language switch (remembered in a cookie).

    Most teachers' phones are set to English while they read Bangla best, so the browser's
    Accept-Language is not followed on pages. API clients, which set it on purpose, still get it.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
