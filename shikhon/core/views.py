from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from shikhon.core import health
from shikhon.core.middleware import database_unavailable, database_unavailable_response, server_error_response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: while the database is unreachable, 503 with Retry-After (the error may come from any
    middleware, where DatabaseUnavailableMiddleware cannot see it); otherwise the 500 page, or the API's
    JSON error under /api/ (an error in a middleware never reaches the API's own handlers)."""
    if database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return server_error_response(request) or defaults.server_error(request)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (it refuses unsafe `next` URLs); open to signed-out visitors."""
    return django_set_language(request)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 {"status": "ok", "checks": {...}} when the database, the cache and the worker are well, else 503.

    `?scope=web` leaves out the worker: the load balancer's probe of a web server uses it, so a stopped
    worker does not take every web server out of service; monitoring uses the plain /healthz.
    """
    report = health.run_checks(include_worker=request.GET.get("scope") != "web")
    return JsonResponse(report.as_dict(), status=200 if report.ok else 503)
