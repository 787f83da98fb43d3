"""The one place that copies a version's fields onto its `Content` (the row lists, filters and search read), with
the normalised search text. Used when a content is made, edited before its first publication, published, and
adapted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shikhon.core.search import normalise

if TYPE_CHECKING:
    from shikhon.library.models import Content, ContentVersion

COPIED_FIELDS = ("title", "summary", "grade", "subject", "topic", "kind", "language")


def search_text_of(version: ContentVersion) -> str:
    """Title, summary and body as one normalised key (`core.search.normalise`): the same on both databases."""
    return normalise(" ".join(part for part in (version.title, version.summary, version.body) if part))


def copy_version_onto(content: Content, version: ContentVersion) -> list[str]:
    """Set the content's copied fields from `version` (not saved); answers the field names for `update_fields`."""
    for name in COPIED_FIELDS:
        setattr(content, name, getattr(version, name))
    content.search_text = search_text_of(version)
    return [*COPIED_FIELDS, "search_text", "updated_at"]
