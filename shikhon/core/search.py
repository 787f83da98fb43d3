"""Bangla text search: one kernel for every app that finds rows by words typed (schools, later contents).

Bangla text reaches us in several spellings that look the same on a phone:

- **precomposed and decomposed letters**: ো is U+09CB or ে + া; য় ড় ঢ় have a single code point each
  (U+09DF, U+09DC, U+09DD) which Unicode normalisation (NFC and NFKC) writes as a letter + nukta, while the
  national geography and most keyboards use the single code points;
- **joiners**: ZWJ/ZWNJ (র‍্যাব, ক্‌ষ) are part of Bangla spelling, typed by some people and not by others;
- **digits**: Bangla (১২৩) and Western (123) digits are the same number.

`normalise` maps all of these to one key (for comparing in Python, tests, a stored search column).
Rows are stored as written, so a query is searched for in each way a word may be stored (`spellings`),
with `icontains` — `UPPER(column) LIKE UPPER('%…%')`, which PostgreSQL answers from a pg_trgm GIN index on
`UPPER(column)` (`trigram_index_sql`) and SQLite by scanning (development, small data).

`search_page` answers one page of an ordered search without counting every match: prefix matches
first (the name starts with the first word), each part in the caller's order, `per_page + 1` rows per query
so "is there a next page" needs no count. With an index in the order asked (`btree(column)`) and a
`text_pattern_ops` index on `UPPER(column)` for the prefix part, a word found in most rows ("সরকারি" in 48,000
of 65,000 school names) stops after a page of rows instead of reading and sorting all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connections
from django.db.models import IntegerField, Model, Q, QuerySet, Value

from shikhon.core.bangla import BN_DIGITS
from shikhon.core.text import ZWJ, ZWNJ, clean_user_text

MAX_QUERY = 100
MAX_WORDS = 6
# A word shorter than this (one letter, one letter + sign) matches nearly every row: the page asks for more.
MIN_QUERY_CHARS = 2

_DIGITS = re.compile(r"[0-9]+")
_TO_WESTERN = str.maketrans(BN_DIGITS, "0123456789")
_TO_BANGLA = str.maketrans("0123456789", BN_DIGITS)
_JOINERS = str.maketrans("", "", ZWJ + ZWNJ)
# Letter + nukta → the single code point (NFC/NFKC decompose these: they are composition exclusions).
NUKTA_LETTERS = {"\u09af\u09bc": "\u09df", "\u09a1\u09bc": "\u09dc", "\u09a2\u09bc": "\u09dd"}

M = TypeVar("M", bound=Model)


def _nukta_single(text: str) -> str:
    for pair, single in NUKTA_LETTERS.items():
        text = text.replace(pair, single)
    return text


def clean_query(raw: str | None, *, max_chars: int = MAX_QUERY) -> str:
    """What a person typed into a search box: hidden, control and bidi characters out (ZWJ/ZWNJ stay),
    NFC, at most `max_chars` characters, one space between words."""
    text = "".join(ch for ch in clean_user_text((raw or "")[: max_chars * 4])
                   if ch.isprintable() or ch.isspace() or ch in (ZWJ, ZWNJ))
    text = unicodedata.normalize("NFC", text)[:max_chars]
    return " ".join(text.split())


def normalise(text: str) -> str:
    """One key for every spelling of the same words: NFKC, য় ড় ঢ় as single code points, no ZWJ/ZWNJ,
    Western digits, case folded, one space between words. Idempotent."""
    key = unicodedata.normalize("NFKC", text).translate(_JOINERS)
    key = _nukta_single(key).translate(_TO_WESTERN).casefold()
    # casefold can produce characters NFKC would change again (ß → ss is fine; some compatibility forms
    # are not), so normalise once more: the result is a fixed point.
    key = _nukta_single(unicodedata.normalize("NFKC", key)).translate(_JOINERS)
    return " ".join(key.split())


def spellings(word: str) -> list[str]:
    """The ways `word` may be stored: NFC (letter + nukta), single-code-point য় ড় ঢ়, decomposed (NFD),
    each with and without joiners when it has them, and with Western and Bangla digits. First is NFC."""
    nfc = unicodedata.normalize("NFC", word)
    forms = [nfc, _nukta_single(nfc), unicodedata.normalize("NFD", nfc)]
    forms += [form.translate(_JOINERS) for form in forms]
    if any(ch.isdigit() for ch in nfc):
        forms += [form.translate(_TO_WESTERN) for form in forms] + [form.translate(_TO_BANGLA) for form in forms]
    return [form for form in dict.fromkeys(forms) if form]


def query_words(query: str, *, max_words: int = MAX_WORDS) -> list[str]:
    """The distinct words of a cleaned query (first `max_words`, in order)."""
    return list(dict.fromkeys(query.split()))[:max_words]


def is_too_short(query: str) -> bool:
    """A query of letters shorter than MIN_QUERY_CHARS (a lone digit is an EIIN prefix, not too short)."""
    compact = normalise(query).replace(" ", "")
    return bool(compact) and len(compact) < MIN_QUERY_CHARS and not compact.isdigit()


def words_q(query: str, fields: Sequence[str], *, also: Callable[[str], Q] | None = None,
            max_words: int = MAX_WORDS) -> Q:
    """Rows where every word of `query` is in one of `fields` (any spelling, any case), or meets `also(word)`
    (a school's EIIN starting with a word of digits). No words: every row."""
    condition = Q(pk__isnull=False)
    for word in query_words(query, max_words=max_words):
        one = word_q(word, fields)
        if also is not None:
            one |= also(word)
        condition &= one
    return condition


def word_q(word: str, fields: Sequence[str]) -> Q:
    """Rows where `word` (any spelling, any case) is in one of `fields`."""
    q = Q(pk__in=[])
    for spelling in spellings(word):
        for name in fields:
            q |= Q(**{f"{name}__icontains": spelling})
    return q


def prefix_q(query: str, fields: Sequence[str]) -> Q:
    """Rows where one of `fields` starts with the first word of `query` (any spelling, any case)."""
    words = query_words(query)
    q = Q(pk__in=[])
    if not words:
        return q
    for spelling in spellings(words[0]):
        for name in fields:
            q |= Q(**{f"{name}__istartswith": spelling})
    return q


@dataclass
class SearchPage:
    """One page of results without a total count: the rows, and whether there are pages before and after."""

    object_list: list[Any]
    number: int
    has_next: bool
    # Set when the next page would go past `max_results`: the person should narrow the search.
    capped: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw: object, *, last: int) -> int:
    """A page number from the query string (Bangla digits too), 1 for anything else, at most `last`."""
    text = str(raw or "").strip().translate(_TO_WESTERN)
    if not _DIGITS.fullmatch(text) or len(text) > 6:
        return 1
    return max(1, min(int(text), last))


def search_page(queryset: QuerySet[M], query: str, *, fields: Sequence[str], order_by: Sequence[str],
                page: int = 1, per_page: int = 25, prefix_fields: Sequence[str] = (),
                also: Callable[[str], Q] | None = None, max_results: int = 1000) -> SearchPage:
    """Page `page` of the rows of `queryset` whose `fields` hold every word of `query`, in `order_by` (columns
    of the model), rows whose `prefix_fields` start with the first word first. One query on PostgreSQL,
    reading at most `page * per_page + 1` rows of each part (at most 3 on SQLite); never a count of every
    match. Pages end at `max_results` rows (`capped`)."""
    last_page = max(1, max_results // per_page)
    page = max(1, min(page, last_page))
    offset = (page - 1) * per_page
    want = per_page + 1
    matches = queryset.filter(words_q(query, fields, also=also)).order_by(*order_by)
    rows: list[M]
    if not (prefix_fields and query_words(query)):
        rows = list(matches[offset:offset + want])
    elif connections[queryset.db].features.supports_slicing_ordering_in_compound:
        # PostgreSQL: the first `offset + want` rows of the whole list are among the first `offset + want`
        # of each part, so one query reads at most that many of each (each part an index walk that stops
        # early) and orders them, prefix matches first.
        first, upto = prefix_q(query, prefix_fields), offset + want
        ranked = (matches.filter(first).annotate(search_rank=Value(0, IntegerField()))[:upto]
                  .union(matches.exclude(first).annotate(search_rank=Value(1, IntegerField()))[:upto], all=True))
        rows = list(ranked.order_by("search_rank", *order_by)[offset:upto])
    else:  # SQLite cannot limit the parts of a UNION: the prefix part, then the rest (2 or 3 queries)
        first = prefix_q(query, prefix_fields)
        rows = list(matches.filter(first)[offset:offset + want])
        if len(rows) < want:
            # Fewer than asked: the prefix matches end on this page, or (none here) before it, and then
            # counting them needs to read at most `offset` rows.
            prefix_count = (offset + len(rows) if rows or offset == 0
                            else matches.filter(first)[:offset].count())
            rest_offset = offset + len(rows) - prefix_count
            rows += list(matches.exclude(first)[rest_offset:rest_offset + want - len(rows)])
    has_next = len(rows) > per_page
    capped = has_next and page >= last_page
    return SearchPage(object_list=rows[:per_page], number=page, has_next=has_next and not capped, capped=capped)


# --------------------------------------------------------------------------- indexes (PostgreSQL)

def trigram_index_sql(*, table: str, column: str, name: str) -> str:
    """A pg_trgm GIN index on UPPER(column): serves `icontains`/`istartswith` for rare words."""
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"


def prefix_index_sql(*, table: str, column: str, name: str) -> str:
    """A B-tree on UPPER(column) with text_pattern_ops: serves `istartswith` (prefix matches first) by a
    range scan whatever the database's collation."""
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} (UPPER({column}) text_pattern_ops)"
