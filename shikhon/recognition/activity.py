"""A week's activity on each author's published contents, added up in the database: the champions' raw totals.

Two grouped queries over the library's rows (ratings made or changed in the week, reviews made in the week, each
joined to its content for the author, her school and "published, not hidden") and one call to practice's
`content_uses_between`. Nothing loops over ratings in Python: the ratings query returns one row per author who
has enough distinct raters (`HAVING`), the reviews query one row per author reviewed that week.

The library has no selector for these week totals yet, so the two queries are here and reach the library's rows
with `apps.get_model` (no import of its models module). They belong in `library/selectors/` (the library owns its
rows): reported to the lead; moving them changes nothing else here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Least

from shikhon.core.clock import dhaka_datetime
from shikhon.recognition.formula import Formula, WeekTotals

logger = logging.getLogger(__name__)

CHUNK = 2000


def week_bounds(starts_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The week's moments: Sunday 00:00 in Dhaka (included) to the next Sunday 00:00 (excluded)."""
    start = dhaka_datetime(starts_on)
    return start, dhaka_datetime(starts_on + dt.timedelta(days=7))


def _model(name: str) -> Any:
    return apps.get_model("library", name)


def _published(prefix: str = "content__") -> Q:
    return Q(**{f"{prefix}published_version__isnull": False, f"{prefix}hidden_at__isnull": True})


def rating_totals_query(*, start: dt.datetime, end: dt.datetime, formula: Formula) -> QuerySet[Any]:
    """One row per author with at least `min_raters` distinct raters (her school's counting at most the cap) in
    the week: ratings of her published contents made or changed in [start, end), her own ratings left out."""
    own = Q(rater_school_id__isnull=False, content__school_id__isnull=False,
            rater_school_id=F("content__school_id"))
    return (
        _model("Rating").objects
        .filter(_published(), updated_at__gte=start, updated_at__lt=end)
        .exclude(rater_id=F("content__author_id"))
        .values("content__author_id")
        .annotate(n_ratings=Count("id"), sum_stars=Sum("stars"),
                  n_own=Count("id", filter=own), sum_own=Sum("stars", filter=own),
                  n_raters=Count("rater_id", distinct=True), n_own_raters=Count("rater_id", distinct=True, filter=own))
        .annotate(raters_counted=F("n_raters") - F("n_own_raters")
                  + Least(F("n_own_raters"), Value(formula.own_school_cap), output_field=IntegerField()))
        .filter(raters_counted__gte=formula.min_raters)
        .order_by()
    )


def rating_totals(*, start: dt.datetime, end: dt.datetime, formula: Formula) -> dict[int, dict[str, Any]]:
    rows = rating_totals_query(start=start, end=end, formula=formula).values_list(
        "content__author_id", "n_ratings", "sum_stars", "n_own", "sum_own", "n_raters", "n_own_raters")
    return {author: {"ratings": n, "stars": stars or 0, "own_ratings": own_n, "own_stars": own_stars or 0,
                     "raters": raters, "own_raters": own_raters}
            for author, n, stars, own_n, own_stars, raters, own_raters in rows}


def review_totals(*, start: dt.datetime, end: dt.datetime) -> dict[int, tuple[int, float]]:
    """Author → (reviews, sum of their rubric averages) for reviews of her published contents made in the week."""
    rows = (
        _model("Review").objects
        .filter(_published(), created_at__gte=start, created_at__lt=end)
        .exclude(reviewer_id=F("content__author_id"))
        .values("content__author_id").annotate(n=Count("id"), total=Sum("average")).order_by()
        .values_list("content__author_id", "n", "total")
    )
    return {author: (n, float(total or 0)) for author, n, total in rows}


def _uses_reader() -> Callable[..., dict[int, int]] | None:
    try:
        from shikhon.practice.selectors.library_use import content_uses_between
    except ImportError:
        return None
    return content_uses_between


def uses_by_author(*, starts_on: dt.date, authors: Iterable[int]) -> dict[int, int]:
    """Author → practice records of the week naming her published contents (Sunday to Saturday, Dhaka dates, both
    included), through practice's `content_uses_between`; empty (logged) while practice does not offer it."""
    reader = _uses_reader()
    if reader is None:
        logger.warning("practice.selectors.library_use.content_uses_between is missing: uses in class count 0")
        return {}
    uses = reader(start=starts_on, end=starts_on + dt.timedelta(days=6))
    wanted = set(authors)
    if not uses or not wanted:
        return {}
    by_author: dict[int, int] = {}
    ids = sorted(uses)
    content = _model("Content")
    for i in range(0, len(ids), CHUNK):
        for pk, author in (content.objects.filter(_published(""), pk__in=ids[i:i + CHUNK])
                           .values_list("pk", "author_id")):
            if author in wanted:
                by_author[author] = by_author.get(author, 0) + int(uses[pk])
    return by_author


def week_totals(*, starts_on: dt.date, formula: Formula) -> list[WeekTotals]:
    """Every author who takes part this week (enough distinct raters), with her totals."""
    start, end = week_bounds(starts_on)
    ratings = rating_totals(start=start, end=end, formula=formula)
    if not ratings:
        return []
    reviews = review_totals(start=start, end=end)
    uses = uses_by_author(starts_on=starts_on, authors=ratings)
    return [WeekTotals(teacher_id=author, **row, reviews=reviews.get(author, (0, 0.0))[0],
                       review_sum=reviews.get(author, (0, 0.0))[1], uses=uses.get(author, 0))
            for author, row in ratings.items()]
