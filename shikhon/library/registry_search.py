"""The search part's vocabulary in the registries lower apps keep (notification kinds, audit actions, periodic jobs,
offline sync kinds, upload uses): called from LibraryConfig.ready. Search registers the counters' flush (every 5
minutes) and, on SQLite, makes sure the full-text index's triggers survive later migrations of library_content."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_migrate

from shikhon.core.schedule import PeriodicJob, every, periodic_jobs

COUNTERS_FLUSH = "library_counters_flush"


def _ensure_sqlite_search(*, using: str = "default", **kwargs: Any) -> None:
    from shikhon.library.search import ensure_sqlite_index

    ensure_sqlite_index(using=using)


def register() -> None:
    from shikhon.library.tasks_search import counters_flush

    periodic_jobs.add(PeriodicJob(
        name=COUNTERS_FLUSH, run=counters_flush, when=every(minutes=5),
        description="move the library's views and downloads counted in the cache into the contents' rows (one "
                    "UPDATE per content)"))
    post_migrate.connect(_ensure_sqlite_search, dispatch_uid="shikhon-library-sqlite-search")
