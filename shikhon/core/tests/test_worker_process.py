"""A real `manage.py run_worker` against a file SQLite database: it beats, runs a task, enqueues the periodic
jobs that are due (shikhon.core.schedule) and runs them, and says goodbye."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHIKHON_", "SMS_", "REDIS_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",  # the database task backend, as in production
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(tmp_path / "sms.log"),
        "SHIKHON_WORKER_HEARTBEAT_INTERVAL": "0.3",
        "SHIKHON_SCHEDULE_INTERVAL": "0.3",  # the periodic jobs checked at every beat: still enqueued once a slot
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _heartbeat(db: Path, worker_id: str) -> tuple[str, int] | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT last_seen, pid FROM core_workerheartbeat WHERE worker_id = ?", (worker_id,)
        ).fetchone()
    return (row[0], row[1]) if row else None


def _wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


SHOW = """
import json
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult
from shikhon.core import health
from shikhon.core.models import ScheduledJob
result = default_task_backend.get_result({task_id!r}) if {task_id!r} else None
print(json.dumps({{"task": result.status if result else None, "health": health.run_checks().as_dict(),
                  "jobs": {{name: [slot.isoformat(), worker, task] for name, slot, worker, task in
                           ScheduledJob.objects.values_list("name", "last_slot", "last_worker", "last_task_id")}},
                  "sweeps": {{str(pk): [path, status] for pk, path, status in DBTaskResult.objects.filter(
                      task_path__endswith="issue_missing_task").values_list("id", "task_path", "status")}}}}))
"""
SWEEPS = {"certificates_issue_missing": "shikhon.certificates.tasks.certificates_issue_missing_task",
          "training_certificates_issue_missing": "shikhon.training.tasks.training_certificates_issue_missing_task"}


def test_run_worker_beats_runs_a_task_and_due_jobs_and_clears_its_heartbeat(tmp_path):
    from django.utils import timezone

    from shikhon.core.schedule import daily_at

    env = _env(tmp_path)
    db = tmp_path / "worker.sqlite3"
    _manage(env, "migrate", "--noinput", "-v0")

    before = json.loads(_manage(env, "shell", "-c", SHOW.format(task_id="")).strip().splitlines()[-1])
    assert before["health"]["checks"]["worker"] == "missing"
    assert before["jobs"] == {} and before["sweeps"] == {}
    started = timezone.now()

    task_id = _manage(env, "shell", "-c", (
        "from shikhon.core.tasks import send_sms_task\n"
        "print(send_sms_task.enqueue(to='+8801711000000', body='worker test', key='worker-test').id)"
    )).strip().splitlines()[-1]

    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, MANAGE, "run_worker", "--interval", "0.2", "--no-startup-delay",
         "--worker-id", "pytest-worker"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        first = _wait_for(lambda: _heartbeat(db, "pytest-worker"))
        assert first, "the worker wrote no heartbeat"
        assert first[1] == worker.pid

        sms_file = tmp_path / "sms.log"
        assert _wait_for(lambda: sms_file.exists() and "worker test" in sms_file.read_text()), (
            "the enqueued task did not run: " + (tmp_path / "worker.log").read_text()
        )
        sent = json.loads(sms_file.read_text().splitlines()[0])
        assert sent["to"] == "+8801711000000"

        # The heartbeat keeps moving while the worker idles.
        assert _wait_for(lambda: (_heartbeat(db, "pytest-worker") or first)[0] > first[0], timeout=30)

        def succeeded() -> dict | None:
            seen = json.loads(_manage(env, "shell", "-c", SHOW.format(task_id=task_id)).strip().splitlines()[-1])
            sweeps_done = len(seen["sweeps"]) == 2 and all(s == "SUCCESSFUL" for _, s in seen["sweeps"].values())
            return seen if seen["task"] == "SUCCESSFUL" and sweeps_done else None

        # The SMS is written just before the worker records the task's success.
        during = _wait_for(succeeded, timeout=60)
        assert during, "the task or the daily sweeps never ran: " + (tmp_path / "worker.log").read_text()
        # Never run before, the two daily sweeps were due (their latest 02:00 in Dhaka): the worker enqueued
        # each once, in the transaction that claimed the slot, and ran them.
        slots = {daily_at("02:00").slot_at(started).isoformat(), daily_at("02:00").slot_at(timezone.now()).isoformat()}
        assert set(SWEEPS) <= set(during["jobs"])  # other apps' jobs (practice's) run beside them
        for name in SWEEPS:
            slot, by, task = during["jobs"][name]
            assert slot in slots and by == "pytest-worker"
            assert during["sweeps"][task] == [SWEEPS[name], "SUCCESSFUL"]
        assert during["health"] == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "worker": "ok",
                                                                   "tasks": "ok"}}

        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, (tmp_path / "worker.log").read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()

    worker_log = (tmp_path / "worker.log").read_text()
    assert "Traceback" not in worker_log, worker_log
    assert _heartbeat(db, "pytest-worker") is None, "a cleanly stopped worker removes its heartbeat\n" + worker_log
    after = json.loads(_manage(env, "shell", "-c", SHOW.format(task_id="")).strip().splitlines()[-1])
    assert after["health"]["status"] == "fail"
    assert after["health"]["failed"] == ["worker"]
    assert len(after["sweeps"]) == 2, "a periodic job was enqueued twice for one slot"
