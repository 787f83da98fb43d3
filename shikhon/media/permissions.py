"""Who may upload videos and captions: course authors and national administrators."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from shikhon.media.models import Video
from shikhon.people.models import User
from shikhon.people.selectors import user_scope


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
