"""Reads of the feedback part: a person's rating, a content's visible comments, and the addresses the feedback
pages send people back to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse

from shikhon.library.models import Comment, Rating

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from shikhon.library.models import Content

PANEL_COMMENTS = 20
COMMENTS_PER_PAGE = 20


def comments_url(content: Content) -> str:
    return reverse("library:comments", kwargs={"pk": content.pk})


def content_url_of(pk: int) -> str:
    """The content's page (drawn by the contents part); its comments page while that page is not there."""
    try:
        return reverse("library:content", kwargs={"pk": pk})
    except NoReverseMatch:
        return reverse("library:comments", kwargs={"pk": pk})


def content_url(content: Content) -> str:
    return content_url_of(content.pk)


def edit_url(content: Content) -> str:
    """Where she edits her (new) content: the contents part's edit page, else the content's page."""
    try:
        return reverse("library:edit", kwargs={"pk": content.pk})
    except NoReverseMatch:
        return content_url(content)


def rating_of(user_id: int | None, content: Content) -> Rating | None:
    if user_id is None:
        return None
    return Rating.objects.filter(content_id=content.pk, rater_id=user_id).first()


def visible_comments(content: Content) -> QuerySet[Comment]:
    """The content's comments people see (hidden ones left out), newest first, each with its author."""
    return (Comment.objects.filter(content_id=content.pk, hidden_at__isnull=True).select_related("author")
            .order_by("-created_at", "-pk"))


def latest_comments(content: Content, limit: int = PANEL_COMMENTS) -> tuple[list[Comment], bool]:
    """The newest `limit` visible comments and whether there are more (one query)."""
    rows = list(visible_comments(content)[: limit + 1])
    return rows[:limit], len(rows) > limit
