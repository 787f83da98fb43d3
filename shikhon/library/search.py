# ruff: noqa: S608 - table and trigger names are constants; words are always bound parameters
"""The library's full-text search on both databases (decision 0012): what a query is, which contents match it,
how relevant each one is.

`Content.search_text` holds `core.search.normalise(title + summary + body text)`, kept by the services. A query
goes through the same `clean_query` and `normalise`, so decomposed and precomposed letters, ZWJ/ZWNJ and Bangla or
Western digits meet the same key on both sides. Each word of the query must match:

- a word of `MIN_PARTIAL` (3) letters or more matches **anywhere** inside a word ("গণি" finds "গণিতের", "math"
  finds "mathematics");
- a word of `MIN_WORD` (2) letters matches **the start** of a word ("যো" finds "যোগ", not "সংযোগ"): anywhere
  would match nearly every content, and trigram indexes cannot serve it;
- a single letter is too short and is left out (the page says so when nothing else is left).

PostgreSQL (migration `0004_search_postgresql_indexes`): a word of 3 letters or more by `search_text LIKE '%word%'`
(a GIN `gin_trgm_ops` index) alone — the text and the word are both case folded, so it finds every word that
`'word':*` would, and it never computes `to_tsvector` of a row's whole text (that cost up to 300 µs a row when
the planner walked the newest contents and tested each: seconds for an English word); a 2-letter word by
`to_tsvector('simple', search_text) @@ 'wo':*` (the GIN expression index; word starts). SQLite (migration
`0005_search_sqlite_fts`): an FTS5 table with the trigram tokenizer over `search_text`, kept in step with
`library_content` by triggers; 2-letter words by `LIKE` on word starts.

Relevance (the default order when there is a query) differs a little between the databases, as the decision
allows: PostgreSQL counts the query's words found in the start of the text (the title and summary come first in
it; `strpos`, no parsing); SQLite uses FTS5's bm25. Ties, and everything else, go newest first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import BooleanField, Expression, F, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL

from shikhon.core.search import MAX_WORDS, clean_query, normalise, query_words

FTS_TABLE = "library_content_search"
# Letters (code points after normalising) a word needs to match inside words; shorter ones match word starts.
MIN_PARTIAL = 3
MIN_WORD = 2
# Relevance is read from the start of the text: the title and summary, where a match means most.
RANK_HEAD_CHARS = 400


@dataclass(frozen=True)
class LibraryQuery:
    """A search box's text: `text` cleaned (shown back in the box), `words` the normalised words that search
    (each at least MIN_WORD letters, at most MAX_WORDS), `dropped` whether some words were too short."""

    text: str
    words: tuple[str, ...]
    dropped: bool = False

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def too_short(self) -> bool:
        """She typed something, but every word was too short to search for."""
        return self.dropped and not self.words


def parse_query(raw: str | None) -> LibraryQuery:
    text = clean_query(raw)
    words: list[str] = []
    dropped = False
    for word in query_words(normalise(text), max_words=MAX_WORDS * 2):
        if len(word) < MIN_WORD:
            dropped = True
        elif len(words) < MAX_WORDS:
            words.append(word)
    return LibraryQuery(text=text, words=tuple(words), dropped=dropped)


def _vendor(using: str) -> str:
    return connections[using].vendor


# --------------------------------------------------------------------------------------------- PostgreSQL


def tsquery_text(words: tuple[str, ...] | list[str]) -> str:
    """`'w1':* & 'w2':*` with each word quoted as a tsquery lexeme (quotes doubled, backslashes escaped)."""
    return " & ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "':*" for w in words)


class TsMatch(Func):
    """`to_tsvector('simple', <text>) @@ to_tsquery('simple', <query>)` — the same expression as the GIN index."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        return (f"to_tsvector('simple'::regconfig, {text_sql}) @@ to_tsquery('simple'::regconfig, {query_sql})",
                (*text_params, *query_params))


class HeadHits(Func):
    """How many of the words occur in the first RANK_HEAD_CHARS characters of the text (the title and summary):
    `(strpos(left(text, N), w1) > 0)::int + …` — a few microseconds a row, where `ts_rank` parsed the text."""

    output_field = FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        parts, params = [], []
        for word in self.source_expressions[1:]:
            word_sql, word_params = compiler.compile(word)
            parts.append(f"(strpos(left({text_sql}, {RANK_HEAD_CHARS}), {word_sql}) > 0)::int")
            params += [*text_params, *word_params]
        return f"({' + '.join(parts)})::float", tuple(params)


def _postgresql_q(words: tuple[str, ...]) -> Q:
    condition = Q()
    for word in words:
        if len(word) >= MIN_PARTIAL:
            condition &= Q(search_text__contains=word)
        else:
            condition &= Q(TsMatch(F("search_text"), Value(tsquery_text([word]))))
    return condition


# ------------------------------------------------------------------------------------------------- SQLite


def fts_query_text(words: tuple[str, ...] | list[str]) -> str:
    """FTS5 phrases, one per word (implicit AND): `"w1" "w2"` with double quotes doubled."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _sqlite_q(words: tuple[str, ...]) -> Q:
    condition = Q()
    long_words = [w for w in words if len(w) >= MIN_PARTIAL]
    if long_words:
        condition &= Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608,S611
                                     [fts_query_text(long_words)]))
    for word in words:
        if len(word) < MIN_PARTIAL:
            condition &= Q(search_text__startswith=word) | Q(search_text__contains=" " + word)
    return condition


# ------------------------------------------------------------------------------------------------- either


def matching_q(query: LibraryQuery, *, using: str = "default") -> Q:
    """Contents whose search text holds every word of the query (see the module's notes). No words: all."""
    if not query.words:
        return Q()
    if _vendor(using) == "postgresql":
        return _postgresql_q(query.words)
    return _sqlite_q(query.words)


def relevance(query: LibraryQuery, *, using: str = "default", table: str = "library_content") -> Expression | None:
    """A number to order matches by, higher first: None when the query has no words, or (SQLite) only words too
    short for the FTS index. On SQLite `table` is how the outer query names library_content."""
    if not query.words:
        return None
    if _vendor(using) == "postgresql":
        return HeadHits(F("search_text"), *(Value(word) for word in query.words))
    long_words = [w for w in query.words if len(w) >= MIN_PARTIAL]
    if not long_words:
        return None
    return RawSQL(f'(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s '  # noqa: S608,S611
                  f'AND {FTS_TABLE}.rowid = "{table}"."id")', [fts_query_text(long_words)],
                  output_field=FloatField())


# ------------------------------------------------------------------------- PostgreSQL: choosing the plan

# PostgreSQL cannot estimate how many contents hold a word: its statistics leave out values wider than 1 KB, and
# most search texts are wider, so the short (mostly English) ones it keeps make every English word look common and
# every Bangla word rare. A wrong guess costs seconds at national scale: a common word read through the trigram
# index re-reads most of the table (its bitmap), a rare word found by walking the newest contents reads all of them.
# So the search asks once: are there at least PROBE_MATCHES public matches (read through the trigram index and
# stopped there)? Fewer: the page is read through the index (a bounded bitmap); more: by walking the newest
# contents, where a match comes at least every (public contents / PROBE_MATCHES) rows. With 150,000 contents the
# worst case is about 10,000 rows read for the probe plus 15,000 for the walk. The answer is kept a few minutes
# per query.
PROBE_MATCHES = 10_000
PROBE_CACHE_SECONDS = 600
WALK = "walk"
BITMAP = "bitmap"
_PLANNER = {
    # Only bitmap scans: the trigram/tsvector indexes first, the table's rows re-checked afterwards.
    BITMAP: {"enable_seqscan": "off", "enable_indexscan": "off", "enable_indexonlyscan": "off", "jit": "off"},
    # No bitmap scans, no whole-table scans, no sorting where an index gives the order: the newest-first (or
    # best-rated, most-used) index walked in its order, each row tested, until the page (or the MAX_RESULTS to
    # rank) is found. JIT off: a disabled plan kind adds 10^10 to a plan's cost, which would make PostgreSQL
    # compile the query (0.6 s) for a plan that runs in milliseconds.
    WALK: {"enable_bitmapscan": "off", "enable_seqscan": "off", "enable_sort": "off", "jit": "off"},
}


@contextmanager
def planner(way: str, *, using: str = "default") -> Iterator[None]:
    """Inside, PostgreSQL plans this connection's queries the `way` given (`BITMAP` or `WALK`): transaction-local
    settings (one statement reads the old values and sets the new), put back as they were on the way out, so a
    request's own transaction goes on unchanged; if a query fails, the transaction's end drops them anyway.
    Nothing on SQLite."""
    connection = connections[using]
    if connection.vendor != "postgresql" or way not in _PLANNER:
        yield
        return
    settings = _PLANNER[way]
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["current_setting(%s), set_config(%s, %s, true)"] * len(settings)),
                       [part for name, value in settings.items() for part in (name, name, value)])
        row = cursor.fetchone()
        before = dict(zip(settings, row[0::2], strict=True))
        yield
        cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(before)),
                       [part for name, value in before.items() for part in (name, value)])


def plan_for(query: LibraryQuery, matches: Any) -> str:
    """`BITMAP` when `matches` (public contents holding the query's words, unordered) are fewer than PROBE_MATCHES,
    else `WALK`; "" on SQLite or without words (nothing to choose). Probed through the index at most once per
    PROBE_CACHE_SECONDS for the same words."""
    if not query.words or connections[matches.db].vendor != "postgresql":
        return ""
    key = "library:plan:" + hashlib.sha256("\x1f".join(query.words).encode()).hexdigest()[:32]
    way = cache.get(key)
    if way not in _PLANNER:
        with planner(BITMAP, using=matches.db):
            found = len(matches.order_by().values_list("pk", flat=True)[:PROBE_MATCHES])
        way = WALK if found >= PROBE_MATCHES else BITMAP
        cache.set(key, way, PROBE_CACHE_SECONDS)
    return str(way)


# -------------------------------------------------------------------------------- SQLite index upkeep

# The triggers of migration 0005_search_sqlite_fts (the same statements: a migration keeps its own copy).
SQLITE_TRIGGERS = {  # constant names only (no input)
    f"{FTS_TABLE}_insert":
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON library_content BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",  # noqa: S608
    f"{FTS_TABLE}_delete":
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON library_content BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",  # noqa: S608,E501
    f"{FTS_TABLE}_update":
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_text ON library_content "
        f"WHEN old.search_text IS NOT new.search_text BEGIN "  # noqa: S608
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
}


def ensure_sqlite_index(*, using: str = "default") -> bool:
    """On SQLite, put back the FTS table's triggers when a later migration rebuilt library_content (SQLite's
    ALTER TABLE copies the table, dropping its triggers), and rebuild the index then. True when it repaired.
    Run after every migrate (registry_search.py)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"])
        present = {name for (name,) in cursor.fetchall()}
        if FTS_TABLE not in present or set(SQLITE_TRIGGERS) <= present:
            return False  # not migrated yet, or whole
        for statement in SQLITE_TRIGGERS.values():
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True
