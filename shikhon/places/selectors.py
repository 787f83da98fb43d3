"""Reads for places: geography lists and school search."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery
from django.utils import translation

from shikhon.core.bangla import to_western_digits
from shikhon.core.text import ZWJ, ZWNJ, clean_user_text
from shikhon.places.models import Cluster, District, Division, School, Upazila

MAX_QUERY = 100
MAX_WORDS = 6
# Largest value a bigint primary key can hold; larger ids cannot exist (and SQLite cannot bind them).
MAX_PK = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")


def clean_query(raw: str | None) -> str:
    """Trim, drop NUL, control, bidi and other invisible characters (ZWJ/ZWNJ stay: Bangla spelling needs
    them), cap the length, one space between words (NFC)."""
    text = "".join(ch for ch in clean_user_text((raw or "")[: MAX_QUERY * 4])
                   if ch.isprintable() or ch.isspace() or ch in (ZWJ, ZWNJ))
    text = unicodedata.normalize("NFC", text)[:MAX_QUERY]
    return " ".join(text.split())


def parse_pk(raw: object) -> int | None:
    """A positive database id from a URL or query string, or None for anything else."""
    text = to_western_digits(str(raw or "").strip())
    if not _DIGITS.fullmatch(text) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_PK else None


def parse_eiin(raw: object) -> str | None:
    """Six Western digits from an EIIN typed with Western or Bangla digits, or None."""
    text = to_western_digits(str(raw or "").strip())
    return text if len(text) == 6 and _DIGITS.fullmatch(text) else None


# য় ড় ঢ় have a single code point each, but Unicode normalisation (NFC) writes them as a letter
# plus nukta. Names are stored as they were typed (the national geography uses the single code
# points), so a word is searched for in both spellings.
_NUKTA_LETTERS = {"\u09af\u09bc": "\u09df", "\u09a1\u09bc": "\u09dc", "\u09a2\u09bc": "\u09dd"}


def _spellings(word: str) -> list[str]:
    nfc = unicodedata.normalize("NFC", word)
    composed = nfc
    for pair, single in _NUKTA_LETTERS.items():
        composed = composed.replace(pair, single)
    return [nfc] if composed == nfc else [nfc, composed]


def _name_field() -> str:
    return "name_en" if (translation.get_language() or "bn").startswith("en") else "name_bn"


def school_search(query: str | None, *, upazila_id: int | None = None) -> QuerySet[School]:
    """Open schools whose EIIN starts with the digits typed, or whose Bangla or English name
    contains the words typed (all of them, any order). A word made of digits may also match
    the start of the EIIN, so "100001 হাতিয়া" finds the school."""
    q = clean_query(query)
    schools = School.objects.filter(is_active=True).select_related("upazila", "district")
    if upazila_id is not None:
        schools = schools.filter(upazila_id=upazila_id)
    if not q:
        return schools.order_by("name_en", "eiin")
    digits = to_western_digits(q).replace(" ", "")
    if _DIGITS.fullmatch(digits):
        if len(digits) > 6:
            return schools.none()
        return schools.filter(eiin__startswith=digits).order_by("eiin")
    condition = Q()
    for word in dict.fromkeys(q.split()[:MAX_WORDS]):  # drop repeated words, keep order
        word_q = Q()
        for spelling in _spellings(word):
            word_q |= Q(name_bn__icontains=spelling) | Q(name_en__icontains=spelling)
        western = to_western_digits(word)
        if _DIGITS.fullmatch(western) and len(western) <= 6:
            word_q |= Q(eiin__startswith=western)
        condition &= word_q
    return schools.filter(condition).order_by("name_en", "eiin")


SEARCH_RESULTS_CAP = 1000


def school_search_capped(query: str | None, *, upazila_id: int | None = None,
                         cap: int = SEARCH_RESULTS_CAP) -> tuple[QuerySet[School], bool]:
    """The first `cap` matches of `school_search`, in the reader's name order, and whether there were more.

    A word like "সরকারি" matches most of the country's 65,000 schools; sorting and counting all of
    them on every page view costs more than the answer is worth. The database stops after `cap`
    matches, and the page asks the person to add a word or choose an upazila.
    """
    matches = school_search(query, upazila_id=upazila_id).order_by()
    more = matches[cap:cap + 1].exists() if cap else False
    first = School.objects.filter(pk__in=Subquery(matches.values("pk")[:cap]))
    return first.select_related("upazila", "district").order_by(_name_field(), "eiin"), more


# Browsing the country: division → district → upazila → school.


def divisions() -> QuerySet[Division]:
    return Division.objects.order_by(_name_field())


def division_get(pk: int) -> Division | None:
    return Division.objects.filter(pk=pk).first()


def districts_of(division: Division) -> QuerySet[District]:
    return District.objects.filter(division=division).order_by(_name_field())


def district_get(pk: int) -> District | None:
    return District.objects.select_related("division").filter(pk=pk).first()


def upazilas_with_school_counts(district: District) -> QuerySet[Upazila]:
    """The district's upazilas, each with `school_count` (open schools), in one query."""
    return (
        Upazila.objects.filter(district=district)
        .annotate(school_count=Count("schools", filter=Q(schools__is_active=True)))
        .order_by(_name_field())
    )


def upazila_get(pk: int) -> Upazila | None:
    return Upazila.objects.select_related("district", "division").filter(pk=pk).first()


def upazila_schools(upazila: Upazila) -> QuerySet[School]:
    """Open schools of an upazila with their union and clusters (prefetched), by name."""
    return (
        School.objects.filter(upazila=upazila, is_active=True)
        .select_related("union")
        .prefetch_related(Prefetch("clusters", queryset=Cluster.objects.order_by("name_bn")))
        .order_by(_name_field(), "eiin")
    )


def upazila_clusters(upazila: Upazila) -> QuerySet[Cluster]:
    """Clusters of an upazila with `school_count` (open schools)."""
    return (
        Cluster.objects.filter(upazila=upazila)
        .annotate(school_count=Count("schools", filter=Q(schools__is_active=True)))
        .order_by("name_bn")
    )


def school_get(eiin: str) -> School | None:
    """One school (open or closed) with its places and clusters, by EIIN."""
    return (
        School.objects.select_related("upazila", "district", "division", "union")
        .prefetch_related(Prefetch("clusters", queryset=Cluster.objects.order_by("name_bn")))
        .filter(eiin=eiin)
        .first()
    )
