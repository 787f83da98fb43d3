"""Thin task wrappers around recognition's services (idempotent: a second run does nothing more)."""

from __future__ import annotations

from django_tasks import task


@task()
def champions_weekly_task() -> dict[str, str | None]:
    """The daily champions run (periodic job): see services.champions_weekly_run."""
    from shikhon.recognition.services import champions_weekly_run

    return champions_weekly_run()
