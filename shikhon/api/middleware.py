"""Over-long API addresses answer 414 in the API's JSON error shape.

gunicorn refuses a request line longer than its `--limit-request-line` (4094 bytes, set explicitly in
scripts/demo.sh and the browser-test server) with an HTML page of its own, which an API client cannot read.
This middleware answers first, a little below that limit: an /api/ request whose path and query are longer
than SHIKHON_API_MAX_REQUEST_LINE characters gets 414 `uri_too_long` with a sentence saying what to do.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.encoding import escape_uri_path

from shikhon.api.errors import error_body

DEFAULT_MAX_REQUEST_LINE = 4000


def max_request_line() -> int:
    return int(getattr(settings, "SHIKHON_API_MAX_REQUEST_LINE", DEFAULT_MAX_REQUEST_LINE))


def request_target_length(request: HttpRequest) -> int:
    """Characters of the path and query as the client sent them (percent-escapes counted as sent)."""
    raw = request.META.get("RAW_URI")  # gunicorn: the request target exactly as received
    if raw:
        return len(raw)
    query = request.META.get("QUERY_STRING", "")
    return len(escape_uri_path(request.path)) + (len(query) + 1 if query else 0)


class ApiRequestLineLimitMiddleware:
    """Placed after the locale middleware, so the sentence follows the caller's Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            limit, length = max_request_line(), request_target_length(request)
            if length > limit:
                body = error_body(414, details={"max_length": limit, "length": length})
                return JsonResponse(body, status=414, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)
