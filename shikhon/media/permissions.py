"""Who may upload videos and captions (course authors and national administrators), and which videos a
person may watch."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.media.models import Video
from shikhon.people.models import User
from shikhon.people.scope import everything_q, user_scope


def can_upload(user: User | AnonymousUser | None) -> bool:
    if not isinstance(user, User):
        return False
    scope = user_scope(user)
    return scope.is_course_author or scope.is_national_admin


def ensure_can_upload(user: User | AnonymousUser | None) -> None:
    if not can_upload(user):
        raise PermissionDenied


def ensure_can_change(user: User | AnonymousUser | None, video: Video) -> None:
    """Captions and such: any course author or national administrator (the courses app decides which
    course pages show the video; a video has no owner beyond who uploaded it)."""
    ensure_can_upload(user)


# ------------------------------------------------------------------ who may watch (and fetch the files)

VideoScope = Callable[[User], Q]
PublicVideoScope = Callable[[], Q]
_SCOPES: list[VideoScope] = []
_PUBLIC_SCOPES: list[PublicVideoScope] = []


def register_video_scope(scope: VideoScope) -> None:
    """Apps that show videos say which ones a person may watch (courses: the videos of the courses she may
    open), from their AppConfig.ready. media stays below them and knows none of their models."""
    if scope not in _SCOPES:
        _SCOPES.append(scope)


def register_public_video_scope(scope: PublicVideoScope) -> None:
    """Apps say which videos anybody may watch, signed in or not (courses: the sample video of each published
    course), from their AppConfig.ready."""
    if scope not in _PUBLIC_SCOPES:
        _PUBLIC_SCOPES.append(scope)


def public_videos() -> Q:
    """Videos anybody may watch (what the apps registered); nothing when none did."""
    q = Q(pk__in=[])
    for scope in _PUBLIC_SCOPES:
        q |= scope()
    return q


def videos_visible_to(user: User | AnonymousUser | None) -> Q:
    """Videos whose files a person may fetch: every one for authors and national administrators, her own
    uploads, and those an app that shows videos opens to her. Someone signed out: only the public ones."""
    if not isinstance(user, User):
        return public_videos()
    if can_upload(user):
        return everything_q()
    q = Q(uploaded_by=user) | public_videos()
    for scope in _SCOPES:
        q |= scope(user)
    return q
