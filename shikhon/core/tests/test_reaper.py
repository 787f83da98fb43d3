"""The reaper takes back the tasks of workers that died mid-task, and gives up after a few reaps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from shikhon.core import health, reaper, sms
from shikhon.core.models import TaskReap

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_reap_settings")]


@pytest.fixture
def _reap_settings(settings):
    settings.SHIKHON_TASK_REAP_AFTER = 60
    settings.SHIKHON_TASK_MAX_REAPS = 3


def _beat(worker_id: str, *, age: float = 0, started: float = 3600) -> None:
    now = timezone.now()
    health.heartbeat_beat(worker_id=worker_id, started_at=now - timedelta(seconds=started),
                          now=now - timedelta(seconds=age))


def _running(*, worker_id: str = "dead-worker", started: float = 120, status: str = "RUNNING",
             kwargs: dict | None = None, task_path: str = "shikhon.core.tasks.send_sms_task") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": kwargs or {}}, task_path=task_path,
        backend_name="default", run_after=get_date_max(), worker_ids=[worker_id],
        started_at=timezone.now() - timedelta(seconds=started),
    )


def test_a_task_of_a_worker_without_heartbeat_goes_back_to_the_queue():
    task = _running(worker_id="gone")
    report = reaper.tasks_reap()
    task.refresh_from_db()
    assert report.requeued == [str(task.id)] and report.failed == []
    assert task.status == "READY"
    assert task.started_at is None
    assert task.worker_ids == ["gone"]  # the history stays
    reap = TaskReap.objects.get()
    assert (reap.task_id, reap.worker_id, reap.outcome) == (task.id, "gone", "requeued")
    assert reap.task_path == "shikhon.core.tasks.send_sms_task"
    assert reap.started_at is not None


def test_a_task_of_a_worker_whose_heartbeat_went_stale_goes_back():
    _beat("stale", age=61)
    task = _running(worker_id="stale")
    assert reaper.tasks_reap().requeued == [str(task.id)]


def test_a_task_of_a_live_worker_is_left_alone_however_long_it_runs():
    _beat("alive", age=5, started=4 * 3600)
    task = _running(worker_id="alive", started=3 * 3600)
    assert reaper.tasks_reap().count == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"
    assert not TaskReap.objects.exists()


def test_a_worker_restarted_under_the_same_id_does_not_keep_its_predecessors_tasks():
    _beat("host-1", age=1, started=30)  # this process started 30 s ago
    old = _running(worker_id="host-1", started=600)  # claimed 10 minutes ago, by the killed process
    new = _running(worker_id="host-1", started=10)
    assert reaper.tasks_reap().requeued == [str(old.id)]
    new.refresh_from_db()
    assert new.status == "RUNNING"


def test_a_task_just_claimed_is_given_time_for_its_worker_to_beat():
    task = _running(worker_id="starting", started=5)
    assert reaper.tasks_reap().count == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"


@pytest.mark.parametrize("status", ["READY", "SUCCESSFUL", "FAILED"])
def test_only_running_tasks_are_reaped(status):
    _running(status=status)
    assert reaper.tasks_reap().count == 0


def test_after_max_reaps_the_task_fails_with_a_reason_and_its_app_is_told():
    told: list[dict] = []

    def receiver(sender, **kwargs):
        told.append({"sender": sender, **kwargs})

    reaper.task_given_up.connect(receiver)
    try:
        task = _running(worker_id="w0", kwargs={"video_id": 7}, task_path="shikhon.media.tasks.video_process_task")
        for attempt in range(3):
            assert reaper.tasks_reap().requeued == [str(task.id)]
            # The next worker claims it, and dies too.
            DBTaskResult.objects.filter(pk=task.pk).update(
                status="RUNNING", started_at=timezone.now() - timedelta(seconds=120),
                worker_ids=[*DBTaskResult.objects.get(pk=task.pk).worker_ids, f"w{attempt + 1}"])
        assert told == []
        report = reaper.tasks_reap()
    finally:
        reaper.task_given_up.disconnect(receiver)
    task.refresh_from_db()
    assert report.failed == [str(task.id)]
    assert task.status == "FAILED"
    assert task.finished_at is not None
    assert task.exception_class_path == "shikhon.core.reaper.WorkerLost"
    assert "stopped without finishing it 4 times" in task.traceback
    assert list(TaskReap.objects.filter(task_id=task.id).order_by("reaped_at", "id")
                .values_list("outcome", flat=True)) == ["requeued"] * 3 + ["failed"]
    assert told == [{"sender": "shikhon.media.tasks.video_process_task", "signal": reaper.task_given_up,
                     "task_id": str(task.id), "args": [], "kwargs": {"video_id": 7}}]
    # A task given up stays given up.
    assert reaper.tasks_reap().count == 0


def test_max_reaps_is_a_setting(settings):
    settings.SHIKHON_TASK_MAX_REAPS = 0
    task = _running()
    assert reaper.tasks_reap().failed == [str(task.id)]


def test_a_broken_receiver_does_not_undo_the_reap():
    def broken(sender, **kwargs):
        raise RuntimeError("receiver bug")

    reaper.task_given_up.connect(broken)
    try:
        task = _running()
        assert reaper.tasks_reap(max_reaps=0).failed == [str(task.id)]
    finally:
        reaper.task_given_up.disconnect(broken)
    task.refresh_from_db()
    assert task.status == "FAILED"


@pytest.fixture
def _keep_test_connection(monkeypatch):
    """The worker closes connections that are not in autocommit; the test's transaction is not."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(health, "close_old_connections", lambda: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.mark.usefixtures("_keep_test_connection")
def test_heartbeat_thread_reaps_when_due():
    task = _running()
    thread = health.HeartbeatThread(worker_id="reaping-worker", interval=60, reap_interval=30)
    thread.reap_if_due()
    task.refresh_from_db()
    assert task.status == "READY"
    assert thread.reaped == 1
    _running()
    thread.reap_if_due()  # not due again yet
    assert thread.reaped == 1
    # Without a reap interval the thread only beats.
    quiet = health.HeartbeatThread(worker_id="quiet", interval=60)
    quiet.reap_if_due()
    assert quiet.reaped == 0


@pytest.mark.usefixtures("_keep_test_connection")
@override_settings(TASKS=DB_TASKS, SMS_BACKEND="memory")
def test_a_reaped_task_runs_again_on_the_next_worker_and_succeeds():
    from django_tasks_db.management.commands.db_worker import Worker

    from shikhon.core.tasks import send_sms_task

    result = send_sms_task.enqueue(to="+8801711000001", body="after the crash", key="reaper-test-1")
    # A worker claims it and is killed (no heartbeat is left behind).
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=timezone.now() - timedelta(seconds=300), worker_ids=["killed"])
    assert reaper.tasks_reap().requeued == [result.id]

    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="next", excluded_queue_names=[]).run()
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids == ["killed", "next"]
    assert [m.body for m in sms.outbox] == ["after the crash"]


def test_reap_tasks_command(capsys):
    from django.core.management import call_command

    _running()
    call_command("reap_tasks")
    assert "requeued 1, failed 0" in capsys.readouterr().out
