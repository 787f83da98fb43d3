"""The task worker: django-tasks-db's db_worker, plus a heartbeat that /healthz reads."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Run the background task worker (all queues) with a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        options["queue_name"] = options.get("queue_name") or "*"
        super().handle(*args, **options)
