"""A week's activity on each author's published contents, added up in the database: the champions' raw totals.

Two grouped queries over the library's rows (ratings made or changed in the week, reviews made in the week, each
joined to its content for the author, her school and "published, not hidden") and one call to practice's
`content_uses_between`. Nothing loops over ratings in Python: the ratings query returns one row per author who
has enough distinct raters (`HAVING`), the reviews query one row per author reviewed that week. The ratings query
groups by (author, rater) first and then by author (see `rating_totals_sql`); on PostgreSQL it reads the week's
ratings from the covering index `library_rating_week_idx` (library migration `…_rating_week_index`).

The queries themselves are the library's (`library.selectors.champions`: it owns its rows); this module gives them
the formula's numbers and adds practice's uses in class.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from shikhon.core.clock import dhaka_datetime
from shikhon.library.selectors import champions
from shikhon.recognition.formula import Formula, WeekTotals

logger = logging.getLogger(__name__)


def week_bounds(starts_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The week's moments: Sunday 00:00 in Dhaka (included) to the next Sunday 00:00 (excluded)."""
    start = dhaka_datetime(starts_on)
    return start, dhaka_datetime(starts_on + dt.timedelta(days=7))


def rating_totals_sql(*, start: dt.datetime, end: dt.datetime, formula: Formula,
                      using: str = "default") -> tuple[str, list[Any]]:
    """The ratings query of the week under `formula` (library.selectors.champions)."""
    return champions.rating_totals_sql(start=start, end=end, own_school_cap=formula.own_school_cap,
                                       min_raters=formula.min_raters, using=using)


def rating_totals(*, start: dt.datetime, end: dt.datetime, formula: Formula) -> dict[int, dict[str, Any]]:
    return champions.rating_totals(start=start, end=end, own_school_cap=formula.own_school_cap,
                                   min_raters=formula.min_raters)


review_totals = champions.review_totals


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
    for pk, author in champions.published_authors(uses).items():
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
