"""Reads of the files part: which version of a content a person sees (and so which files), a version's files for
the page and the upload page, and which library videos `media` may serve to her."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet

from shikhon.library.models import Content, ContentFile, ContentVersion
from shikhon.library.permissions import contents_visible_to, moderated_q, published_q
from shikhon.library.selectors.access import sees_unpublished
from shikhon.people.scope import nothing_q, user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shikhon.people.models import User


def version_seen_by(user: User | AnonymousUser | None, content: Content) -> ContentVersion | None:
    """The version whose files this person sees on the content's page: the latest for the author, her head
    teacher, the area's mentors and moderators; the published one for everyone else (None before publication)."""
    if content.latest_version_id is not None and sees_unpublished(user, content):
        return content.latest_version
    return content.published_version


def version_files(version: ContentVersion | None) -> QuerySet[ContentFile]:
    """A version's files in their order, with their video (one query)."""
    if version is None:
        return ContentFile.objects.none()
    return (ContentFile.objects.filter(version=version).select_related("video")
            .order_by("position", "pk"))


def _sees_unpublished_q(user: User) -> Q:
    """Contents whose every version this person sees (as `access.sees_unpublished` decides for one)."""
    scope = user_scope(user)
    if scope.user_id is None:
        return nothing_q()
    head = Q(school_id__in=scope.head_school_ids) if scope.head_school_ids else nothing_q()
    return Q(author_id=scope.user_id) | head | scope.mentor_place_q() | moderated_q(scope)


def library_videos_q(user: User) -> Q:
    """media's video scope: videos of the files this person may open (`access.access_file`'s rule as rows)."""
    visible = Content.objects.filter(contents_visible_to(user))
    files = ContentFile.objects.filter(video__isnull=False, version__content__in=visible).filter(
        Q(version_id=F("version__content__published_version_id"))
        | Q(version__content__in=Content.objects.filter(_sees_unpublished_q(user))))
    return Q(pk__in=files.values("video_id"))


def library_public_videos_q() -> Q:
    """media's public scope: videos of the published version of every published, not hidden, content."""
    files = ContentFile.objects.filter(video__isnull=False, version_id=F("version__content__published_version_id"),
                                       version__content__in=Content.objects.filter(published_q()))
    return Q(pk__in=files.values("video_id"))


__all__ = ["library_public_videos_q", "library_videos_q", "version_files", "version_seen_by"]
