"""Takes back the tasks of workers that died while running them.

django-tasks-db marks a task RUNNING when a worker claims it (appending the worker's id to
`DBTaskResult.worker_ids`) and never looks at it again: a worker killed mid-task (SIGKILL, the machine
lost, out of memory) leaves its task RUNNING for ever. Our workers (`manage.py run_worker`) write a
heartbeat row under the same worker id (shikhon.core.health), so a RUNNING task whose last claimer has
no fresh heartbeat, or whose heartbeat belongs to a later process started under the same id, was
abandoned. The reaper puts such a task back (READY, run again by the next free worker) and records a
`TaskReap`; after SHIKHON_TASK_MAX_REAPS reaps of one task it gives up and marks it FAILED with the
reason, so a task that kills its worker every time (a video that exhausts memory) cannot loop for ever.
Then `task_given_up` is sent, so the app whose work it was can tell the person waiting for it.

Every running worker reaps every SHIKHON_TASK_REAP_INTERVAL seconds (from its heartbeat thread);
`manage.py reap_tasks` does the same once, for cron. Rows are locked with SELECT … FOR UPDATE SKIP
LOCKED on PostgreSQL (two workers reaping at once take different rows) and inside an exclusive
transaction on SQLite, exactly as django-tasks-db claims tasks; each row is checked again once locked.

Every task must therefore be idempotent: a reaped task may have done part (or all) of its work before
its worker died, and runs again from the start.

A task is only reaped when it started more than SHIKHON_TASK_REAP_AFTER seconds ago, so a task claimed
by a worker that has not yet written its first heartbeat is safe. Tasks claimed by a plain `db_worker`
(which writes no heartbeat) would look abandoned: run every worker through `run_worker`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import django.dispatch
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from shikhon.core.models import TaskReap, WorkerHeartbeat

logger = logging.getLogger(__name__)

RUNNING = "RUNNING"
READY = "READY"
FAILED = "FAILED"

# Sent (after the reap is committed) when a task is given up: sender is the task's path
# ("shikhon.media.tasks.video_process_task"), with `task_id`, `args` and `kwargs` of the task.
task_given_up = django.dispatch.Signal()


class WorkerLost(Exception):  # noqa: N818 - the name reads as the reason in the task's record
    """The exception class recorded on a task given up by the reaper."""


WORKER_LOST_PATH = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


@dataclass
class ReapReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.requeued) + len(self.failed)


def reap_after() -> timedelta:
    """How long a worker's heartbeat may be silent before its running tasks are taken back."""
    return timedelta(seconds=float(settings.SHIKHON_TASK_REAP_AFTER))


def _claimer(task: DBTaskResult) -> str:
    ids = task.worker_ids or []
    return str(ids[-1]) if ids else ""


def _abandoned(task: DBTaskResult, live: dict[str, datetime]) -> bool:
    """True when the worker that claimed `task` is gone: no fresh heartbeat under its id, or the fresh
    heartbeat is of a process started after the task (the same id reused by a restarted worker)."""
    started = live.get(_claimer(task))
    if started is None:
        return True
    return task.started_at is not None and task.started_at < started


def tasks_reap(*, now: datetime | None = None, max_reaps: int | None = None) -> ReapReport:
    """Put back (or, after `max_reaps` reaps, fail) the RUNNING tasks of dead workers. Safe to run from
    several processes at once: each row is taken under a lock and checked again."""
    now = now or timezone.now()
    limit = int(settings.SHIKHON_TASK_MAX_REAPS if max_reaps is None else max_reaps)
    cutoff = now - reap_after()
    report = ReapReport()
    given_up: list[tuple[str, str, dict[str, Any]]] = []

    candidates = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=cutoff)
    with exclusive_transaction(candidates.db):
        live = dict(
            WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", "started_at")
        )
        for task in candidates.select_for_update(skip_locked=True).order_by("started_at"):
            if task.status != RUNNING or not _abandoned(task, live):
                continue
            worker_id = _claimer(task)
            task_started_at = task.started_at
            reaps = TaskReap.objects.filter(task_id=task.id).count()
            if reaps >= limit:
                outcome = TaskReap.Outcome.FAILED
                task.status = FAILED
                task.finished_at = now
                task.return_value = None
                task.exception_class_path = WORKER_LOST_PATH
                task.traceback = (
                    f"{WORKER_LOST_PATH}: the worker running this task stopped without finishing it "
                    f"{reaps + 1} times (last: {worker_id or 'unknown'}); given up instead of trying again.\n"
                )
                task.save(update_fields=["status", "finished_at", "return_value", "exception_class_path",
                                         "traceback"])
                report.failed.append(str(task.id))
                args_kwargs = task.args_kwargs or {}
                given_up.append((task.task_path, str(task.id), args_kwargs))
            else:
                outcome = TaskReap.Outcome.REQUEUED
                task.status = READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                report.requeued.append(str(task.id))
            reap = TaskReap(task_id=task.id, task_path=task.task_path[:255], worker_id=worker_id[:64],
                            outcome=outcome, started_at=task_started_at, reaped_at=now)
            reap.full_clean()
            reap.save()
            logger.warning("Task %s (%s) of dead worker %s: %s (reap %d of %d)",
                           task.id, task.task_path, worker_id or "unknown", outcome, reaps + 1, limit)

    for task_path, task_id, args_kwargs in given_up:
        try:
            task_given_up.send(sender=task_path, task_id=task_id, args=list(args_kwargs.get("args", [])),
                               kwargs=dict(args_kwargs.get("kwargs", {})))
        except Exception:
            logger.exception("A receiver of task_given_up failed for task %s (%s)", task_id, task_path)
    return report


def tasks_stuck(*, now: datetime | None = None) -> int:
    """How many tasks have been RUNNING for longer than SHIKHON_TASK_STUCK_AFTER seconds (for /healthz)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=float(settings.SHIKHON_TASK_STUCK_AFTER))
    return DBTaskResult.objects.filter(status=RUNNING, started_at__lt=cutoff).count()
