"""REST API v1, mounted at /api/v1/. Schema: /api/v1/openapi.json; docs: /api/v1/docs.

Every endpoint needs a caller (a personal access token or the site's session); only the schema, the docs
and the published courses (`GET /courses`, `GET /courses/{slug}`) are public.
Every failure answers the one error shape of shikhon.api.errors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from shikhon.api.auth import session_auth, token_auth
from shikhon.api.errors import error_response, install_handlers
from shikhon.api.middleware import max_request_line
from shikhon.api.routers import area, certificates, courses, library, me, places, practice, recognition, training
from shikhon.api.throttling import CallerRateThrottle

DESCRIPTION = """
The Shikhon API, version 1. Names come in Bangla (`name_bn`) and English (`name_en`).

**Authentication.** Officers, national administrators and researchers make a personal access token on their
profile page (Profile → API access tokens); send it in every request: `Authorization: Bearer shk_…`. In the
browser, your signed-in session works too.

**Public.** `GET /courses` and `GET /courses/{slug}` answer visitors too: published courses with their modules
and activities. Everything else needs a caller.

**Refusals.** When a service refuses a well-formed request because of the state of things (module locked, quiz
already submitted, training started), the answer is **409** `conflict`; when what was sent is wrong (a choice of
another question), **400** `bad_request`. Either way `message` is the sentence the site shows and
`details.reason` the refusal's code (`locked`, `already_submitted`, `started`, …). Nothing is stored.

**Lists** answer one page: `{"count", "page", "pages", "limit", "items"}`. Ask for a page with `page`
(from 1) and `limit` (items per page, 1–100, default 50).

**Errors** always answer `{"error": {"code", "message", "details"}}`; `message` is a sentence in the
language of your `Accept-Language` header (Bangla or English).
""" + f"""
**Long addresses.** A request whose path and query are longer than {max_request_line()} characters answers
**414** with the code `uri_too_long` (`details`: `max_length`, `length`). Ask for fewer items at a time, or send
long lists in the body of a POST request.
"""


class UnicodeJSONRenderer(JSONRenderer):
    """Bangla as UTF-8 (3 bytes a letter), not as \\uXXXX escapes (6 bytes): teachers pay for every byte."""

    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


class ShikhonAPI(NinjaAPI):
    """NinjaAPI whose every URL answers JSON in our error shape, and is never redirected to sign-in."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._guard(pattern.callback)
            wrapped.append(pattern)
        wrapped.append(re_path(r"^.*$", self._guard(self._unknown_path), name="unknown"))
        return wrapped, app_name, namespace

    def _unknown_path(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        raise Http404

    def _guard(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        """Authentication is the API's job (401 JSON), not LoginRequiredMiddleware's (302 to HTML).
        Turn the few answers ninja makes outside its operations (405, the API root's 404) into our shape."""

        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                response = view(request, *args, **kwargs)
            except Exception as exc:  # every failure gets the one shape
                return self.on_exception(request, exc)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                response = error_response(self, request, 405, details={"allowed": allowed.split(", ")})
                response["Allow"] = allowed
            return response

        guarded.csrf_exempt = True  # type: ignore[attr-defined]  # ninja checks CSRF itself (see auth.py)
        return login_not_required(guarded)


api = ShikhonAPI(
    title="Shikhon API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-1",
    auth=[token_auth, session_auth],
    throttle=[CallerRateThrottle()],
    renderer=UnicodeJSONRenderer(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=login_not_required,
)
install_handlers(api)
api.add_router("/", places.router)
api.add_router("/", me.router)
api.add_router("/", certificates.router)
api.add_router("/", courses.router)
api.add_router("/", training.router)
api.add_router("/", area.router)
api.add_router("/", practice.router)
api.add_router("/", library.router)
api.add_router("/", recognition.router)
