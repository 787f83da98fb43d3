"""Every list answers one page: `limit` items (1–100, 50 by default) of page `page` (from 1)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from shikhon.places.selectors import MAX_QUERY

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_PAGE = 10_000
# Ids are 64-bit in the database; anything larger cannot exist, and SQLite would overflow on it.
MAX_ID = 2**63 - 1


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page, 1 to 100.")

    @property
    def start(self) -> int:
        return (self.page - 1) * self.limit


# Control characters (NUL, newlines, C1) are refused; joiners (ZWJ, ZWNJ) are fine: Bangla needs them.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f-\x9f]*$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def search_text(description: str) -> Any:
    return Field("", max_length=MAX_QUERY, pattern=NO_CONTROL_CHARACTERS, description=description)


class SearchParams(PageParams):
    q: str = search_text("Words of the name (Bangla or English).")

    @field_validator("q", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        # Before the pattern check, so that the caller reads a sentence rather than a regex.
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValueError(_("The search text contains control characters. Type plain letters and digits."))
        return value


def paginate(queryset: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    """Two queries: the count and the page. A page past the end is empty, not an error."""
    count = queryset.count()
    start = params.start
    return {
        "count": count,
        "page": params.page,
        "pages": -(-count // params.limit),
        "limit": params.limit,
        "items": list(queryset[start:start + params.limit]) if start < count else [],
    }


def paginate_list(items: QuerySet[Any] | Sequence[Any], params: PageParams) -> dict[str, Any]:
    """`paginate` for a queryset or a list already read (a selector's rows); the page's items as a list."""
    if isinstance(items, QuerySet):
        return paginate(items, params)
    count = len(items)
    start = params.start
    return {"count": count, "page": params.page, "pages": -(-count // params.limit), "limit": params.limit,
            "items": list(items[start:start + params.limit])}
