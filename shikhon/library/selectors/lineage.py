"""Lineage of model contents both ways: what a content was adapted from (the chain up to the original, at most
`MAX_LINKS` links, read in one query) and the published adaptations made from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, F, IntegerField, Q, Value, When

from shikhon.library.models import Content
from shikhon.library.permissions import published_q

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from shikhon.people.models import User

MAX_LINKS = 5
PANEL_ADAPTATIONS = 5
ADAPTATIONS_PER_PAGE = 20


@dataclass(frozen=True)
class Link:
    """One step up the chain: the content (shown as a link only when published) and its author's name."""

    pk: int
    title: str
    author_name: str
    shown: bool


def ancestry(content: Content, *, max_links: int = MAX_LINKS) -> tuple[list[Link], bool]:
    """The contents this one was adapted from, nearest first, at most `max_links`, and whether the chain goes on
    beyond them. One query (the chain joined `max_links` deep), none for a content that was not adapted."""
    if content.adapted_from_id is None:
        return [], False
    paths = ["__".join(["adapted_from"] * depth) for depth in range(1, max_links + 1)]
    row = (Content.objects.filter(pk=content.pk)
           .select_related(*paths, *[f"{path}__author" for path in paths]).first())
    links: list[Link] = []
    current = row
    for _depth in range(max_links):
        parent = getattr(current, "adapted_from", None) if current is not None else None
        if parent is None:
            return links, False
        links.append(Link(pk=parent.pk, title=parent.title, author_name=parent.author.display_name,
                          shown=parent.is_published))
        current = parent
    return links, current is not None and current.adapted_from_id is not None


def published_adaptations(content: Content) -> QuerySet[Content]:
    """The published adaptations of a content, newest first, each with its author."""
    return (Content.objects.filter(published_q(), adapted_from_id=content.pk).select_related("author")
            .order_by("-published_at", "-pk"))


def adaptations_panel(content: Content, user: User | None, *,
                      limit: int = PANEL_ADAPTATIONS) -> tuple[list[Content], bool, Content | None]:
    """For the content's page, in one query: the newest published adaptations (at most `limit`), whether there
    are more, and her own adaptation of it (any state) if she made one."""
    if not content.adaptations_count:
        return [], False, None
    user_id = getattr(user, "pk", None)
    mine_q = Q(author_id=user_id) if user_id else Q(pk__in=[])
    rows: list[Content] = list(Content.objects.filter(published_q() | mine_q, adapted_from_id=content.pk)
                .annotate(is_mine=Case(When(mine_q, then=Value(1)), default=Value(0),
                                       output_field=IntegerField()))
                .select_related("author")
                .order_by("-is_mine", F("published_at").desc(nulls_last=True), "-pk")[: limit + 2])
    mine = rows[0] if rows and user_id and rows[0].author_id == user_id else None
    published = [row for row in rows if row.is_published and row is not mine]
    if mine is not None and mine.is_published:
        published = sorted([mine, *published], key=lambda row: (row.published_at, row.pk), reverse=True)
    return published[:limit], len(published) > limit, mine


def adaptation_of(user: User, content: Content) -> Content | None:
    """Her own adaptation of this content (the first she made), if any."""
    return Content.objects.filter(adapted_from_id=content.pk, author_id=user.pk).order_by("pk").first()
