"""Reads of media for a person. `access_video` is the one way a page loads a video for her (DESIGN.md
point 16): a missing id, a malformed one and a video she may not watch all raise the same Http404."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404

from shikhon.media.models import Video
from shikhon.media.permissions import videos_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shikhon.people.models import User

# The files of a video that are served (`views.VARIANTS` names them in addresses).
FILES = ("low", "standard", "poster", "captions")


def parse_public_id(raw: object) -> uuid.UUID | None:
    """A video's public id from a URL (a UUID, or its text), or None for anything else."""
    if isinstance(raw, uuid.UUID):
        return raw
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def access_video(user: User | AnonymousUser | None, public_id: object, *, file: str | None = None) -> Video:
    """A ready video whose files she may fetch (`permissions.videos_visible_to`). With `file` (one of `FILES`)
    only that file's column is loaded besides what serving needs: players ask again on every seek."""
    if file is not None and file not in FILES:
        raise ValueError(file)
    key = parse_public_id(public_id)
    if key is None:
        raise Http404
    videos = Video.objects.filter(videos_visible_to(user), status=Video.Status.READY)
    if file is not None:
        videos = videos.only("pk", "public_id", "status", file, "processed_at")
    video = videos.filter(public_id=key).first()
    if video is None:
        raise Http404
    return video
