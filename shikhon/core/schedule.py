"""Periodic jobs without cron: each app registers its jobs from `AppConfig.ready`, every task worker
(`manage.py run_worker`) checks which are due from its heartbeat thread and enqueues each due job once.

    periodic_jobs.add(PeriodicJob(name="certificates_issue_missing", run=certificates_issue_missing_task,
                                  when=daily_at("02:00"), description="…"))

`run` is a django-tasks task enqueued with no arguments, or a callable that enqueues one (and may return
its TaskResult). `when` is `every(minutes=…)` / `every(hours=…)` or `daily_at("HH:MM")`, a Dhaka time
(Asia/Dhaka, UTC+6 all year). Time is cut into *slots*: the moments a job should run. `every` slots are
whole multiples of the period counted from a Monday midnight in Dhaka (so `every(hours=6)` runs at 00:00,
06:00, 12:00 and 18:00 Dhaka); a `daily_at` slot is that time on each Dhaka day. At any moment a job's
current slot is the latest slot not after it, and the job is due when its current slot is later than the
last slot claimed for it.

Exactly once across workers and machines: `ScheduledJob` keeps one row per job with the last slot claimed.
A worker claims a slot with one conditional UPDATE (`… SET last_slot = slot WHERE name = … AND last_slot <
slot`) and enqueues the task in the same transaction; a second worker's UPDATE finds the slot taken (on
PostgreSQL it waits for the first transaction, then reads the new row; SQLite runs one writer at a time), so
it updates nothing and enqueues nothing. With the database task backend the task row commits with the claim:
an enqueue that fails rolls the claim back and the next check tries again.

A slot missed while every worker was down runs once when a worker comes back (only the current slot is
claimed, never each missed one). A job with `late_limit` skips a slot once it is more than that late (the
next slot runs): for work that must not happen at the wrong hour. A job seen for the first time runs at its
current slot. Every job's task must be idempotent, like every task (a worker may die mid-task and be reaped).
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task

from shikhon.core.clock import DHAKA
from shikhon.core.models import ScheduledJob
from shikhon.core.registry import Registry

logger = logging.getLogger(__name__)

# The grid `every` slots are counted from: Monday 3 January 2000, 00:00 in Dhaka (arithmetic in UTC).
GRID_START = datetime(2000, 1, 2, 18, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)", flags=re.ASCII)


def _aware(now: datetime) -> datetime:
    if timezone.is_naive(now):
        raise ValueError(f"a schedule needs an aware datetime, got the naive {now!r}")
    return now


@dataclass(frozen=True)
class Every:
    """Every `period` (whole minutes, at least one), on a grid that starts at a Monday midnight in Dhaka."""

    period: timedelta

    def __post_init__(self) -> None:
        if self.period < timedelta(minutes=1) or self.period % timedelta(minutes=1):
            raise ImproperlyConfigured(f"A periodic job runs every whole number of minutes, not every {self.period}.")

    def slot_at(self, now: datetime) -> datetime:
        """The latest slot not after `now` (UTC)."""
        steps = (_aware(now) - GRID_START) // self.period
        return GRID_START + steps * self.period

    def slot_after(self, slot: datetime) -> datetime:
        return slot + self.period

    def __str__(self) -> str:
        minutes = int(self.period / timedelta(minutes=1))
        if minutes % 60 == 0:
            return f"every {minutes // 60} hour(s)"
        return f"every {minutes} minute(s)"


@dataclass(frozen=True)
class DailyAt:
    """Each day at `at`, a time of day in Dhaka (whole minutes)."""

    at: time

    def __post_init__(self) -> None:
        if not isinstance(self.at, time) or self.at.tzinfo is not None or self.at.second or self.at.microsecond:
            raise ImproperlyConfigured(
                f"A daily job runs at a whole minute of Dhaka's day, given as 'HH:MM'; {self.at!r} is not one.")

    def slot_at(self, now: datetime) -> datetime:
        """The latest Dhaka `at` not after `now` (UTC)."""
        local = _aware(now).astimezone(DHAKA)
        slot = datetime.combine(local.date(), self.at, tzinfo=DHAKA)
        if slot > local:
            slot = datetime.combine(local.date() - DAY, self.at, tzinfo=DHAKA)
        return slot.astimezone(UTC)

    def slot_after(self, slot: datetime) -> datetime:
        day = slot.astimezone(DHAKA).date() + DAY
        return datetime.combine(day, self.at, tzinfo=DHAKA).astimezone(UTC)

    def __str__(self) -> str:
        return f"daily at {self.at:%H:%M} Dhaka"


When = Every | DailyAt


def every(*, minutes: int = 0, hours: int = 0) -> Every:
    """`every(minutes=15)`, `every(hours=6)`: one of the two, a positive whole number."""
    if (minutes and hours) or not (minutes or hours):
        raise ImproperlyConfigured("Give a periodic job either minutes or hours, one of them.")
    for value in (minutes, hours):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ImproperlyConfigured(f"A periodic job's minutes or hours are a positive whole number, not {value!r}.")
    return Every(timedelta(minutes=minutes, hours=hours))


def daily_at(at: str | time) -> DailyAt:
    """`daily_at("02:00")`: each day at that time in Dhaka (24-hour, two digits each, "00:00" to "23:59")."""
    if isinstance(at, str):
        match = HH_MM.fullmatch(at)
        if not match:
            raise ImproperlyConfigured(f"A daily job's time is 'HH:MM' in Dhaka, from '00:00' to '23:59'; "
                                       f"{at!r} is not one.")
        at = time(int(match[1]), int(match[2]))
    return DailyAt(at)


Runner = Task | Callable[[], object]  # type: ignore[type-arg]


@dataclass(frozen=True)
class PeriodicJob:
    name: str  # registered once; the key of its ScheduledJob row (at most 40 characters)
    run: Runner  # a task enqueued with no arguments, or a callable that enqueues one
    when: When
    description: str = ""  # what it does, for `manage.py schedule`
    late_limit: timedelta | None = None  # a slot later than this is skipped (None: always run, however late)

    def __post_init__(self) -> None:
        if not isinstance(self.when, Every | DailyAt):
            raise ImproperlyConfigured(f"The periodic job {self.name!r} needs `when`: every(…) or daily_at(…).")
        if isinstance(self.run, Task):
            try:
                inspect.signature(self.run.func).bind()
            except TypeError:
                raise ImproperlyConfigured(
                    f"The periodic job {self.name!r} enqueues {self.run.name} with no arguments, but it needs "
                    f"some: give it defaults, or register a callable that enqueues it with them.") from None
        elif not callable(self.run):
            raise ImproperlyConfigured(f"The periodic job {self.name!r} runs a task or a callable that enqueues "
                                       f"one, not {self.run!r}.")
        if self.late_limit is not None and self.late_limit <= timedelta(0):
            raise ImproperlyConfigured(f"The periodic job {self.name!r} has a late limit that is not positive.")

    def is_due(self, *, now: datetime, last_slot: datetime | None) -> bool:
        """Due at `now` when its current slot is after the last one claimed and, with a late limit, not too late."""
        slot = self.when.slot_at(now)
        if last_slot is not None and last_slot >= slot:
            return False
        return self.late_limit is None or now - slot <= self.late_limit

    def next_run(self, *, now: datetime, last_slot: datetime | None) -> datetime:
        """When it will run next: `now` if due, else its next slot."""
        if self.is_due(now=now, last_slot=last_slot):
            return now
        return self.when.slot_after(self.when.slot_at(now))

    def enqueue(self) -> str:
        """Enqueue its task; the task's id when known."""
        result = self.run.enqueue() if isinstance(self.run, Task) else self.run()
        return str(getattr(result, "id", "") or "")[:64]


periodic_jobs: Registry[PeriodicJob] = Registry("periodic job")


# --- claiming and running ------------------------------------------------------------------------


def _ensure_rows(names: Iterable[str]) -> None:
    """A row (never run) for each job that has none: INSERT … ON CONFLICT DO NOTHING, safe when racing."""
    ScheduledJob.objects.bulk_create([ScheduledJob(name=name) for name in names], ignore_conflicts=True)


def slot_claim(*, name: str, slot: datetime, now: datetime, worker_id: str = "") -> bool:
    """Claim `slot` of the job `name` (whose row exists): True for exactly one caller per slot, whatever
    the number of processes. Call it inside the transaction that enqueues the job's task."""
    claimed = ScheduledJob.objects.filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot), name=name).update(
        last_slot=slot, last_run_at=now, last_worker=worker_id[:64], last_task_id="")
    return claimed == 1


@dataclass
class ScheduleReport:
    enqueued: list[str] = field(default_factory=list)  # jobs this call enqueued
    taken: list[str] = field(default_factory=list)  # due, but another worker claimed the slot first
    failed: list[str] = field(default_factory=list)  # the enqueue raised: not claimed, tried again next time


def jobs_run_due(*, now: datetime | None = None, jobs: Iterable[PeriodicJob] | None = None,
                 worker_id: str = "") -> ScheduleReport:
    """Enqueue every due job once (each in its own transaction with its claim). One query when nothing is
    due. A job whose enqueue fails is logged and left unclaimed; the others still run."""
    now = _aware(now or timezone.now())
    entries = list(periodic_jobs if jobs is None else jobs)
    report = ScheduleReport()
    if not entries:
        return report
    last = dict(ScheduledJob.objects.filter(name__in=[job.name for job in entries])
                .values_list("name", "last_slot"))
    due = [job for job in entries if job.is_due(now=now, last_slot=last.get(job.name))]
    missing = [job.name for job in due if job.name not in last]
    if missing:
        _ensure_rows(missing)
    for job in due:
        slot = job.when.slot_at(now)
        try:
            with transaction.atomic():
                if not slot_claim(name=job.name, slot=slot, now=now, worker_id=worker_id):
                    report.taken.append(job.name)
                    continue
                task_id = job.enqueue()
                if task_id:
                    ScheduledJob.objects.filter(name=job.name).update(last_task_id=task_id)
        except Exception:
            logger.exception("The periodic job %s could not be enqueued for %s; trying again at the next check",
                             job.name, slot.astimezone(DHAKA).isoformat())
            report.failed.append(job.name)
        else:
            report.enqueued.append(job.name)
            logger.info("Periodic job %s enqueued for %s", job.name, slot.astimezone(DHAKA).isoformat())
    return report


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobState:
    job: PeriodicJob
    last_slot: datetime | None
    last_run_at: datetime | None
    last_worker: str
    last_task_id: str
    due: bool
    next_run: datetime


def jobs_overview(*, now: datetime | None = None, jobs: Iterable[PeriodicJob] | None = None) -> list[JobState]:
    """Each registered job with its last run and its next (one query)."""
    now = _aware(now or timezone.now())
    entries = list(periodic_jobs if jobs is None else jobs)
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=[job.name for job in entries])}
    states = []
    for job in sorted(entries, key=lambda j: j.name):
        row = rows.get(job.name)
        last_slot = row.last_slot if row else None
        states.append(JobState(
            job=job, last_slot=last_slot, last_run_at=row.last_run_at if row else None,
            last_worker=row.last_worker if row else "", last_task_id=row.last_task_id if row else "",
            due=job.is_due(now=now, last_slot=last_slot), next_run=job.next_run(now=now, last_slot=last_slot)))
    return states
