"""Take back, once, the tasks of workers that died while running them (every worker also does this)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shikhon.core.reaper import tasks_reap


class Command(BaseCommand):
    help = (
        "Put back in the queue the RUNNING tasks whose worker's heartbeat has gone silent for "
        "SHIKHON_TASK_REAP_AFTER seconds; fail those already reaped SHIKHON_TASK_MAX_REAPS times."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = tasks_reap()
        self.stdout.write(f"requeued {len(report.requeued)}, failed {len(report.failed)}")
