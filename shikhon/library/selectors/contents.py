"""Reads of the contents part: her contents ("My contents") with the latest feedback of each, a content's versions,
the version a person reads on the content's page, and who is told when a content is sent for review. Each a bounded
number of queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from shikhon.library.models import Content, ContentVersion, Review, State
from shikhon.library.selectors.access import sees_unpublished  # noqa: F401 - the pages and the API ask it here
from shikhon.people.scope import K
from shikhon.people.selectors import area_staff_ids, placement_of
from shikhon.places.selectors import schools_by_ids

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from shikhon.people.models import User
    from shikhon.places.models import School

MINE_PER_PAGE = 20
VERSIONS_SHOWN = 30  # the newest versions listed on a content's page (the rest are kept, not listed)
EDITABLE = (State.DRAFT,)
WAITING = (State.SUBMITTED, State.UNDER_REVIEW)
NEW_VERSION_FROM = (State.PUBLISHED, State.SUPERSEDED, State.CHANGES_REQUESTED)


def may_create(user: User | AnonymousUser | None) -> bool:
    """Whether this person may start a content: a teacher or head teacher with a current school role (the content
    is placed at her school). One query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return placement_of(user).school_id is not None  # type: ignore[arg-type]


# ---------------------------------------------------------------- My contents


def my_contents(user: User) -> QuerySet[Content]:
    """Her contents, the last changed first (index `content_author_idx`), with what a row of the list shows."""
    return (Content.objects.filter(author_id=user.pk)
            .select_related("subject")
            .only("pk", "title", "state", "grade", "subject__name_bn", "subject__name_en", "kind", "updated_at",
                  "published_version_id", "latest_version_id", "hidden_at", "is_model", "author_id")
            .order_by("-updated_at", "-pk"))


@dataclass(frozen=True)
class Feedback:
    """The latest review of a content: its decision and when (the words are read on the content's page)."""

    content_id: int
    version_number: int
    decision: str
    decided_at: dt.datetime

    @property
    def asks_for_changes(self) -> bool:
        return self.decision == Review.Decision.CHANGES

    def get_decision_display(self) -> str:
        return str(dict(Review.Decision.choices).get(self.decision, self.decision))


def latest_feedback(content_ids: list[int]) -> dict[int, Feedback]:
    """The latest review of each of these contents (a page of a list): one query."""
    if not content_ids:
        return {}
    found: dict[int, Feedback] = {}
    rows = (Review.objects.filter(content_id__in=content_ids)
            .order_by("content_id", "-created_at", "-pk")
            .values_list("content_id", "version__number", "decision", "created_at"))
    for content_id, number, decision, created_at in rows:
        found.setdefault(content_id, Feedback(content_id, number, decision, created_at))
    return found


# ---------------------------------------------------------------- a content's page


def versions_of(content: Content) -> list[ContentVersion]:
    """Its newest versions (at most `VERSIONS_SHOWN`), without their bodies: one query."""
    return list(content.versions.only("pk", "content_id", "number", "state", "created_at", "submitted_at",
                                      "decided_at").order_by("-number")[:VERSIONS_SHOWN])


def version_to_show(content: Content, *, sees_all: bool, number: Any = None) -> ContentVersion | None:
    """The version a person reads: for those who see unpublished versions, the one asked for (`number`) or else
    the latest; for everybody else the published one (never another, whatever is asked). No query when the
    content's row already holds it (select_related); one otherwise."""
    if not sees_all:
        return content.published_version
    if number not in (None, ""):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 0
        for held in (content.latest_version, content.published_version):
            if held is not None and held.number == wanted:
                return held
        return content.versions.filter(number=wanted).first() if 0 < wanted < 2**15 else None
    return content.latest_version or content.published_version


def author_school(content: Content) -> School | None:
    """The school the content was written at (with its upazila): one query, none without a school."""
    if content.school_id is None:
        return None
    return schools_by_ids([content.school_id]).first()


# ---------------------------------------------------------------- who is told


# Told when no mentor of the content's upazila, district or division is found: the first few national mentors.
NATIONAL_MENTORS_TOLD = 10


def mentors_to_tell(content: Content) -> list[int]:
    """The mentors of the content's upazila; if it has none, those of its district (a district mentor's role is
    placed at the district, with no upazila), then of its division, then (a few of) the national mentors — a
    submitted content always reaches someone who may review it. Never the author herself. One to four queries."""
    for level, place_id in (("upazila_id", content.upazila_id), ("district_id", content.district_id),
                            ("division_id", content.division_id)):
        if place_id is None:
            continue
        place: dict[str, Any] = {level: place_id}
        ids = area_staff_ids(kinds=[K.MENTOR], exclude=content.author_id, **place)
        if ids:
            return ids
    return area_staff_ids(kinds=[K.MENTOR], national=True, exclude=content.author_id, limit=NATIONAL_MENTORS_TOLD)
