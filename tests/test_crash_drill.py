"""Crash drill: real workers are killed with SIGKILL in the middle of a video task (while ffmpeg runs) and
a certificate task (after its PDF is rendered, before its row is written); a new worker takes both back
(shikhon.core.reaper) and each completes exactly once: one certificate, one notification and one SMS
each, one set of video files.

Runs `manage.py run_worker` as subprocesses against a file SQLite database in a temporary folder, or a
fresh PostgreSQL database of its own when DATABASE_URL is PostgreSQL (unique names: safe under xdist).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.slow, pytest.mark.clock_free]

ROOT = Path(settings.BASE_DIR)
MANAGE = str(ROOT / "manage.py")
DRILL = Path(__file__).resolve().parent / "drill"


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'drill.sqlite3'}"
        return
    import psycopg

    name = f"shikhon_drill_{uuid.uuid4().hex[:12]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHIKHON_", "SMS_", "REDIS_"))}
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shutil.copy(DRILL / "ffmpeg.sh", bin_dir / "ffmpeg")
    (bin_dir / "ffmpeg").chmod(0o755)
    real_ffmpeg = shutil.which("ffmpeg")
    if real_ffmpeg is None:
        pytest.skip("the drill needs ffmpeg")
    real_ffprobe = shutil.which("ffprobe")
    if real_ffprobe:
        (bin_dir / "ffprobe").symlink_to(real_ffprobe)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",  # the database task backend, as in production
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(tmp_path / "sms.log"),
        "SHIKHON_FFMPEG": str(bin_dir / "ffmpeg"),
        "SHIKHON_DRILL_REAL_FFMPEG": real_ffmpeg,
        "SHIKHON_DRILL_DIR": str(tmp_path),
        "SHIKHON_WORKER_HEARTBEAT_INTERVAL": "0.3",
        # Silent for 15 s means dead: short for the drill, yet well past how late a live worker's heartbeat
        # (every 0.3 s) has been seen on a loaded 2-core machine under libfaketime (at 2 s and at 6 s a paused,
        # living worker was reaped during CI's clock run).
        "SHIKHON_TASK_REAP_AFTER": "15",
        "SHIKHON_TASK_REAP_INTERVAL": "0.5",
        "SHIKHON_SCHEDULE_INTERVAL": "0",  # no periodic jobs (the daily sweeps): the drill counts every task
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _json(env: dict[str, str], code: str) -> dict:
    return json.loads(_manage(env, "shell", "-c", code).strip().splitlines()[-1])


def _worker(env: dict[str, str], tmp_path: Path, name: str) -> subprocess.Popen[bytes]:
    log = (tmp_path / f"{name}.log").open("wb")
    # Its own session, so SIGKILL to the group takes its ffmpeg too (a machine or container going away).
    return subprocess.Popen(
        [sys.executable, str(DRILL / "worker.py"), "run_worker", "--interval", "0.2", "--no-startup-delay",
         "--worker-id", f"drill-{name}-{uuid.uuid4().hex[:8]}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT,
    )


def _kill(worker: subprocess.Popen[bytes]) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _wait_for(predicate, timeout: float, what: str, logs: Path):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    text = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(logs.glob("*.log")))
    pytest.fail(f"timed out waiting for {what}\n{text}")


SETUP = """
import json
from django.core.files import File
from django.utils import timezone
from shikhon.certificates.tasks import certificate_issue_task
from shikhon.courses.models import Enrolment
from shikhon.courses.tests.factories import CourseFactory
from shikhon.media.models import Video
from shikhon.media.tasks import video_process_task
from shikhon.people.tests.factories import UserFactory

rubi = UserFactory(phone="+8801711000042")
course = CourseFactory(title="আনন্দে গণিত শিখি")
enrolment = Enrolment.objects.create(user=rubi, course=course, family=course.family, completed_at=timezone.now())
video = Video(title="drill", uploaded_by=rubi, original_name="drill.mp4", status=Video.Status.PROCESSING)
with open({clip!r}, "rb") as handle:
    video.original.save("original", File(handle), save=False)
video.size_bytes = video.original.size
video.save()
tasks = [str(video_process_task.enqueue(video_id=video.pk).id),
         str(certificate_issue_task.enqueue(enrolment_id=enrolment.pk).id)]
print(json.dumps({{"tasks": tasks, "video": video.pk, "enrolment": enrolment.pk}}))
"""

STATE = """
import json
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from shikhon.certificates.models import Certificate
from shikhon.core.models import TaskReap, WorkerHeartbeat
from shikhon.media.models import Video
from shikhon.notify.models import Notification
tasks = {{str(t.id): {{"status": t.status, "workers": t.worker_ids, "path": t.task_path}}
         for t in DBTaskResult.objects.all()}}
video = Video.objects.get(pk={video})
print(json.dumps({{
    "tasks": tasks,
    "open": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
    "certificates": list(Certificate.objects.filter(enrolment_id={enrolment}).values_list("code", flat=True)),
    "video": [video.status, video.low.name, video.poster.name],
    "notifications": sorted(Notification.objects.values_list("kind", flat=True)),
    "reaps": sorted(TaskReap.objects.values_list("outcome", flat=True)),
    "heartbeats": [[w, str(s), str(l)] for w, s, l in
                   WorkerHeartbeat.objects.values_list("worker_id", "started_at", "last_seen")],
    "now": str(timezone.now()),
}}))
"""


def test_workers_killed_mid_task_then_a_new_worker_completes_each_task_once(tmp_path, database_url):
    env = _env(tmp_path, database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    clip = tmp_path / "clip.mp4"
    subprocess.run([env["SHIKHON_DRILL_REAL_FFMPEG"], "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=size=480x360:rate=15:duration=2", "-f", "lavfi", "-i", "sine=duration=2",
                    "-shortest", "-c:v", "libx264", "-c:a", "aac", "-pix_fmt", "yuv420p", str(clip)],
                   check=True, timeout=60)
    made = _json(env, SETUP.format(clip=str(clip)))
    state = STATE.format(video=made["video"], enrolment=made["enrolment"])

    # Two workers, each stops in the middle of one task; both are killed outright.
    (tmp_path / "pause-video").touch()
    (tmp_path / "pause-certificate").touch()
    first, second = _worker(env, tmp_path, "a"), _worker(env, tmp_path, "b")
    try:
        _wait_for(lambda: (tmp_path / "paused-video").exists() and (tmp_path / "paused-certificate").exists(),
                  40, "both workers to be mid-task", tmp_path)
        running = _json(env, state)
        assert {t["status"] for t in running["tasks"].values()} == {"RUNNING"}, (running, [
            (p.name, p.read_text(errors="replace")[-2000:]) for p in sorted(tmp_path.glob("*.log"))])
    finally:
        _kill(first)
        _kill(second)
    assert running["certificates"] == [] and running["video"][0] == "processing"

    # A new worker takes both back once their workers' heartbeats are silent, and runs them.
    third = _worker(env, tmp_path, "c")
    try:
        done = _wait_for(lambda: (lambda s: s if s["open"] == 0 and all(
            t["status"] == "SUCCESSFUL" for t in s["tasks"].values()) else None)(_json(env, state)),
            60, "the new worker to finish every task", tmp_path)
        third.send_signal(signal.SIGTERM)
        assert third.wait(timeout=20) == 0
    finally:
        if third.poll() is None:
            _kill(third)

    # Each task ran twice (killed, then completed) and was reaped once.
    for task_id in made["tasks"]:
        assert len(done["tasks"][task_id]["workers"]) == 2, done["tasks"][task_id]
    assert done["reaps"] == ["requeued", "requeued"]
    # One certificate, one video made once, one notification of each, one SMS for the certificate.
    assert len(done["certificates"]) == 1
    status, low, poster = done["video"]
    assert status == "ready" and low and poster
    assert done["notifications"] == ["certificate_issued", "video_ready"]
    code = done["certificates"][0]
    sms_lines = (tmp_path / "sms.log").read_text().splitlines()
    assert len([line for line in sms_lines if code[:4] in json.loads(line)["body"]]) == 1
    video_files = sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file() and "videos" in p.parts)
    assert video_files == sorted(["original", "low.mp4", "standard.mp4", "poster.jpg"]), video_files
    assert "Traceback" not in (tmp_path / "c.log").read_text()


MANY = """
import json
from django.utils import timezone
from shikhon.certificates.tasks import certificate_issue_task
from shikhon.courses.models import Enrolment
from shikhon.courses.tests.factories import CourseFactory
from shikhon.people.tests.factories import UserFactory
from shikhon.notify.models import SmsPreference

course = CourseFactory()
ids = []
for n in range(100):
    user = UserFactory()
    SmsPreference.objects.create(user=user, kind="certificate_issued", sms=False)
    ids.append(Enrolment.objects.create(user=user, course=course, family=course.family,
                                        completed_at=timezone.now()).pk)
# Each enrolment twice, interleaved: the two workers race for the same certificates.
for _ in range(2):
    for pk in ids:
        certificate_issue_task.enqueue(enrolment_id=pk)
print(json.dumps({{"enrolments": len(ids)}}))
"""

MANY_STATE = """
import json
from django.utils import timezone
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from shikhon.certificates.models import Certificate
from shikhon.notify.models import Notification
by_worker = {{}}
for ids in DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("worker_ids", flat=True):
    by_worker[ids[-1]] = by_worker.get(ids[-1], 0) + 1
print(json.dumps({{
    "statuses": dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")),
    "certificates": Certificate.objects.count(),
    "enrolments_with_two": Certificate.objects.values("enrolment").annotate(n=Count("id")).filter(n__gt=1).count(),
    "notifications": Notification.objects.filter(kind="certificate_issued").count(),
    "by_worker": by_worker,
}}))
"""


def test_two_workers_share_200_certificate_tasks_and_issue_each_once(tmp_path, database_url):
    if not database_url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL (row locks with SKIP LOCKED): run with DATABASE_URL=postgres://…")
    env = {**_env(tmp_path, database_url), "SHIKHON_DRILL_QUICK_PDF": "1"}
    _manage(env, "migrate", "--noinput", "-v0")
    assert _json(env, MANY.format())["enrolments"] == 100
    workers = [_worker(env, tmp_path, "one"), _worker(env, tmp_path, "two")]
    try:
        done = _wait_for(lambda: (lambda s: s if s["statuses"] == {"SUCCESSFUL": 200} else None)(
            _json(env, MANY_STATE.format())), 50, "200 certificate tasks", tmp_path)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _kill(worker)
    assert done["certificates"] == 100
    assert done["enrolments_with_two"] == 0
    assert done["notifications"] == 100
    assert len(done["by_worker"]) == 2, done["by_worker"]  # both workers took their share
    assert sum(done["by_worker"].values()) == 200
