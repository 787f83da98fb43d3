"""Is the service healthy? The database, the cache, the task worker's heartbeat and stuck tasks, for /healthz.

The worker (`manage.py run_worker`) runs a daemon thread that upserts its WorkerHeartbeat row every
SHIKHON_WORKER_HEARTBEAT_INTERVAL seconds; /healthz calls the worker alive while some row is newer than
SHIKHON_WORKER_HEARTBEAT_MAX_AGE seconds. The heartbeat shows the process is up and can reach the
database; a task that runs for a long time does not make it stale.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from shikhon.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
STALE = "stale"
MISSING = "missing"
STUCK = "stuck"
NOT_REQUIRED = "not_required"  # tasks run in the web process (immediate backend): no worker to watch

# Rows of workers that stopped without saying goodbye are removed after this long.
HEARTBEAT_KEEP = timedelta(days=1)


# --- the worker's side -------------------------------------------------------------------------


def heartbeat_beat(*, worker_id: str, started_at: datetime, now: datetime | None = None) -> WorkerHeartbeat:
    """Record that this worker process is alive now."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now or timezone.now(),
        },
    )
    return beat


def heartbeat_clear(*, worker_id: str) -> None:
    """A worker that stops cleanly removes its row, so /healthz does not count it any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeats_prune(*, now: datetime | None = None) -> int:
    """Forget workers not seen for a day (they were killed, or their machine went away)."""
    cutoff = (now or timezone.now()) - HEARTBEAT_KEEP
    deleted, _ = WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).delete()
    return deleted


class HeartbeatThread(threading.Thread):
    """Beats every `interval` seconds until stopped (call beat_once() first to beat at once).

    With `reap_interval`, it also takes back the tasks of dead workers (shikhon.core.reaper) that often
    (checked after each beat), first at once; with `schedule_interval`, it enqueues the periodic jobs that are
    due (shikhon.core.schedule) that often, first at once. Errors are logged, never fatal: the next beat tries
    again."""

    def __init__(self, *, worker_id: str, interval: float, reap_interval: float | None = None,
                 schedule_interval: float | None = None) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.reap_interval = reap_interval
        self.schedule_interval = schedule_interval
        self.started_at = timezone.now()
        self.beats = 0
        self.reaped = 0
        self.scheduled = 0
        self._last_reap: float | None = None
        self._last_schedule: float | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            self.reap_if_due()
            self.schedule_if_due()
            while not self._stop_event.wait(self.interval):
                self.beat_once()
                self.reap_if_due()
                self.schedule_if_due()
        finally:
            connection.close()  # this thread's own connection

    def _due(self, interval: float | None, last: str) -> bool:
        """Whether the chore whose last run is in attribute `last` is due now (and mark it run)."""
        if interval is None:
            return False
        now = time.monotonic()
        previous: float | None = getattr(self, last)
        if previous is not None and now - previous < interval:
            return False
        setattr(self, last, now)
        return True

    def _chore(self, run: Callable[[], int], failure: str) -> int:
        """Run one chore on this thread's connection; a failure is logged and counted as nothing done."""
        try:
            close_old_connections()
            return run()
        except Exception:  # the database may be briefly away; the next round tries again
            logger.exception("%s failed (worker %s)", failure, self.worker_id)
            connection.close()
            return 0

    def schedule_if_due(self) -> None:
        if self.schedule_interval and self._due(self.schedule_interval, "_last_schedule"):  # 0: off
            from shikhon.core.schedule import jobs_run_due

            self.scheduled += self._chore(lambda: len(jobs_run_due(worker_id=self.worker_id).enqueued),
                                          "Checking the periodic jobs")

    def reap_if_due(self) -> None:
        if self._due(self.reap_interval, "_last_reap"):
            from shikhon.core.reaper import tasks_reap

            self.reaped += self._chore(lambda: tasks_reap().count, "Reaping the tasks of dead workers")

    def beat_once(self) -> None:
        try:
            close_old_connections()
            heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)
            self.beats += 1
        except Exception:  # the database may be briefly away; the next beat tries again
            logger.exception("Worker heartbeat for %s failed", self.worker_id)
            connection.close()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)


# --- the checks ----------------------------------------------------------------------------------


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        return ERROR
    return OK if row is not None and row[0] == 1 else ERROR


def check_cache() -> str:
    key = f"healthz:{get_random_string(16)}"
    value = get_random_string(16)
    try:
        cache.set(key, value, timeout=10)
        seen = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("Health check: cache unreachable")
        return ERROR
    return OK if seen == value else ERROR


def worker_required() -> bool:
    """A worker is part of the service when tasks go to the database queue."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def check_worker(*, now: datetime | None = None) -> str:
    if not worker_required():
        return NOT_REQUIRED
    now = now or timezone.now()
    max_age = timedelta(seconds=settings.SHIKHON_WORKER_HEARTBEAT_MAX_AGE)
    try:
        newest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    except Exception:
        logger.exception("Health check: could not read worker heartbeats")
        return ERROR
    if newest is None:
        return MISSING
    return OK if now - newest <= max_age else STALE


def check_tasks(*, now: datetime | None = None) -> tuple[str, int]:
    """`stuck` (and how many) when some task has been RUNNING for longer than SHIKHON_TASK_STUCK_AFTER.

    The reaper takes back the tasks of dead workers within a minute or two, so a task still running
    after the limit means a live worker is hung on it, or the reaper is not running."""
    if not worker_required():
        return NOT_REQUIRED, 0
    from shikhon.core.reaper import tasks_stuck

    try:
        stuck = tasks_stuck(now=now)
    except Exception:
        logger.exception("Health check: could not count stuck tasks")
        return ERROR, 0
    return (STUCK if stuck else OK), stuck


HEALTHY = frozenset({OK, NOT_REQUIRED})


@dataclass(frozen=True)
class HealthReport:
    checks: dict[str, str] = field(default_factory=dict)
    stuck_tasks: int = 0

    @property
    def failed(self) -> list[str]:
        return [name for name, state in self.checks.items() if state not in HEALTHY]

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"status": "ok" if self.ok else "fail", "checks": dict(self.checks)}
        if self.stuck_tasks:
            body["stuck_tasks"] = self.stuck_tasks
        if not self.ok:
            body["failed"] = self.failed
        return body


def run_checks(*, include_worker: bool = True) -> HealthReport:
    checks = {"database": check_database(), "cache": check_cache()}
    stuck = 0
    if include_worker:
        checks["worker"] = check_worker() if checks["database"] == OK else ERROR
        checks["tasks"], stuck = check_tasks() if checks["database"] == OK else (ERROR, 0)
    return HealthReport(checks=checks, stuck_tasks=stuck)
