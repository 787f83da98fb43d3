"""The nudge task (a periodic job, practice/periodic_nudges.py): send each teacher's nudge due now. Safe to run
twice: a teacher nudged this week, or an event nudged already, is skipped; at night it sends nothing."""

from __future__ import annotations

from django_tasks import task


@task()
def practice_nudges_task() -> int:
    from shikhon.practice.services.nudges import nudges_send

    return nudges_send()
