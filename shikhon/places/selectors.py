"""Reads for places: geography lists and school search."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shikhon.core.bangla import to_western_digits
from shikhon.places.models import School

MAX_QUERY = 100


def clean_query(raw: str | None) -> str:
    """Trim, drop NUL and control characters, cap the length; Bangla digits become Western."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable())[:MAX_QUERY]
    return " ".join(text.split())


def school_search(query: str | None, *, upazila_id: int | None = None) -> QuerySet[School]:
    """Open schools whose EIIN starts with the digits typed, or whose Bangla or English name
    contains the words typed (all of them, any order)."""
    q = clean_query(query)
    schools = School.objects.filter(is_active=True).select_related("upazila", "district")
    if upazila_id is not None:
        schools = schools.filter(upazila_id=upazila_id)
    if not q:
        return schools.order_by("name_en", "eiin")
    digits = to_western_digits(q).replace(" ", "")
    if digits.isdigit():
        return schools.filter(eiin__startswith=digits).order_by("eiin")
    condition = Q()
    for word in q.split()[:6]:
        condition &= Q(name_bn__icontains=word) | Q(name_en__icontains=word)
    return schools.filter(condition).order_by("name_en", "eiin")
