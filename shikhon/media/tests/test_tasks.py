"""The video task is safe to run twice and after its worker died mid-ffmpeg: one set of files, one
notification. A task the reaper gives up fails the video with a reason, and the author is told."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult, get_date_max

from shikhon.core import reaper
from shikhon.media import services
from shikhon.media.models import Video
from shikhon.media.tasks import video_process_task
from shikhon.media.tests.conftest import stored_files, upload_of
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_video(people, video_files) -> Video:
    """Uploaded, its processing task not run yet."""
    with mock.patch.object(services, "_enqueue"):
        return services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["small"]))


def test_video_task_twice_processes_once(waiting_video, media_root):
    assert video_process_task.enqueue(video_id=waiting_video.pk).return_value == "ready"
    files = stored_files(media_root)
    assert video_process_task.enqueue(video_id=waiting_video.pk).return_value == "ready"
    assert stored_files(media_root) == files
    assert Notification.objects.filter(kind="video_ready").count() == 1


def test_worker_killed_while_ffmpeg_runs_then_the_retry_processes_once(waiting_video, media_root):
    with mock.patch("shikhon.core.ffmpeg.run", side_effect=SystemExit(1)), pytest.raises(SystemExit):
        video_process_task.call(video_id=waiting_video.pk)
    waiting_video.refresh_from_db()
    assert waiting_video.status == Video.Status.PROCESSING  # nothing half-done is recorded
    assert [p.name for p in stored_files(media_root)] == ["original"]

    assert video_process_task.enqueue(video_id=waiting_video.pk).return_value == "ready"
    assert video_process_task.enqueue(video_id=waiting_video.pk).return_value == "ready"
    assert sorted(p.name for p in stored_files(media_root)) == ["low.mp4", "original", "poster.jpg"]
    assert Notification.objects.filter(kind="video_ready").count() == 1
    assert not Notification.objects.filter(kind="video_failed").exists()


def test_a_video_task_the_reaper_gives_up_fails_the_video_and_tells_the_author(waiting_video, people):
    DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [], "kwargs": {"video_id": waiting_video.pk}},
        task_path="shikhon.media.tasks.video_process_task", backend_name="default", run_after=get_date_max(),
        worker_ids=["killed"], started_at=timezone.now() - timedelta(minutes=10))
    assert len(reaper.tasks_reap(max_reaps=0).failed) == 1
    waiting_video.refresh_from_db()
    assert waiting_video.status == Video.Status.FAILED
    assert waiting_video.failure_code == "worker_lost"
    assert "The server stopped several times while converting this video" in waiting_video.failure_message
    told = Notification.objects.get(kind="video_failed")
    assert told.recipient == people["course_author_shirin"]
    html = render_to_string("media/video_status.html", {"video": waiting_video})
    assert "Please upload it again" in html


def test_giving_up_leaves_a_finished_video_alone(waiting_video):
    video_process_task.enqueue(video_id=waiting_video.pk)
    assert services.video_processing_given_up(video_id=waiting_video.pk).status == Video.Status.READY
    assert services.video_processing_given_up(video_id=999_999) is None


def test_a_video_processing_too_long_says_so_honestly(settings):
    settings.SHIKHON_VIDEO_PROCESSING_OVERDUE = 20 * 60
    fresh = Video(status=Video.Status.PROCESSING, created_at=timezone.now() - timedelta(minutes=5))
    assert fresh.processing_overdue_minutes == 0
    html = render_to_string("media/video_status.html", {"video": fresh})
    assert "This can take a few minutes" in html and "Still processing" not in html

    late = Video(status=Video.Status.PROCESSING, created_at=timezone.now() - timedelta(minutes=47))
    assert late.processing_overdue_minutes == 47
    with translation.override("bn"):  # not whatever language an earlier test of this process left active
        html = render_to_string("media/video_status.html", {"video": late})
    assert "Still processing after ৪৭ minutes." in html  # Bangla digits in bn
    assert "it is tried again automatically" in html
    assert "This can take a few minutes" not in html

    done = Video(status=Video.Status.READY, created_at=timezone.now() - timedelta(hours=5))
    assert done.processing_overdue_minutes == 0
