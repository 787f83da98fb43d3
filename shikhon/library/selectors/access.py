"""The one way to load a library row for a person (DESIGN.md 16): missing, malformed and forbidden are the same
404 (`Http404`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import Http404

from shikhon.library.models import Content, ContentFile, OfflinePack
from shikhon.library.permissions import can_build_packs, can_moderate, can_review, contents_visible_to
from shikhon.people.scope import user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shikhon.people.models import User


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def access_content(user: User | AnonymousUser | None, pk: Any) -> Content:
    content = (Content.objects.filter(contents_visible_to(user))
               .select_related("subject", "topic", "author", "published_version", "latest_version")
               .filter(pk=_pk(pk)).first())
    if content is None:
        raise Http404
    return content


def access_file(user: User | AnonymousUser | None, pk: Any) -> ContentFile:
    """A file of a version this person may see: the published version of a content she may see, or any version of a
    content she may see as its author, head teacher, mentor or moderator (`contents_visible_to` decides)."""
    file = (ContentFile.objects.select_related("version__content", "video")
            .filter(pk=_pk(pk), version__content__in=Content.objects.filter(contents_visible_to(user))).first())
    if file is None:
        raise Http404
    content = file.version.content
    if file.version_id != content.published_version_id and not sees_unpublished(user, content):
        raise Http404
    return file


def sees_unpublished(user: User | AnonymousUser | None, content: Content) -> bool:
    """Whether this person sees the content's other versions: not a visitor or a reader of the published one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = user_scope(user)  # type: ignore[arg-type]
    return (content.author_id == scope.user_id
            or can_review(user, content) or can_moderate(user, content)  # type: ignore[arg-type]
            or (content.school_id is not None and content.school_id in scope.head_school_ids))


def access_pack(user: User | AnonymousUser | None, pk: Any) -> OfflinePack:
    if user is None or not getattr(user, "is_authenticated", False):
        raise Http404
    pack = OfflinePack.objects.filter(pk=_pk(pk)).first()
    if pack is None:
        raise Http404
    # A ready pack is for every school (anyone signed in takes it); one queued, building or failed — with its
    # error sentence — only for whoever asked for it and the officers who build packs.
    if pack.status != OfflinePack.Status.READY and pack.created_by_id != user.pk and not can_build_packs(
            cast("User", user)):  # signed in (checked above)
        raise Http404
    return pack
