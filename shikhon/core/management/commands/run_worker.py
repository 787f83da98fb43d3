"""The task worker: django-tasks-db's db_worker, plus a heartbeat that /healthz reads, the reaper that
takes back the tasks of workers that died mid-task (shikhon.core.reaper) and the schedule that enqueues the
periodic jobs when they are due (shikhon.core.schedule), all from one daemon thread."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from shikhon.core import health


class Command(DbWorkerCommand):
    help = (
        "Run the background task worker (all queues by default). While it runs, a daemon thread writes "
        "its heartbeat to the database every SHIKHON_WORKER_HEARTBEAT_INTERVAL seconds for /healthz, and every "
        "SHIKHON_TASK_REAP_INTERVAL seconds puts back the tasks of workers that died while running them, and every "
        "SHIKHON_SCHEDULE_INTERVAL seconds enqueues the periodic jobs that are due (each slot once, whatever the "
        "number of workers; `manage.py schedule` lists them)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")

    def handle(self, *args: Any, **options: Any) -> None:
        options["queue_name"] = options.get("queue_name") or "*"
        # With --reload the outer process only watches files; the child that runs tasks beats.
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(*args, **options)
            return
        worker_id: str = options["worker_id"]
        health.heartbeats_prune()
        beat = health.HeartbeatThread(worker_id=worker_id, interval=settings.SHIKHON_WORKER_HEARTBEAT_INTERVAL,
                                      reap_interval=settings.SHIKHON_TASK_REAP_INTERVAL,
                                      schedule_interval=settings.SHIKHON_SCHEDULE_INTERVAL)
        beat.beat_once()  # alive before the first task is picked up
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            beat.stop()
            try:
                health.heartbeat_clear(worker_id=worker_id)
            except Exception:  # noqa: S110 - the database may be the reason we stop; the row then ages out
                pass
