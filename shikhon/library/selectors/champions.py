"""The week's totals the weekly champions are chosen from (shikhon.recognition reads them here: the library owns
its rows). Two grouped queries — ratings made or changed in the week, reviews made in the week, each joined to its
content for the author, her school and "published, not hidden" — and one lookup of contents' authors. Nothing
loops over ratings in Python: the ratings query answers one row per author with enough distinct raters
(`HAVING`). On PostgreSQL the week's ratings come from the covering index of library migration 0006."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import Count, F, Q, Sum

from shikhon.library.models import Content, Rating, Review

CHUNK = 2000


def _published(prefix: str = "content__") -> Q:
    return Q(**{f"{prefix}published_version__isnull": False, f"{prefix}hidden_at__isnull": True})


def rating_totals_sql(*, start: dt.datetime, end: dt.datetime, own_school_cap: int, min_raters: int,
                      using: str = "default") -> tuple[str, list[Any]]:
    """One row per author with at least `min_raters` distinct raters (her school's counting at most
    `own_school_cap`) in the week: ratings of her published contents made or changed in [start, end), her own
    ratings left out.

    Grouped twice: first by (author, rater) — each pair's ratings, stars, and those from the author's school —
    then by author, where a rater is one row, so "distinct raters" is a plain count (no `COUNT(DISTINCT …)`,
    which sorted every rating of the week by author and rater). The same numbers as grouping by author with
    distinct counts: a rater counts as "from her school" when any of her ratings of the author's contents was
    (the rating's school equal to the content's). Plain SQL: the ORM cannot group a grouped subquery."""
    connection = connections[using]
    qn = connection.ops.quote_name
    rating, content = qn(Rating._meta.db_table), qn(Content._meta.db_table)
    own = "r.rater_school_id IS NOT NULL AND c.school_id IS NOT NULL AND r.rater_school_id = c.school_id"
    # Table names from the models, every value a parameter.
    sql = (
        "SELECT author_id, SUM(n), SUM(s), SUM(n_own), SUM(s_own), COUNT(*), "  # noqa: S608
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
                 own_school_cap, own_school_cap, min_raters]


def rating_totals(*, start: dt.datetime, end: dt.datetime, own_school_cap: int,
                  min_raters: int) -> dict[int, dict[str, Any]]:
    """Author → her week's rating totals (ratings, stars, own school's ratings and stars, raters, own raters)."""
    sql, params = rating_totals_sql(start=start, end=end, own_school_cap=own_school_cap, min_raters=min_raters)
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {author: {"ratings": int(n), "stars": int(stars or 0), "own_ratings": int(own_n or 0),
                     "own_stars": int(own_stars or 0), "raters": int(raters), "own_raters": int(own_raters or 0)}
            for author, n, stars, own_n, own_stars, raters, own_raters in rows}


def review_totals(*, start: dt.datetime, end: dt.datetime) -> dict[int, tuple[int, float]]:
    """Author → (reviews, sum of their rubric averages) for reviews of her published contents made in the week."""
    rows = (
        Review.objects
        .filter(_published(), created_at__gte=start, created_at__lt=end)
        .exclude(reviewer_id=F("content__author_id"))
        .values("content__author_id").annotate(n=Count("id"), total=Sum("average")).order_by()
        .values_list("content__author_id", "n", "total")
    )
    return {author: (n, float(total or 0)) for author, n, total in rows}


def published_authors(content_ids: Iterable[int]) -> dict[int, int]:
    """Content id → author id for the published, not hidden contents among `content_ids` (in chunks)."""
    ids = sorted(set(content_ids))
    authors: dict[int, int] = {}
    for i in range(0, len(ids), CHUNK):
        authors.update(Content.objects.filter(_published(""), pk__in=ids[i:i + CHUNK]).values_list("pk", "author_id"))
    return authors
