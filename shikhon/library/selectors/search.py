"""The library's front door: public contents found by words, filters and an order, one page at a time; model
contents browsed by class and subject.

Only published contents that are not hidden are ever found (`published_q`, plus `published_at` which every
published content has), whoever asks: drafts belong on their authors' and reviewers' pages. A page reads
`per_page + 1` rows (is there a next page?) and never counts every match; the orders end in the primary key, so a
page is the same each time it is read. The card needs the author and the subject: one query per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from shikhon.core.search import SearchPage
from shikhon.courses.grades import grades_label
from shikhon.library.models import Content, Subject
from shikhon.library.models.contents import Kind
from shikhon.library.permissions import published_q
from shikhon.library.search import LibraryQuery, matching_q, parse_query, plan_for, planner, relevance

PER_PAGE = 20
# A search pages through at most this many contents (then asks to narrow it); relevance orders the newest this
# many matches, so a word found in most contents still costs one bounded read.
MAX_RESULTS = 1000
# The columns a card shows (search_text, the body's key, can be long: never read for a list).
_DEFERRED = ("search_text", "hidden_reason", "summary")

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_RATED = "rated"
SORT_USED = "used"
SORTS = (
    (SORT_RELEVANCE, _("Best match")),
    (SORT_NEWEST, _("Newest")),
    (SORT_RATED, _("Best rated")),
    (SORT_USED, _("Most used in class")),
)

_ORDERS: dict[str, tuple[Any, ...]] = {
    SORT_NEWEST: (F("published_at").desc(), F("pk").desc()),
    SORT_RATED: (F("rating_average").desc(nulls_last=True), F("rating_count").desc(), F("published_at").desc(),
                 F("pk").desc()),
    SORT_USED: (F("used_in_class").desc(), F("published_at").desc(), F("pk").desc()),
}
_MODEL_ORDER = (F("model_since").desc(nulls_last=True), F("pk").desc())


@dataclass(frozen=True)
class ContentFilters:
    """What the search page asks for; empty fields filter nothing. `sort` "" is relevance when there are words,
    else newest."""

    query: LibraryQuery = field(default_factory=lambda: parse_query(""))
    grade: int | None = None
    subject_id: int | None = None
    kind: str = ""
    district_id: int | None = None
    upazila_id: int | None = None
    model_only: bool = False
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort in _ORDERS:
            return self.sort
        return SORT_RELEVANCE if self.query else SORT_NEWEST


def public_contents() -> QuerySet[Content]:
    """Published, not hidden contents (what visitors see)."""
    return Content.objects.filter(published_q(), published_at__isnull=False)


def _cards(queryset: QuerySet[Content]) -> QuerySet[Content]:
    return queryset.select_related("author", "subject").defer(*_DEFERRED)


def filtered_contents(filters: ContentFilters) -> QuerySet[Content]:
    """Public contents meeting every filter and holding every word of the query (unordered)."""
    contents = public_contents()
    if filters.query:
        contents = contents.filter(matching_q(filters.query, using=contents.db))
    if filters.grade is not None:
        contents = contents.filter(grade=filters.grade)
    if filters.subject_id is not None:
        contents = contents.filter(subject_id=filters.subject_id)
    if filters.kind:
        contents = contents.filter(kind=filters.kind)
    if filters.upazila_id is not None:
        contents = contents.filter(upazila_id=filters.upazila_id)
    elif filters.district_id is not None:
        contents = contents.filter(district_id=filters.district_id)
    if filters.model_only:
        contents = contents.filter(is_model=True)
    return contents


def _page(queryset: QuerySet[Content], *, page: int, per_page: int, max_results: int) -> SearchPage:
    last_page = max(1, max_results // per_page)
    page = max(1, min(page, last_page))
    offset = (page - 1) * per_page
    rows = list(queryset[offset:offset + per_page + 1])
    has_next = len(rows) > per_page
    capped = has_next and page >= last_page
    return SearchPage(object_list=rows[:per_page], number=page, has_next=has_next and not capped, capped=capped)


def search_contents(filters: ContentFilters, *, page: int = 1, per_page: int = PER_PAGE,
                    max_results: int = MAX_RESULTS) -> SearchPage:
    """One page of public contents for these filters, in their order (see the module's notes): one query (and on
    PostgreSQL, with words, a probe of how common they are, remembered a few minutes: `search.plan_for`)."""
    matches = filtered_contents(filters)
    way = plan_for(filters.query, public_contents().filter(matching_q(filters.query, using=matches.db)))
    with planner(way, using=matches.db):
        return _search_page(filters, matches, page=page, per_page=per_page, max_results=max_results)


def _search_page(filters: ContentFilters, matches: QuerySet[Content], *, page: int, per_page: int,
                 max_results: int) -> SearchPage:
    sort = filters.effective_sort
    rank = relevance(filters.query, using=matches.db) if sort == SORT_RELEVANCE else None
    if rank is None:
        ordered = matches.order_by(*_ORDERS[SORT_NEWEST if sort == SORT_RELEVANCE else sort])
    else:
        # Rank the newest `max_results` matches (a bounded read however common the words are).
        newest = matches.order_by(*_ORDERS[SORT_NEWEST]).values("pk")[:max_results + 1]  # + 1: "capped"
        ordered = (Content.objects.filter(pk__in=Subquery(newest)).alias(search_rank=rank)
                   .order_by(OrderBy(F("search_rank"), descending=True, nulls_last=True), *_ORDERS[SORT_NEWEST]))
    return _page(_cards(ordered), page=page, per_page=per_page, max_results=max_results)


# ------------------------------------------------------------------------------------------ model contents


def model_contents(*, grade: int | None = None, subject_id: int | None = None, page: int = 1,
                   per_page: int = PER_PAGE, max_results: int = 5000) -> SearchPage:
    """One page of public model contents, of a class and/or subject, the newest models first: one query."""
    contents = public_contents().filter(is_model=True)
    if grade is not None:
        contents = contents.filter(grade=grade)
    if subject_id is not None:
        contents = contents.filter(subject_id=subject_id)
    return _page(_cards(contents.order_by(*_MODEL_ORDER)), page=page, per_page=per_page, max_results=max_results)


@dataclass(frozen=True)
class Shelf:
    """Model contents of one class and subject: how many there are (a link to browse them)."""

    grade: int
    subject: Subject
    count: int

    @property
    def grade_label(self) -> str:
        return grades_label(self.grade, self.grade)


def model_shelves(*, grade: int | None = None) -> list[Shelf]:
    """Each class and subject that has public model contents (of `grade`, when given), with how many: two queries
    (the counts grouped by the model-content index, then the subjects)."""
    rows = public_contents().filter(is_model=True)
    if grade is not None:
        rows = rows.filter(grade=grade)
    counts = list(rows.order_by().values_list("grade", "subject_id").annotate(n=Count("pk")))
    subjects = Subject.objects.in_bulk({subject_id for _grade, subject_id, _n in counts})
    shelves = [Shelf(grade=g, subject=subjects[s], count=n) for g, s, n in counts if s in subjects]
    return sorted(shelves, key=lambda shelf: (shelf.grade, shelf.subject.position, shelf.subject.code))


def subjects() -> QuerySet[Subject]:
    """Every subject of the curriculum, in the curriculum's order (the filters' choices)."""
    return Subject.objects.order_by("position", "code")


KINDS = Kind.choices

__all__ = ["MAX_RESULTS", "PER_PAGE", "SORTS", "ContentFilters", "Shelf", "filtered_contents", "model_contents",
           "model_shelves", "public_contents", "search_contents", "subjects"]
