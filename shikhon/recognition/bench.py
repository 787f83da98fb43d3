"""Champion selection at national scale, for `make bench` (issue 12: 10 million ratings, ≤ 10 s on PostgreSQL).

`bench_select(starts_on=None)` runs the selection of a week (default: the last finished week) exactly as the
service does, without writing, and answers the seconds it took with what it found. `explain(starts_on=None)`
answers PostgreSQL's EXPLAIN ANALYZE of the ratings query (the one that reads millions of rows).

`POSTGRES_RATINGS_SQL` generates ratings with generate_series into an existing dataset (contents and users made by
the bench's dataset): `%(ratings)s` rows spread over `%(weeks)s` weeks before the last finished week's end, raters
drawn from the teachers, 1–5 stars, a fifth of raters from the content's own school.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection

from shikhon.recognition.activity import rating_totals_sql, week_bounds
from shikhon.recognition.formula import CURRENT
from shikhon.recognition.services import last_finished_week, week_select


def bench_select(*, starts_on: dt.date | None = None) -> dict[str, Any]:
    week = starts_on or last_finished_week()
    began = time.perf_counter()
    candidates, best = week_select(starts_on=week, formula=CURRENT)
    seconds = time.perf_counter() - began
    return {"week": week.isoformat(), "seconds": round(seconds, 3), "candidates": candidates,
            "champions": [(s.teacher_id, s.score) for s in best[:3]]}


def explain(*, starts_on: dt.date | None = None) -> str:
    start, end = week_bounds(starts_on or last_finished_week())
    sql, params = rating_totals_sql(start=start, end=end, formula=CURRENT)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


POSTGRES_RATINGS_SQL = """
INSERT INTO library_rating (content_id, rater_id, stars, rater_school_id, created_at, updated_at)
SELECT c.id, u.id, 1 + (g.i * 7919 %% 5), CASE WHEN g.i %% 5 = 0 THEN c.school_id ELSE NULL END, t.at, t.at
FROM generate_series(1, %(ratings)s) AS g(i)
JOIN LATERAL (SELECT id, school_id FROM library_content
              ORDER BY id OFFSET (g.i * 2654435761 %% %(contents)s) LIMIT 1) c ON true
JOIN LATERAL (SELECT %(end)s::timestamptz - (g.i %% (%(weeks)s * 604800)) * interval '1 second' AS at) t ON true
JOIN LATERAL (SELECT id FROM people_user ORDER BY id OFFSET (g.i * 40503 %% %(users)s) LIMIT 1) u ON true
ON CONFLICT DO NOTHING
"""
