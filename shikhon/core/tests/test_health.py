"""/healthz and the task worker's heartbeat."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from shikhon.core import health
from shikhon.core.models import WorkerHeartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _beat(worker_id: str = "w1", age_seconds: float = 0) -> WorkerHeartbeat:
    seen = timezone.now() - timedelta(seconds=age_seconds)
    return health.heartbeat_beat(worker_id=worker_id, started_at=seen, now=seen)


def test_healthz_url_is_plain():
    assert reverse("core:healthz") == "/healthz"


@pytest.mark.django_db
def test_healthz_ok_with_immediate_tasks_needs_no_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "worker": "not_required", "tasks": "not_required"},
    }


@pytest.mark.django_db
def test_healthz_sets_no_cookie_and_is_never_cached(client):
    response = client.get("/healthz")
    assert not response.cookies
    assert "Set-Cookie" not in response
    cache_control = response["Cache-Control"]
    for part in ("no-cache", "no-store", "must-revalidate", "max-age=0"):
        assert part in cache_control
    assert "sessionid" not in client.cookies


@pytest.mark.django_db
def test_healthz_is_public_even_with_login_required_everywhere(client):
    # No redirect to the sign-in page, and the same answer for a signed-in person.
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_healthz_503_when_no_worker_ever_beat(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"] == {"database": "ok", "cache": "ok", "worker": "missing", "tasks": "ok"}
    assert body["failed"] == ["worker"]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_healthz_ok_with_a_fresh_heartbeat(client):
    _beat(age_seconds=5)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "ok"


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, SHIKHON_WORKER_HEARTBEAT_MAX_AGE=60)
def test_healthz_503_when_the_only_heartbeat_is_stale(client):
    _beat(age_seconds=61)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, SHIKHON_WORKER_HEARTBEAT_MAX_AGE=60)
def test_one_live_worker_among_dead_ones_is_enough(client):
    _beat("dead", age_seconds=3600)
    _beat("alive", age_seconds=1)
    assert client.get("/healthz").json()["checks"]["worker"] == "ok"


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, SHIKHON_WORKER_HEARTBEAT_MAX_AGE=300)
def test_max_age_is_configurable(client):
    _beat(age_seconds=120)
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_scope_web_leaves_the_worker_out(client):
    response = client.get("/healthz", {"scope": "web"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    # Anything else is the full check.
    assert client.get("/healthz", {"scope": "junk\x00"}).status_code == 503


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_database_down_is_503_and_says_so(client):
    _beat()
    with mock.patch.object(health.connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz", {"scope": "web"})
        full = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
    assert response.json()["failed"] == ["database"]
    assert full.json()["checks"]["worker"] == "error"  # not judged without a database
    assert full.json()["checks"]["tasks"] == "error"


@pytest.mark.django_db
def test_cache_down_is_503(client):
    with mock.patch.object(health.cache, "set", side_effect=ConnectionError("redis gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"
    assert response.json()["failed"] == ["cache"]


@pytest.mark.django_db
def test_cache_that_loses_values_is_503(client):
    with mock.patch.object(health.cache, "get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"


@pytest.mark.django_db
def test_heartbeat_upserts_one_row_per_worker():
    first = _beat("w1", age_seconds=30)
    again = _beat("w1")
    assert first.pk == again.pk
    assert WorkerHeartbeat.objects.count() == 1
    row = WorkerHeartbeat.objects.get()
    assert timezone.now() - row.last_seen < timedelta(seconds=5)
    assert row.pid > 0 and row.hostname


@pytest.mark.django_db
def test_clear_and_prune():
    _beat("gone-clean")
    _beat("killed-yesterday", age_seconds=health.HEARTBEAT_KEEP.total_seconds() + 60)
    _beat("recent", age_seconds=60)
    health.heartbeat_clear(worker_id="gone-clean")
    assert health.heartbeats_prune() == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["recent"]


@pytest.mark.django_db(transaction=True)
def test_heartbeat_thread_keeps_beating_until_stopped():
    thread = health.HeartbeatThread(worker_id="thread-test", interval=0.05)
    thread.beat_once()
    first_seen = WorkerHeartbeat.objects.get(worker_id="thread-test").last_seen
    thread.start()
    deadline = timezone.now() + timedelta(seconds=10)
    while thread.beats < 3 and timezone.now() < deadline:
        thread.join(0.05)
    thread.stop()
    assert not thread.is_alive()
    assert thread.beats >= 3
    assert WorkerHeartbeat.objects.get(worker_id="thread-test").last_seen > first_seen


@pytest.mark.django_db
def test_a_failing_beat_is_logged_not_raised(caplog):
    thread = health.HeartbeatThread(worker_id="x", interval=10)
    with mock.patch.object(health, "heartbeat_beat", side_effect=OperationalError("locked")):
        thread.beat_once()
    assert thread.beats == 0
    assert "Worker heartbeat for x failed" in caplog.text


def test_report_body_lists_failures_in_order():
    report = health.HealthReport(checks={"database": "ok", "cache": "error", "worker": "stale"})
    assert not report.ok
    assert json.loads(json.dumps(report.as_dict())) == {
        "status": "fail",
        "checks": {"database": "ok", "cache": "error", "worker": "stale"},
        "failed": ["cache", "worker"],
    }


def _running_task(*, minutes_ago: float, worker_id: str = "w1"):
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [], "kwargs": {}}, task_path="shikhon.core.tasks.send_sms_task",
        backend_name="default", run_after=get_date_max(), worker_ids=[worker_id],
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, SHIKHON_TASK_STUCK_AFTER=1800)
def test_healthz_reports_tasks_running_longer_than_the_limit(client):
    _beat()
    _running_task(minutes_ago=10)  # running, within the limit
    assert client.get("/healthz").json()["checks"]["tasks"] == "ok"

    _running_task(minutes_ago=31)
    _running_task(minutes_ago=90)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["tasks"] == "stuck"
    assert body["stuck_tasks"] == 2
    assert body["failed"] == ["tasks"]
    # The load balancer's probe does not take web servers out for a stuck task.
    assert client.get("/healthz", {"scope": "web"}).status_code == 200


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, SHIKHON_TASK_STUCK_AFTER=60)
def test_stuck_limit_is_a_setting(client):
    _beat()
    _running_task(minutes_ago=2)
    assert client.get("/healthz").json()["checks"]["tasks"] == "stuck"
