"""The signed-in person and her scope, kept in the cache between requests.

Every signed-in page needs her user row and most need her scope (the roles query): two queries on every
request of a million teachers, for facts that change a few times a year. One cache entry per person holds
both, tagged with her *version* (a random token in the cache): a page reads the version and the entry in one
round trip (`get_many`) and uses the entry only when the tags match. `user_forget` gives her a new version,
so every session of hers reads the user and the roles again on its next request. The version is read before
the database, so an entry built from rows read before a change carries the old tag and is never used.

What forgets her: any save or delete of her `User` or of one of her `Role`s (granted, approved, ended,
edited in the admin, made by an import or a test), through the receivers `apps.PeopleConfig.ready` connects;
they do nothing but call `user_forget`, immediately and again after commit. A scope is kept for one Dhaka day
(roles start and end by date). Entries expire anyway (`USER_CACHE_SECONDS`; a few seconds with a per-process
cache, where another process could not be told).

On a hit Django's own checks are repeated on the cached user (the session's backend is configured, the
session hash matches her password, she is active); anything else goes to `django.contrib.auth.get_user`,
which reads the database and signs out a stale session as it always does.
"""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from shikhon.core.caching import cache_seconds
from shikhon.core.clock import dhaka_today
from shikhon.people.models import Role, User

if TYPE_CHECKING:
    from shikhon.people.scope import Scope

USER_CACHE_SECONDS = 600
VERSION_SECONDS = 7 * 24 * 3600
_VERSION_ATTR = "_shikhon_who_version"


@dataclass
class _Entry:
    version: str
    user: User
    scope: Scope | None = None
    day: dt.date | None = None  # the Dhaka day the scope was worked out for


def _version_key(user_id: int) -> str:
    return f"people:who-version:{user_id}"


def _entry_key(user_id: int) -> str:
    return f"people:who:v1:{user_id}"


def _new_version(user_id: int) -> None:
    cache.set(_version_key(user_id), secrets.token_hex(8), VERSION_SECONDS)


def user_forget(user_id: int | None) -> None:
    """Her user row or roles changed: every session of hers reads them again (now, and after commit, so a
    request that read the old rows meanwhile cannot keep them)."""
    if user_id is None:
        return
    _new_version(user_id)
    transaction.on_commit(lambda: _new_version(user_id))


def _hash_matches(request: HttpRequest, user: User) -> bool:
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    return isinstance(session_hash, str) and constant_time_compare(session_hash, user.get_session_auth_hash())


def cached_user(request: HttpRequest) -> User | AnonymousUser:
    """The signed-in person of this request (with her scope when the cache holds today's), or Django's
    answer (`auth.get_user`) when the cache cannot give it."""
    try:  # the session's user id, read as Django reads it
        user_id = User._meta.pk.to_python(request.session[auth.SESSION_KEY])  # type: ignore[union-attr]
    except (KeyError, ValueError, TypeError, ValidationError):
        return auth.get_user(request)
    if request.session.get(auth.BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    got = cache.get_many([_version_key(user_id), _entry_key(user_id)])
    version, entry = got.get(_version_key(user_id)), got.get(_entry_key(user_id))
    if (isinstance(version, str) and isinstance(entry, _Entry) and entry.version == version
            and entry.user.pk == user_id and entry.user.is_active and _hash_matches(request, entry.user)):
        user = entry.user
        if entry.scope is not None and entry.day == dhaka_today():
            user._shikhon_scope = entry.scope  # type: ignore[attr-defined]
        setattr(user, _VERSION_ATTR, version)
        return user
    if not isinstance(version, str):
        cache.add(_version_key(user_id), secrets.token_hex(8), VERSION_SECONDS)
        version = cache.get(_version_key(user_id))
    found = auth.get_user(request)  # reads the database after the version: see the module's docstring
    if isinstance(found, User) and isinstance(version, str):
        cache.set(_entry_key(user_id), _Entry(version=version, user=found), cache_seconds(USER_CACHE_SECONDS))
        setattr(found, _VERSION_ATTR, version)
    return found


def remember_scope(user: Any, scope: Scope) -> None:
    """Keep her scope beside her cached user, under the version her request started with (a person loaded
    some other way has no version and is not cached)."""
    version = getattr(user, _VERSION_ATTR, None)
    if not isinstance(version, str) or not user.pk:
        return
    if isinstance(user, SimpleLazyObject):
        user = user._wrapped  # type: ignore[attr-defined]
    kept = copy.copy(user)
    # Her columns only: not what this request attached (the scope, kept beside it for a day; the version;
    # Django's permission caches, which a change of groups would not forget).
    columns = {f.attname for f in User._meta.concrete_fields}
    for name in [name for name in kept.__dict__ if name not in columns and name != "_state"]:
        del kept.__dict__[name]
    cache.set(_entry_key(user.pk), _Entry(version=version, user=kept, scope=scope, day=dhaka_today()),
              cache_seconds(USER_CACHE_SECONDS))


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with `request.user` from `cached_user` (still lazy: a page that
    never looks at the user pays nothing)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)

        def get_user() -> User | AnonymousUser:
            if not hasattr(request, "_cached_user"):
                request._cached_user = cached_user(request)  # type: ignore[attr-defined]
            return request._cached_user  # type: ignore[attr-defined]

        request.user = SimpleLazyObject(get_user)  # type: ignore[assignment]


# ------------------------------------------------------------------- receivers (connected in apps.py)

def forget_user(sender: Any, instance: User, **kwargs: Any) -> None:
    """post_save/post_delete of a User: forget her cached user and scope."""
    user_forget(instance.pk)


def forget_user_of_role(sender: Any, instance: Role, **kwargs: Any) -> None:
    """post_save/post_delete of a Role: forget its holder's cached user and scope."""
    user_forget(instance.user_id)


RECEIVERS: tuple[tuple[type[Any], Callable[..., None]], ...] = ((User, forget_user), (Role, forget_user_of_role))
