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

PostgreSQL (migration `0004_search_postgresql_indexes`): `to_tsvector('simple', search_text) @@ 'word':*` (a GIN
expression index; whole words and word starts) OR `search_text LIKE '%word%'` (a GIN `gin_trgm_ops` index; parts of
words, from 3 letters). SQLite (migration `0005_search_sqlite_fts`): an FTS5 table with the trigram tokenizer over
`search_text`, kept in step with `library_content` by triggers; 2-letter words by `LIKE` on word starts.

Relevance (the default order when there is a query) differs a little between the databases, as the decision
allows: PostgreSQL ranks by `ts_rank` over the start of the text (title and summary come first in it); SQLite by
FTS5's bm25. Ties, and everything else, go newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
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


class TsRankHead(Func):
    """`ts_rank` of the query over the first RANK_HEAD_CHARS characters of the text."""

    output_field = FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        return (f"ts_rank(to_tsvector('simple'::regconfig, left({text_sql}, {RANK_HEAD_CHARS})), "
                f"to_tsquery('simple'::regconfig, {query_sql}))", (*text_params, *query_params))


def _postgresql_q(words: tuple[str, ...]) -> Q:
    condition = Q()
    for word in words:
        one = Q(TsMatch(F("search_text"), Value(tsquery_text([word]))))
        if len(word) >= MIN_PARTIAL:
            one |= Q(search_text__contains=word)
        condition &= one
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
        return TsRankHead(F("search_text"), Value(tsquery_text(query.words)))
    long_words = [w for w in query.words if len(w) >= MIN_PARTIAL]
    if not long_words:
        return None
    return RawSQL(f'(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s '  # noqa: S608,S611
                  f'AND {FTS_TABLE}.rowid = "{table}"."id")', [fts_query_text(long_words)],
                  output_field=FloatField())


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
