"""Thin task wrappers of the search part (the counters' flush; idempotent: a second run moves nothing twice)."""

from __future__ import annotations

from django_tasks import task


@task()
def counters_flush() -> dict[str, int | bool]:
    """Move the views and downloads counted in the cache into the contents' rows (periodic job, every 5 minutes:
    registry_search.py); skipped while another flush runs."""
    from shikhon.library.counters import flush_counters

    return flush_counters().as_dict()
