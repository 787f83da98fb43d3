"""The shared shape of every app's `access_<thing>(user, id)` (DESIGN 16): parse the id as a person typed it,
load the one row from what she may see, and answer the same 404 for a malformed id, a missing row and a
hidden one (no existence leaks)."""

from __future__ import annotations

import re
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from shikhon.core.bangla import to_western_digits

MAX_PK = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def parse_pk(raw: object) -> int | None:
    """A positive database id from a URL or query string (Western or Bangla digits), or None for anything else."""
    text = to_western_digits(str(raw or "").strip())
    if not _DIGITS.fullmatch(text) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_PK else None


def row_or_404(rows: QuerySet[M], raw_id: object) -> M:
    """The row of `rows` (already narrowed to what the person may see) with this id, else Http404."""
    pk = parse_pk(raw_id)
    return found_or_404(rows.filter(pk=pk).first() if pk else None)


def found_or_404(found: T | None) -> T:
    """What a lookup found, or Http404 when it found nothing (for lookups by something other than an id)."""
    if found is None:
        raise Http404
    return found
