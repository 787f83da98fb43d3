"""Reads for places: geography lists and school search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation

from shikhon.core import search
from shikhon.core.bangla import to_western_digits
from shikhon.places.models import Cluster, District, Division, School, Upazila

MAX_QUERY = search.MAX_QUERY
MAX_WORDS = search.MAX_WORDS
# Largest value a bigint primary key can hold; larger ids cannot exist (and SQLite cannot bind them).
_DIGITS = re.compile(r"[0-9]+")
NAME_FIELDS = ("name_bn", "name_en")


def clean_query(raw: str | None) -> str:
    """What was typed into the search box, cleaned (`core.search.clean_query`)."""
    return search.clean_query(raw)


def parse_eiin(raw: object) -> str | None:
    """Six Western digits from an EIIN typed with Western or Bangla digits, or None."""
    text = to_western_digits(str(raw or "").strip())
    return text if len(text) == 6 and _DIGITS.fullmatch(text) else None


def _name_field() -> str:
    return "name_en" if (translation.get_language() or "bn").startswith("en") else "name_bn"


def _eiin_prefix_q(word: str) -> Q:
    """A word of digits (Western or Bangla) may also be the start of the EIIN."""
    western = to_western_digits(word)
    return Q(eiin__startswith=western) if _DIGITS.fullmatch(western) and len(western) <= 6 else Q(pk__in=[])


def _eiin_digits(q: str) -> str | None:
    """The digits of a query made only of digits (and spaces), else None."""
    digits = to_western_digits(q).replace(" ", "")
    return digits if _DIGITS.fullmatch(digits) else None


def _open_schools(upazila_id: int | None) -> QuerySet[School]:
    schools = School.objects.filter(is_active=True).select_related("upazila", "district")
    return schools.filter(upazila_id=upazila_id) if upazila_id is not None else schools


def school_search(query: str | None, *, upazila_id: int | None = None) -> QuerySet[School]:
    """Open schools whose EIIN starts with the digits typed, or whose Bangla or English name
    contains the words typed (all of them, any order, any spelling: `core.search`). A word made of digits
    may also match the start of the EIIN, so "100001 হাতিয়া" finds the school."""
    q = clean_query(query)
    schools = _open_schools(upazila_id)
    if not q:
        return schools.order_by("name_en", "eiin")
    digits = _eiin_digits(q)
    if digits is not None:
        if len(digits) > 6:
            return schools.none()
        return schools.filter(eiin__startswith=digits).order_by("eiin")
    return schools.filter(search.words_q(q, NAME_FIELDS, also=_eiin_prefix_q)).order_by("name_en", "eiin")


SEARCH_RESULTS_CAP = 1000
SEARCH_PER_PAGE = 25
SEARCH_RESULT_FIELDS = ("eiin", "name_bn", "name_en", "upazila__name_bn", "upazila__name_en", "district__name_bn",
                        "district__name_en")


def school_search_page(query: str | None, *, upazila_id: int | None = None, page: object = 1,
                       per_page: int = SEARCH_PER_PAGE, cap: int = SEARCH_RESULTS_CAP) -> search.SearchPage:
    """One page of `school_search`, without counting every match: schools whose name starts with the first
    word come first, then the others, each in the reader's name order; at most `cap` schools in all.

    A word like "সরকারি" is in most of the country's 65,000 school names: this reads a page of them in
    name order (an index walk that stops after `per_page + 1` rows) instead of finding, counting and
    sorting all of them. The page asks the person to add a word or choose an upazila past `cap`."""
    q = clean_query(query)
    number = search.page_number(page, last=max(1, cap // per_page))
    # Only what a result line shows (name, EIIN, upazila and district names): a third of the columns.
    schools = _open_schools(upazila_id).only(*SEARCH_RESULT_FIELDS)
    name = _name_field()
    if not q:
        return search.search_page(schools, "", fields=NAME_FIELDS, order_by=(name, "eiin"), page=number,
                                  per_page=per_page, max_results=cap)
    digits = _eiin_digits(q)
    if digits is not None:
        matches = schools.filter(eiin__startswith=digits) if len(digits) <= 6 else schools.none()
        return search.search_page(matches, "", fields=NAME_FIELDS, order_by=("eiin",), page=number,
                                  per_page=per_page, max_results=cap)
    return search.search_page(schools, q, fields=NAME_FIELDS, order_by=(name, "eiin"), page=number,
                              per_page=per_page, prefix_fields=(name,), also=_eiin_prefix_q, max_results=cap)


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


# ---------------------------------------------------------------- what other apps ask about places


def school_name(school_id: int | None) -> str:
    """A school's name as printed (Bangla, else English); "" for none or an unknown id."""
    if school_id is None:
        return ""
    names = School.objects.filter(pk=school_id).values_list("name_bn", "name_en").first()
    return (names[0] or names[1]) if names else ""


def schools_by_ids(ids: Iterable[int]) -> QuerySet[School]:
    """These schools, each with its upazila (one query)."""
    return School.objects.filter(pk__in=list(ids)).select_related("upazila")


def areas_by_ids(level: str, ids: Iterable[int]) -> QuerySet[Any]:
    """The divisions, districts or upazilas (`level`) with these ids."""
    if level == "division":
        return Division.objects.filter(pk__in=list(ids))
    if level == "district":
        return District.objects.filter(pk__in=list(ids))
    if level == "upazila":
        return Upazila.objects.filter(pk__in=list(ids))
    raise ValueError(f"Unknown area level {level!r}")


def active_school_count(*, upazila_id: int | None = None, district_id: int | None = None,
                        division_id: int | None = None) -> int:
    """Open schools in one area, or in the whole country when no area is given."""
    area = {f"{level}_id": place_id for level, place_id in
            (("upazila", upazila_id), ("district", district_id), ("division", division_id)) if place_id is not None}
    return School.objects.filter(is_active=True, **area).count()


def active_school_counts_by_place(level: str, ids: Iterable[int]) -> dict[int, int]:
    """Open schools of each upazila, district or division (`level`) among these ids; one grouped query on the
    school's indexed place column (places without an open school are left out)."""
    if level not in ("upazila", "district", "division"):
        raise ValueError(f"Unknown area level {level!r}")
    column = f"{level}_id"
    rows = (School.objects.filter(is_active=True, **{f"{column}__in": list(ids)})
            .values(column).annotate(n=Count("pk")).order_by())
    return dict(rows.values_list(column, "n"))


def upazila_count() -> int:
    return Upazila.objects.count()
