"""The signed-in person of a request, typed as a `User`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from shikhon.people.models import User


def signed_in_user(request: HttpRequest) -> User:
    """`request.user` on a page that needs a signed-in person. LoginRequiredMiddleware has already sent
    anybody else to the sign-in page, so this only checks (no query: the person is loaded anyway); a view
    marked `login_not_required` that reaches here with a visitor gets 403, never a page built for nobody."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
