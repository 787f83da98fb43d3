"""Who is calling: a personal access token (Authorization: Bearer shk_…) or the site's session.

A token is tried first. A request that sends an Authorization header is judged by that header alone:
a wrong, revoked or malformed token answers 401 even when a session cookie is present too, so a
script never silently acts as whoever is signed in to the browser.

Session callers are browsers, which send cookies on their own; for unsafe methods (POST, PUT, PATCH,
DELETE) they must also send the CSRF token (header X-CSRFToken), exactly as the site's forms do.
Token callers need no CSRF token: nothing sends a bearer token on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from shikhon.api.errors import ApiError, InvalidToken
from shikhon.people.services import access_token_authenticate

if TYPE_CHECKING:
    from shikhon.people.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """Personal access tokens made on the profile page, checked by people.services."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _space, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise InvalidToken(message=_(
                "The Authorization header must read \"Bearer\" followed by your access token. "
                "Copy the token again from your profile page."))
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = access_token_authenticate(token)
        if user is None:
            raise InvalidToken(message=_(
                "This access token is not valid or was revoked. Make a new one on your profile page."))
        return user


class SessionAuth(APIKeyCookie):
    """The site's own sign-in, for pages and the API docs in the browser."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF is checked in authenticate(), and only for a signed-in session: an anonymous caller
        # should hear "sign in" (401), not "CSRF failed" (403).
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(403, code="csrf_failed", message=_(
                "The security token of this page is missing or old. Reload the page and try again, "
                "or use a personal access token."))
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()


def visitor(request: HttpRequest) -> Any:
    """The last auth of a public operation: a caller with no token and no session is a visitor. A token that
    is sent must still be valid (TokenAuth answers 401 before this is asked)."""
    return AnonymousUser()


# Public operations (published courses) take a token, a session or nobody; OpenAPI says so with `{}`.
PUBLIC_AUTH = [token_auth, session_auth, visitor]
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}]}  # added to the token and session schemes ninja lists


def caller(request: HttpRequest) -> User:
    """The signed-in caller of an operation that needs one (ninja has checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]  # ninja sets it; django-stubs' HttpRequest lacks it
    return user


def caller_or_visitor(request: HttpRequest) -> User | None:
    """The caller of a public operation: a person, or None for a visitor."""
    user = getattr(request, "auth", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None
