"""Views and downloads counted without a write per request (owned by the search part: it replaces this)."""

from __future__ import annotations


def count_view(content_id: int) -> None:
    return None


def count_download(content_id: int) -> None:
    return None
