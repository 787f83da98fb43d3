"""Periodic jobs (shikhon.core.schedule): registration is checked, slots are computed in Dhaka's time, and each
due slot is enqueued once — by one process or by several racing on one SQLite or PostgreSQL database.

Every test gives the moment it means; none reads the wall clock."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django_tasks import task
from hypothesis import given
from hypothesis import strategies as st

from shikhon.core import schedule
from shikhon.core.clock import DHAKA
from shikhon.core.models import ScheduledJob
from shikhon.core.registry import Registry
from shikhon.core.schedule import DailyAt, Every, PeriodicJob, daily_at, every, jobs_overview, jobs_run_due

BASE_DIR = Path(settings.BASE_DIR)


def dhaka(*args: int) -> datetime:
    return datetime(*args, tzinfo=DHAKA)  # type: ignore[misc]


RAN: list[str] = []


@task()
def noted_task() -> str:
    """A task a test schedules (the immediate backend runs it when enqueued)."""
    RAN.append("noted")
    return "noted"


@task()
def needs_an_id_task(*, video_id: int) -> int:
    return video_id


class Calls:
    """A callable job that counts its runs (and can be told to fail)."""

    def __init__(self) -> None:
        self.count = 0
        self.fail = False

    def __call__(self) -> None:
        if self.fail:
            raise RuntimeError("the queue is away")
        self.count += 1


# --- registration ----------------------------------------------------------------------------------


def test_a_name_is_registered_once():
    jobs: Registry[PeriodicJob] = Registry("periodic job")
    jobs.add(PeriodicJob(name="sweep", run=Calls(), when=daily_at("02:00")))
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        jobs.add(PeriodicJob(name="sweep", run=Calls(), when=every(hours=1)))
    with pytest.raises(ImproperlyConfigured, match="lowercase"):
        jobs.add(PeriodicJob(name="Daily-Sweep", run=Calls(), when=every(hours=1)))


def test_the_apps_register_their_daily_sweeps_at_two_in_the_night():
    for name in ("certificates_issue_missing", "training_certificates_issue_missing"):
        job = schedule.periodic_jobs.get(name)
        assert job.when == DailyAt(time(2, 0))
        with pytest.raises(ImproperlyConfigured, match="registered twice"):
            schedule.periodic_jobs.add(PeriodicJob(name=name, run=Calls(), when=every(hours=1)))


@pytest.mark.parametrize("bad", ["24:00", "2:00", "02:60", "02:00:00", "", "০২:০০", "02.00", " 02:00"])
def test_a_daily_time_that_is_not_hh_mm_is_refused(bad):
    with pytest.raises(ImproperlyConfigured, match="HH:MM"):
        daily_at(bad)


@pytest.mark.parametrize("bad", [time(2, 0, 30), time(2, 0, tzinfo=UTC), "02:00"])
def test_a_daily_time_with_seconds_or_a_zone_is_refused(bad):
    with pytest.raises(ImproperlyConfigured):
        DailyAt(bad)


@pytest.mark.parametrize("kwargs", [{}, {"minutes": 0}, {"minutes": 5, "hours": 1}, {"minutes": -5},
                                    {"hours": -1}, {"minutes": "15"}, {"minutes": True}, {"hours": 1.5}])
def test_every_needs_one_positive_whole_number(kwargs):
    with pytest.raises(ImproperlyConfigured):
        every(**kwargs)


def test_every_period_is_whole_minutes():
    assert every(minutes=15) == Every(timedelta(minutes=15))
    assert every(hours=6) == Every(timedelta(hours=6))
    with pytest.raises(ImproperlyConfigured):
        Every(timedelta(seconds=90))


def test_a_job_needs_a_runner_a_when_and_a_positive_late_limit():
    with pytest.raises(ImproperlyConfigured, match="no arguments"):
        PeriodicJob(name="needs_args", run=needs_an_id_task, when=every(hours=1))
    with pytest.raises(ImproperlyConfigured, match="callable"):
        PeriodicJob(name="not_callable", run="shikhon.core.tasks.send_sms_task", when=every(hours=1))  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfigured, match="when"):
        PeriodicJob(name="no_when", run=Calls(), when="02:00")  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfigured, match="late limit"):
        PeriodicJob(name="late", run=Calls(), when=every(hours=1), late_limit=timedelta(0))
    PeriodicJob(name="fine", run=noted_task, when=every(hours=1), late_limit=timedelta(hours=2))


# --- slots -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("now, slot", [
    (dhaka(2026, 12, 4, 1, 30), dhaka(2026, 12, 3, 2, 0)),  # 01:30 Dhaka: still last night's slot
    (dhaka(2026, 12, 4, 2, 0), dhaka(2026, 12, 4, 2, 0)),  # the slot's own minute
    (dhaka(2026, 12, 4, 1, 59, 59), dhaka(2026, 12, 3, 2, 0)),
    (datetime(2026, 12, 3, 20, 30, tzinfo=UTC), dhaka(2026, 12, 4, 2, 0)),  # 20:30 UTC is 02:30 tomorrow in Dhaka
    (datetime(2026, 12, 31, 19, 0, tzinfo=UTC), dhaka(2026, 12, 31, 2, 0)),  # 01:00 on New Year's Day in Dhaka
])
def test_daily_slot_is_the_latest_dhaka_time_not_after_now(now, slot):
    assert daily_at("02:00").slot_at(now) == slot
    assert daily_at("02:00").slot_after(slot) == slot + timedelta(days=1)


@pytest.mark.parametrize("when, now, slot", [
    (every(hours=6), dhaka(2026, 12, 3, 7, 15), dhaka(2026, 12, 3, 6, 0)),  # 00, 06, 12, 18 in Dhaka
    (every(hours=6), dhaka(2026, 12, 4, 1, 30), dhaka(2026, 12, 4, 0, 0)),
    (every(minutes=15), dhaka(2026, 12, 3, 10, 7), dhaka(2026, 12, 3, 10, 0)),
    (every(hours=24), dhaka(2026, 12, 3, 23, 59), dhaka(2026, 12, 3, 0, 0)),  # midnight in Dhaka, not in UTC
])
def test_every_slot_is_on_a_grid_from_midnight_in_dhaka(when, now, slot):
    assert when.slot_at(now) == slot


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="naive"):
        daily_at("02:00").slot_at(datetime(2026, 12, 3, 2, 0))  # noqa: DTZ001 - the point of the test


# From 2010: Bangladesh kept daylight saving time for the second half of 2009 only (the code follows the zone's
# rules then too, but a Dhaka day was not 24 hours long at its edges).
moments = st.datetimes(min_value=datetime(2010, 1, 2), max_value=datetime(2100, 1, 1),  # noqa: DTZ001
                       timezones=st.just(UTC))
whens = st.one_of(
    st.builds(lambda h, m: daily_at(f"{h:02d}:{m:02d}"), st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda n: every(minutes=n), st.integers(1, 3 * 24 * 60)),
)


@given(when=whens, now=moments, later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)))
def test_slots_are_the_latest_run_time_not_after_now(when, now, later):
    slot = when.slot_at(now)
    following = when.slot_after(slot)
    assert slot <= now < following  # now lies in its slot
    assert when.slot_at(slot) == slot and when.slot_at(following) == following  # slots are fixed points
    assert when.slot_at(now + later) >= slot  # never goes back
    if isinstance(when, DailyAt):
        assert slot.astimezone(DHAKA).time() == when.at
        assert following - slot == timedelta(days=1)  # Dhaka keeps UTC+6 all year
    else:
        assert (slot - schedule.GRID_START) % when.period == timedelta(0)
        assert following - slot == when.period


@given(when=whens, now=moments, last_back=st.integers(0, 5), late=st.timedeltas(min_value=timedelta(minutes=1),
                                                                                  max_value=timedelta(days=2)))
def test_due_means_a_newer_slot_than_the_last_one_run(when, now, last_back, late):
    job = PeriodicJob(name="prop", run=Calls(), when=when)
    slot = when.slot_at(now)
    last = slot
    for _ in range(last_back):
        last = when.slot_at(last - timedelta(microseconds=1))
    assert job.is_due(now=now, last_slot=None)
    assert job.is_due(now=now, last_slot=last) == (last_back > 0)
    assert not job.is_due(now=now, last_slot=slot)
    limited = PeriodicJob(name="prop", run=Calls(), when=when, late_limit=late)
    assert limited.is_due(now=now, last_slot=None) == (now - slot <= late)


# --- running due jobs ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_due_job_runs_once_per_slot_and_a_missed_slot_once(django_assert_num_queries):
    calls = Calls()
    job = PeriodicJob(name="sweep", run=calls, when=daily_at("02:00"))
    first = dhaka(2026, 12, 4, 1, 30)
    assert jobs_run_due(now=first, jobs=[job], worker_id="w1").enqueued == ["sweep"]  # first seen: runs
    assert calls.count == 1
    row = ScheduledJob.objects.get(name="sweep")
    assert row.last_slot == dhaka(2026, 12, 3, 2, 0) and row.last_run_at == first and row.last_worker == "w1"

    with django_assert_num_queries(1):  # nothing due: one read
        assert jobs_run_due(now=dhaka(2026, 12, 4, 1, 59), jobs=[job]).enqueued == []
    assert jobs_run_due(now=dhaka(2026, 12, 4, 2, 0), jobs=[job]).enqueued == ["sweep"]
    assert jobs_run_due(now=dhaka(2026, 12, 4, 2, 0, 30), jobs=[job]).enqueued == []
    assert calls.count == 2

    # Every worker down for five days: one run when one comes back, not five.
    back = dhaka(2026, 12, 9, 18, 0)
    assert jobs_run_due(now=back, jobs=[job]).enqueued == ["sweep"]
    assert jobs_run_due(now=back + timedelta(minutes=1), jobs=[job]).enqueued == []
    assert calls.count == 3
    assert ScheduledJob.objects.get(name="sweep").last_slot == dhaka(2026, 12, 9, 2, 0)


@pytest.mark.django_db
def test_an_older_slot_never_runs_after_a_newer_one():
    """A worker whose clock is behind finds the slot a worker ahead of it already claimed."""
    calls = Calls()
    job = PeriodicJob(name="sweep", run=calls, when=every(hours=1))
    assert jobs_run_due(now=dhaka(2026, 12, 4, 10, 5), jobs=[job]).enqueued == ["sweep"]
    assert jobs_run_due(now=dhaka(2026, 12, 4, 9, 59), jobs=[job]).enqueued == []
    assert calls.count == 1


@pytest.mark.django_db
def test_a_slot_claimed_elsewhere_is_not_run_again():
    """Between this worker's read and its claim another worker took the slot: its UPDATE changes nothing."""
    calls = Calls()
    job = PeriodicJob(name="sweep", run=calls, when=daily_at("02:00"))
    now = dhaka(2026, 12, 4, 3, 0)
    ScheduledJob.objects.create(name="sweep", last_slot=dhaka(2026, 12, 3, 2, 0))
    slot = job.when.slot_at(now)
    assert schedule.slot_claim(name="sweep", slot=slot, now=now, worker_id="other")
    assert not schedule.slot_claim(name="sweep", slot=slot, now=now, worker_id="this")
    assert jobs_run_due(now=now, jobs=[job]).enqueued == []
    assert calls.count == 0 and ScheduledJob.objects.get().last_worker == "other"


@pytest.mark.django_db
def test_a_late_limit_skips_a_slot_too_late_and_runs_the_next():
    calls = Calls()
    job = PeriodicJob(name="nudge", run=calls, when=daily_at("10:00"), late_limit=timedelta(hours=8))
    assert jobs_run_due(now=dhaka(2026, 12, 4, 23, 0), jobs=[job]).enqueued == []  # back at night: not now
    assert calls.count == 0
    assert job.next_run(now=dhaka(2026, 12, 4, 23, 0), last_slot=None) == dhaka(2026, 12, 5, 10, 0)
    assert jobs_run_due(now=dhaka(2026, 12, 5, 10, 1), jobs=[job]).enqueued == ["nudge"]
    assert calls.count == 1


@pytest.mark.django_db
def test_a_failed_enqueue_is_not_claimed_and_the_other_jobs_still_run(caplog):
    failing, fine = Calls(), Calls()
    failing.fail = True
    jobs = [PeriodicJob(name="failing", run=failing, when=every(minutes=30)),
            PeriodicJob(name="fine", run=fine, when=every(minutes=30))]
    now = dhaka(2026, 12, 4, 10, 10)
    report = jobs_run_due(now=now, jobs=jobs)
    assert report.failed == ["failing"] and report.enqueued == ["fine"]
    assert "The periodic job failing could not be enqueued" in caplog.text
    assert ScheduledJob.objects.get(name="failing").last_slot is None  # the claim was rolled back
    failing.fail = False
    assert jobs_run_due(now=now + timedelta(minutes=1), jobs=jobs).enqueued == ["failing"]  # the next check
    assert (failing.count, fine.count) == (1, 1)


@pytest.mark.django_db
def test_a_task_job_is_enqueued_and_its_task_id_kept():
    RAN.clear()
    job = PeriodicJob(name="noted", run=noted_task, when=every(minutes=15))
    assert jobs_run_due(now=dhaka(2026, 12, 4, 1, 30), jobs=[job], worker_id="w").enqueued == ["noted"]
    assert RAN == ["noted"]  # the immediate backend of the tests ran it
    assert ScheduledJob.objects.get(name="noted").last_task_id


@pytest.mark.django_db
def test_the_overview_gives_last_and_next_runs():
    calls = Calls()
    jobs = [PeriodicJob(name="b_hourly", run=calls, when=every(hours=1)),
            PeriodicJob(name="a_daily", run=calls, when=daily_at("02:00"))]
    now = dhaka(2026, 12, 4, 1, 30)
    before = jobs_overview(now=now, jobs=jobs)
    assert [s.job.name for s in before] == ["a_daily", "b_hourly"]
    assert all(s.due and s.last_slot is None and s.next_run == now for s in before)
    jobs_run_due(now=now, jobs=jobs, worker_id="w")
    daily, hourly = jobs_overview(now=now, jobs=jobs)
    assert not daily.due and daily.last_slot == dhaka(2026, 12, 3, 2, 0) and daily.next_run == dhaka(2026, 12, 4, 2, 0)
    assert hourly.next_run == dhaka(2026, 12, 4, 2, 0) and hourly.last_worker == "w"


SWEEP_NAMES = ("certificates_issue_missing", "training_certificates_issue_missing")


def _blocks(text: str) -> dict[str, str]:
    """The command's lines about each job (its name line and the indented lines below it), by job name."""
    blocks: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        if line and not line.startswith(" ") and ": " in line and not line.startswith(("Now:", "Enqueued:")):
            name = line.split(":", 1)[0]
            blocks[name] = ""
        if name:
            blocks[name] += line + "\n"
    return blocks


@pytest.mark.django_db
def test_the_schedule_command_lists_and_runs_the_registered_jobs(monkeypatch):
    """The two certificate sweeps (other apps' jobs, e.g. practice's, are listed and run beside them)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: dhaka(2026, 12, 4, 1, 30).astimezone(UTC))
    out = io.StringIO()
    call_command("schedule", stdout=out)
    text = out.getvalue()
    assert "Now: 2026-12-04 01:30 Dhaka" in text
    assert "certificates_issue_missing: daily at 02:00 Dhaka" in text
    blocks = _blocks(text)
    for name in SWEEP_NAMES:
        assert "last: never" in blocks[name] and "next: due now" in blocks[name], blocks

    out = io.StringIO()
    call_command("schedule", "--run-due", stdout=out)  # the tests' immediate backend runs the sweeps
    text = out.getvalue()
    enqueued = next(line for line in text.splitlines() if line.startswith("Enqueued: "))
    assert all(name in enqueued for name in SWEEP_NAMES), enqueued
    blocks = _blocks(text)
    for name in SWEEP_NAMES:
        block = blocks[name]
        assert "last: the 2026-12-03 02:00 run, enqueued 2026-12-04 01:30 by manage.py schedule" in block
        assert ", task " in block and "unknown" not in block  # the immediate backend keeps no status
        assert "next: 2026-12-04 02:00" in block

    out = io.StringIO()
    call_command("schedule", "--run-due", stdout=out)
    assert "Enqueued: nothing." in out.getvalue()


# --- racing processes ------------------------------------------------------------------------------

RACE = """
import json, sys, time
from datetime import datetime, timedelta
from pathlib import Path
import django
django.setup()
from django.db import connection
from django_tasks_db.models import DBTaskResult
from shikhon.core import schedule
from shikhon.core.models import ScheduledJob

index, folder, processes = int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
start, steps = datetime.fromisoformat(sys.argv[4]), int(sys.argv[5])
if index == 0:  # the two tables the race touches, made directly (a full migrate takes far longer)
    with connection.schema_editor() as editor:
        editor.create_model(ScheduledJob)
        editor.create_model(DBTaskResult)
    (folder / "tables").touch()
(folder / f"ready-{index}").touch()
while not (folder / "tables").exists() or len(list(folder.glob("ready-*"))) < processes:
    time.sleep(0.005)
claims, taken = [], 0
for step in range(steps):  # three checks a Dhaka day (01:00, 09:00, 17:00), each twice
    now = start + step * timedelta(hours=8)
    for _ in range(2):
        report = schedule.jobs_run_due(now=now, worker_id=f"p{index}")
        claims += [[name, schedule.periodic_jobs.get(name).when.slot_at(now).isoformat()] for name in report.enqueued]
        taken += len(report.taken)
print(json.dumps({"claims": claims, "taken": taken}))
"""
START = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 01:00 on 2 December in Dhaka
STEPS = 45  # 15 Dhaka days
JOBS = {"certificates_issue_missing": "shikhon.certificates.tasks.certificates_issue_missing_task",
        "training_certificates_issue_missing": "shikhon.training.tasks.training_certificates_issue_missing_task"}


def _race(tmp_path: Path, database_url: str, processes: int = 3) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHIKHON_", "REDIS_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": database_url})
    running = [subprocess.Popen([sys.executable, "-c", RACE, str(i), str(tmp_path), str(processes), START.isoformat(),
                                 str(STEPS)], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
               for i in range(processes)]
    results = []
    for proc in running:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _expected_slots() -> set[str]:
    when = daily_at("02:00")
    return {when.slot_at(START + step * timedelta(hours=8)).isoformat() for step in range(STEPS)}


def _check(results: list[dict], enqueued: dict[str, int], last_slots: dict[str, datetime]) -> None:
    claims = [tuple(claim) for result in results for claim in result["claims"]]
    assert len(claims) == len(set(claims)), "a slot was enqueued twice"
    for result in results:  # each process claimed ever later slots
        for name in JOBS:
            mine = [slot for job, slot in result["claims"] if job == name]
            assert mine == sorted(mine)
    expected = _expected_slots()
    assert len(expected) == 16  # 1 December's (first seen) and the 15 that follow
    for name, path in JOBS.items():
        assert {slot for job, slot in claims if job == name} == expected  # every slot once, none twice
        assert enqueued[path] == len(expected)  # one task per slot, committed with its claim
        assert last_slots[name] == max(datetime.fromisoformat(s) for s in expected)


@pytest.mark.slow
def test_processes_racing_on_a_sqlite_database_enqueue_each_slot_once(tmp_path):
    db = tmp_path / "race.sqlite3"
    results = _race(tmp_path, f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        enqueued = dict(conn.execute("SELECT task_path, COUNT(*) FROM django_tasks_database_dbtaskresult "
                                     "GROUP BY task_path").fetchall())
        rows = conn.execute("SELECT name, last_slot FROM core_scheduledjob").fetchall()
    last_slots = {name: datetime.fromisoformat(slot).replace(tzinfo=UTC) for name, slot in rows}
    _check(results, enqueued, last_slots)


@pytest.mark.slow
def test_processes_racing_on_a_postgresql_database_enqueue_each_slot_once(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")
    import psycopg

    name = f"shikhon_schedule_{uuid.uuid4().hex[:12]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        database_url = url.rsplit("/", 1)[0] + f"/{name}"
        results = _race(tmp_path, database_url)
        with psycopg.connect(database_url) as conn:
            enqueued = dict(conn.execute("SELECT task_path, COUNT(*) FROM django_tasks_database_dbtaskresult "
                                         "GROUP BY task_path").fetchall())
            last_slots = dict(conn.execute("SELECT name, last_slot FROM core_scheduledjob").fetchall())
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _check(results, enqueued, last_slots)


@pytest.mark.django_db  # the thread checks its connection before each round
def test_the_heartbeat_thread_checks_the_schedule_at_its_interval_or_never(monkeypatch):
    from shikhon.core.health import HeartbeatThread

    checks: list[str] = []
    monkeypatch.setattr(schedule, "jobs_run_due", lambda *, worker_id: checks.append(worker_id) or
                        schedule.ScheduleReport(enqueued=["a", "b"]))
    beat = HeartbeatThread(worker_id="w1", interval=1, schedule_interval=60)
    beat.schedule_if_due()
    beat.schedule_if_due()  # within the minute: not again
    assert checks == ["w1"] and beat.scheduled == 2
    for off in (None, 0):
        HeartbeatThread(worker_id="w2", interval=1, schedule_interval=off).schedule_if_due()
    assert checks == ["w1"]
