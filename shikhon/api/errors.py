"""One error shape for every API answer that is not a success.

    {"error": {"code": "not_found", "message": "…", "details": {…}}}

Messages are translated into the caller's language (Accept-Language or the language cookie) and, like
every error a person can meet, say what to do next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from shikhon.core.errors import RateLimited
from shikhon.core.middleware import RETRY_AFTER_SECONDS, database_unavailable

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("shikhon.api")

# The name every operation gives its query-parameters schema.
QUERY_ARGUMENT = "params"

# The codes a client can rely on, one per status.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    414: "uri_too_long",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def default_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood. Check what you sent and try again."),
        401: _("Sign in, or send a personal access token in the header \"Authorization: Bearer shk_…\". "
               "You can make a token on your profile page."),
        403: _("You may not do this. Ask your upazila education office if you think you should."),
        404: _("Nothing was found at this address. Check the address and the id, then try again."),
        405: _("This address does not accept this method. Use one of the methods listed in the Allow header."),
        409: _("This cannot be done now. Read the details, then try again later or do the step before it first."),
        414: _("The address is too long. Ask for fewer items at a time, or send long lists in the body of a "
               "POST request."),
        422: _("Some of the values sent are not valid. Correct the fields listed in details and try again."),
        429: _("Too many requests. Wait a minute, then try again."),
        500: _("Something went wrong on our side. Try again in a few minutes; if it keeps happening, "
               "tell the Shikhon team."),
        503: _("Shikhon cannot reach its database for a moment. Try again in a minute (see the Retry-After "
               "header); check afterwards whether what you sent was saved."),
    }
    return messages.get(status, messages[400] if status < 500 else messages[500])


class ApiError(HttpError):
    """An error raised by our own code, with its code, sentence and details already chosen."""

    def __init__(self, status_code: int, *, code: str | None = None, message: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        self.code = code or CODES.get(status_code, "error")
        self.details = details or {}
        super().__init__(status_code, message or default_message(status_code))


class InvalidToken(AuthenticationError):
    """An Authorization header was sent but names no active token."""

    code = "invalid_token"


def error_body(status: int, *, code: str | None = None, message: str | None = None,
               details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {
        "code": code or CODES.get(status, "error"),
        "message": message or default_message(status),
        "details": details or {},
    }}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, **kwargs: Any) -> HttpResponse:
    response = api.create_response(request, error_body(status, **kwargs), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
    return response


def outside_error_response(request: HttpRequest, status: int) -> HttpResponse:
    """The API's 500 or 503 for an error outside an endpoint (in a middleware, e.g. reading the session),
    which Django's 500 handler answers: the same JSON shape, built without ninja, database or session."""
    from django.http import JsonResponse

    return JsonResponse(error_body(status), status=status)


def _loc(loc: Any) -> str:
    """("query", "limit") → "limit"; ("path", "id") → "id"; deeper paths are joined with dots."""
    parts = [str(p) for p in (loc or [])]
    if parts and parts[0] in {"query", "path", "header", "cookie", "body", "form", "file"}:
        parts = parts[1:]
    # ninja nests query schemas under the argument name: ("query", "params", "limit"). An error of the
    # whole schema (two fields that do not go together) is reported under "__all__", as Django does.
    if parts and parts[0] == QUERY_ARGUMENT:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        message = str(err.get("msg", ""))
        # pydantic prefixes messages from our validators with "Value error, ".
        message = message.removeprefix("Value error, ")
        fields.setdefault(_loc(err.get("loc")), []).append(message)
    return fields


def _django_details(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {"fields": {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}}
    details: dict[str, Any] = {"messages": [str(m) for m in exc.messages]}
    reasons = [str(e.code) for e in exc.error_list if e.code]
    if reasons:
        details["reason"] = reasons[0]  # the service's own code (locked, already_submitted, …), for programs
    return details


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's handlers so that every failure answers in the one shape above."""

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(api, request, 422, details={"fields": _field_errors(exc.errors)})

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        messages = [str(m) for m in exc.messages]
        message = messages[0] if len(messages) == 1 and not hasattr(exc, "error_dict") else None
        return error_response(api, request, 400, message=message, details=_django_details(exc))

    def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        return error_response(api, request, 429, message=" ".join(str(m) for m in exc.messages))

    def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if isinstance(exc, ApiError):
            return error_response(api, request, status, code=exc.code, message=exc.message, details=exc.details)
        code = getattr(exc, "code", None)
        message = exc.message if isinstance(exc, InvalidToken) else None
        details: dict[str, Any] = {}
        if isinstance(exc, Throttled) and exc.wait is not None:
            details["retry_after_seconds"] = int(exc.wait) + 1
        return error_response(api, request, status, code=code, message=message, details=details)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return on_http_error(request, exc)

    def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        if not database_unavailable(exc):
            return on_exception(request, exc)
        logger.error("API: database unavailable on %s %s: %s", request.method, request.path, exc)
        return error_response(api, request, 503)

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        details = {"exception": repr(exc)} if settings.DEBUG else {}
        return error_response(api, request, 500, details=details)

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (Exception, on_exception),
        (NinjaValidationError, on_ninja_validation),
        (DjangoValidationError, on_django_validation),
        (RateLimited, on_rate_limited),
        (Http404, on_http404),
        (PermissionDenied, on_permission_denied),
        (HttpError, on_http_error),
        (AuthenticationError, on_authentication),
        (OperationalError, on_database_unavailable),
        (InterfaceError, on_database_unavailable),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, cast(Any, handler))


# A service refuses with a ValidationError and a code. These codes mean "not now, in this state" (the request
# itself was well formed): they answer 409 `conflict`; any other refusal is the caller's input, 400 `bad_request`.
# Either way the message is the service's own sentence and `details.reason` its code.
STATE_REFUSALS = frozenset({
    "not_enrolled", "locked", "activities_not_done", "no_attempts_left", "wait", "no_questions", "already_submitted",
    "deadline_passed",
    "not_published", "prerequisites", "started", "cancelled", "capacity", "closed",
})


def refusal(exc: DjangoValidationError) -> ApiError:
    """A service's refusal as the API's error: 409 for a state refusal, 400 otherwise, with its sentence."""
    details = _django_details(exc)
    messages = [str(m) for m in exc.messages]
    reason = details.get("reason") or next(
        (str(e.code) for errors in getattr(exc, "error_dict", {}).values() for e in errors if e.code), "")
    if reason:
        details["reason"] = reason
    status = 409 if reason in STATE_REFUSALS else 400
    return ApiError(status, message=" ".join(messages) or None, details=details)


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a service's ValidationError inside the block into `refusal(…)`."""
    try:
        yield
    except DjangoValidationError as exc:
        raise refusal(exc) from None
