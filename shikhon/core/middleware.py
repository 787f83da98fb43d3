"""Keeps the client's address of the current request for the audit log; Bangla first; 503 while the
database is away."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_RO
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger(__name__)

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


# --- the database is away (a restart, a failover): 503 with Retry-After, not a 500 --------------------

RETRY_AFTER_SECONDS = 60
# What psycopg and sqlite say while the database cannot be reached. Only these are "back in a minute":
# OperationalError also covers bugs and broken deployments (a syntax error, a missing table, too many SQL
# variables, a statement timeout), which stay 500s with their traceback logged.
_TRANSIENT = (
    "connection refused", "could not connect", "connection to server", "server closed the connection",
    "terminating connection", "the database system is", "no connection to the server", "connection timeout",
    "connection is lost", "connection already closed", "ssl syscall", "consuming input failed",
    "database is locked", "unable to open database file", "disk i/o error",
)

ErrorResponder = Callable[[HttpRequest, int], HttpResponse]
_responders: dict[str, ErrorResponder] = {}


def register_error_responder(prefix: str, responder: ErrorResponder) -> None:
    """An app answers server errors (500, and 503 while the database is away) its own way under a path
    prefix: the API in its JSON error shape. `responder(request, status)` must touch no database.
    Called from AppConfig.ready."""
    _responders[prefix] = responder


def _responder_for(request: HttpRequest) -> ErrorResponder | None:
    path = request.path_info or request.path
    return next((responder for prefix, responder in _responders.items() if path.startswith(prefix)), None)


def database_unavailable(exc: BaseException | None) -> bool:
    """True for the errors psycopg and sqlite raise while the database cannot be reached (refused,
    restarting, connection dropped, locked), as Django wraps them."""
    from django.db.utils import InterfaceError, OperationalError

    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        return any(marker in text for marker in _TRANSIENT)
    return False


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: bilingual page, or the registered answer of the path's app. Touches no database:
    the template is rendered without the request (no context processor, no session, no user)."""
    from django.template import loader

    responder = _responder_for(request)
    if responder is not None:
        response = responder(request, 503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503,
                                content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error_response(request: HttpRequest) -> HttpResponse | None:
    """The registered 500 answer of the path's app (the API's JSON), or None for the site's page."""
    responder = _responder_for(request)
    return responder(request, 500) if responder is not None else None


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, views answer 503 with Retry-After instead of a 500.

    Errors raised in a view come here; errors raised elsewhere (another middleware reading the session
    or the user, saving the session) reach Django's 500 handler, shikhon.core.views.server_error, which
    gives the same answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception,
                     exc_info=exception)
        return database_unavailable_response(request)


# --- the middleware stack, made cheaper where every request paid for nothing ---------------------------

class PublicFirstLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware asks `request.user.is_authenticated` before it looks at the view,
    so every public page (verify, search, the floor) loaded the session and the signed-in person for
    nothing. The same answers, the view's flag first."""

    def process_view(self, request: HttpRequest, view_func: Callable[..., HttpResponseBase], view_args: Any,
                     view_kwargs: Any) -> HttpResponseBase | None:
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class CachedCSPMiddleware(CSPMiddleware):
    """django-csp's middleware builds the policy header from the settings on every response. A response
    that asks for nothing of its own (no nonce used, no @csp_update/@csp_replace/@csp decorators) gets the
    same header every time: it is built once (per process; again after a test changes the setting)."""

    _RESPONSE_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                       "_csp_replace_ro")

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or any(hasattr(response, name) for name in self._RESPONSE_PARTS)):
            return super().process_response(request, response)
        headers = _plain_csp_headers()
        for header, value, exempt_attr, setting in headers:
            policy = getattr(settings, setting, None) or {}
            prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
            if (value and header not in response and getattr(response, exempt_attr, False) is False
                    and not request.path_info.startswith(prefixes)):
                response[header] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


_csp_headers: list[tuple[str, str, str, str]] = []


def _plain_csp_headers() -> list[tuple[str, str, str, str]]:
    if not _csp_headers:
        _csp_headers.extend([
            (CSP_HEADER, build_policy(), "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (CSP_HEADER_RO, build_policy(report_only=True), "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ])
    return _csp_headers


def _forget_csp_headers(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _csp_headers.clear()


setting_changed.connect(_forget_csp_headers, dispatch_uid="shikhon-core-csp-headers")
