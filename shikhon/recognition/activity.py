"""A week's activity on each author's published contents, added up in the database: the champions' raw totals.

Two grouped queries over the library's rows (ratings made or changed in the week, reviews made in the week, each
joined to its content for the author, her school and "published, not hidden") and one call to practice's
`content_uses_between`. Nothing loops over ratings in Python: the ratings query returns one row per author who
has enough distinct raters (`HAVING`), the reviews query one row per author reviewed that week. The ratings query
groups by (author, rater) first and then by author (see `rating_totals_sql`); on PostgreSQL it reads the week's
ratings from the covering index `library_rating_week_idx` (library migration `…_rating_week_index`).

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
from django.db import connections
from django.db.models import Count, F, Q, Sum

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


def rating_totals_sql(*, start: dt.datetime, end: dt.datetime, formula: Formula,
                      using: str = "default") -> tuple[str, list[Any]]:
    """One row per author with at least `min_raters` distinct raters (her school's counting at most the cap) in
    the week: ratings of her published contents made or changed in [start, end), her own ratings left out.

    Grouped twice: first by (author, rater) — each pair's ratings, stars, and those from the author's school —
    then by author, where a rater is one row, so "distinct raters" is a plain count (no `COUNT(DISTINCT …)`,
    which sorted every rating of the week by author and rater). The same numbers as grouping by author with
    distinct counts: a rater counts as "from her school" when any of her ratings of the author's contents was
    (the rating's school equal to the content's). Plain SQL: the ORM cannot group a grouped subquery."""
    connection = connections[using]
    qn = connection.ops.quote_name
    rating, content = qn(_model("Rating")._meta.db_table), qn(_model("Content")._meta.db_table)
    own = "r.rater_school_id IS NOT NULL AND c.school_id IS NOT NULL AND r.rater_school_id = c.school_id"
    sql = (
        "SELECT author_id, SUM(n), SUM(s), SUM(n_own), SUM(s_own), COUNT(*), "  # noqa: S608 — quoted table names
        "SUM(CASE WHEN n_own > 0 THEN 1 ELSE 0 END) "
        "FROM (SELECT c.author_id AS author_id, r.rater_id AS rater_id, COUNT(*) AS n, SUM(r.stars) AS s, "
        f"      SUM(CASE WHEN {own} THEN 1 ELSE 0 END) AS n_own, SUM(CASE WHEN {own} THEN r.stars ELSE 0 END) AS s_own "
        f"      FROM {rating} r INNER JOIN {content} c ON c.id = r.content_id "
        "      WHERE r.updated_at >= %s AND r.updated_at < %s AND c.published_version_id IS NOT NULL "
        "      AND c.hidden_at IS NULL AND r.rater_id <> c.author_id "
        "      GROUP BY c.author_id, r.rater_id) pairs "
        "GROUP BY author_id "
        "HAVING COUNT(*) - SUM(CASE WHEN n_own > 0 THEN 1 ELSE 0 END) + "
        "  CASE WHEN SUM(CASE WHEN n_own > 0 THEN 1 ELSE 0 END) < %s "
        "  THEN SUM(CASE WHEN n_own > 0 THEN 1 ELSE 0 END) ELSE %s END >= %s"
    )
    ops = connection.ops
    return sql, [ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end),
                 formula.own_school_cap, formula.own_school_cap, formula.min_raters]


def rating_totals(*, start: dt.datetime, end: dt.datetime, formula: Formula) -> dict[int, dict[str, Any]]:
    sql, params = rating_totals_sql(start=start, end=end, formula=formula)
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {author: {"ratings": int(n), "stars": int(stars or 0), "own_ratings": int(own_n or 0),
                     "own_stars": int(own_stars or 0), "raters": int(raters), "own_raters": int(own_raters or 0)}
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
