from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from shikhon.core import ffmpeg
from shikhon.media import services
from shikhon.media.models import Video
from shikhon.media.tests.conftest import stored_files, upload_of
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db


def _upload(people, django_capture_on_commit_callbacks, path, **kwargs) -> Video:
    with django_capture_on_commit_callbacks(execute=True):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(path), **kwargs)
    video.refresh_from_db()
    return video


def test_upload_and_process_make_a_2g_variant_poster_and_duration(people, video_files, media_root,
                                                                 django_capture_on_commit_callbacks):
    video = _upload(people, django_capture_on_commit_callbacks, video_files["bigger"], title="ভগ্নাংশ")
    assert video.status == Video.Status.READY
    assert video.title == "ভগ্নাংশ"
    assert video.original.name == f"videos/{video.public_id}/original"
    assert video.low.name == f"videos/{video.public_id}/low.mp4"
    assert video.standard.name == f"videos/{video.public_id}/standard.mp4"
    assert video.poster.name == f"videos/{video.public_id}/poster.jpg"
    assert video.duration_seconds == pytest.approx(2, abs=0.2)
    assert 0 < video.low_kbps <= services.LOW_MAX_KBPS
    assert video.low_bytes == default_storage.size(video.low.name)
    assert (video.width, video.height) == (320, 240)
    low = ffmpeg.probe(media_root / video.low.name)
    assert (low.width, low.height, low.has_audio) == (320, 240, True)
    standard = ffmpeg.probe(media_root / video.standard.name)
    assert (standard.width, standard.height) == (480, 360)
    assert (media_root / video.poster.name).read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    note = Notification.objects.get(recipient=people["course_author_shirin"], kind="video_ready")
    assert note.event_key == f"video:{video.pk}:ready"
    assert note.params == {"name": "ভগ্নাংশ"}


def test_small_video_gets_no_360p_variant(people, video_files, django_capture_on_commit_callbacks):
    video = _upload(people, django_capture_on_commit_callbacks, video_files["small"])
    assert video.status == Video.Status.READY
    assert video.title == "small"
    assert video.original_name == "small.mp4"
    assert (video.width, video.height) == (160, 120)
    assert not video.standard
    assert video.standard_url == ""


def test_upload_is_stored_before_commit_but_processed_after(people, video_files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        video = services.video_upload(actor=people["national_admin_nasrin"], file=upload_of(video_files["small"]))
    assert video.status == Video.Status.PROCESSING
    assert default_storage.exists(video.original.name)
    assert len(callbacks) == 1


def test_processing_twice_is_idempotent(people, video_files, django_capture_on_commit_callbacks):
    video = _upload(people, django_capture_on_commit_callbacks, video_files["small"])
    again = services.video_process(video_id=video.pk)
    assert again.status == Video.Status.READY
    assert again.processed_at == video.processed_at
    assert again.low.name == video.low.name
    assert Notification.objects.filter(kind="video_ready").count() == 1


@pytest.mark.parametrize("key", ["text", "truncated", "picture"])
def test_not_a_video_is_refused_and_nothing_is_stored(people, video_files, media_root, key):
    with pytest.raises(ValidationError) as error:
        services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files[key], "lesson.mp4"))
    assert error.value.messages == [
        "This file is not a video we can play. Please upload an MP4, WebM, 3GP or MOV video."]
    assert not Video.objects.exists()
    assert stored_files(media_root) == []


def test_empty_file_is_refused(people, media_root):
    with pytest.raises(ValidationError):
        services.video_upload(actor=people["course_author_shirin"],
                              file=SimpleUploadedFile("empty.mp4", b"", content_type="video/mp4"))
    assert not Video.objects.exists()


def test_too_big_is_refused_with_the_limit_in_mb(people, video_files, media_root, settings):
    settings.SHIKHON_VIDEO_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.mp4", b"\0" * (1024 * 1024 + 1), content_type="video/mp4")
    with pytest.raises(ValidationError) as error:
        services.video_upload(actor=people["course_author_shirin"], file=big)
    # Bangla digits in bn
    assert error.value.messages == ["The video is larger than ১ MB. Please upload a smaller file."]
    assert not Video.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_hatia",
                                 "researcher_tanvir", "no_role_user"])
def test_only_authors_and_national_admins_upload(people, video_files, who):
    with pytest.raises(PermissionDenied):
        services.video_upload(actor=people[who], file=upload_of(video_files["small"]))
    assert not services.can_upload(people[who])
    assert services.can_upload(people["course_author_shirin"])
    assert services.can_upload(people["national_admin_nasrin"])


def test_original_gone_before_processing_fails_with_a_reason(people, video_files, media_root,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["small"]),
                                      title="Counting")
    default_storage.delete(video.original.name)
    video = services.video_process(video_id=video.pk)
    assert video.status == Video.Status.FAILED
    assert video.failure_code == "original_missing"
    assert services.failure_message(video) == ("The uploaded file could not be found. "
                                               "Please upload the video again.")
    note = Notification.objects.get(kind="video_failed")
    assert note.recipient == people["course_author_shirin"]
    assert note.event_key == f"video:{video.pk}:failed"
    assert note.params == {"name": "Counting", "reason": services.failure_message(video)}
    # Failed stays failed: running again changes nothing and tells nobody twice.
    assert services.video_process(video_id=video.pk).status == Video.Status.FAILED
    assert Notification.objects.filter(kind="video_failed").count() == 1


def test_original_corrupted_before_processing_fails_and_leaves_no_outputs(people, video_files, media_root,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["small"]))
    (media_root / video.original.name).write_bytes(b"not a video any more")
    video = services.video_process(video_id=video.pk)
    assert video.status == Video.Status.FAILED
    assert video.failure_code == "not_video"
    assert [p.name for p in stored_files(media_root)] == ["original"]


def test_encoder_failure_deletes_partial_outputs(people, video_files, media_root, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["bigger"]))
    real_store = services._store

    def store_then_break(video, files, saved):
        real_store(video, files, saved)
        raise OSError("disk full")

    monkeypatch.setattr(services, "_store", store_then_break)
    video = services.video_process(video_id=video.pk)
    assert video.status == Video.Status.FAILED
    assert video.failure_code == "storage"
    assert [p.name for p in stored_files(media_root)] == ["original"]


def test_ffmpeg_timeout_reads_as_too_slow(people, video_files, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["small"]))

    def slow(*args, **kwargs):
        raise ffmpeg.FFmpegError("ffmpeg took longer than 300 s")

    monkeypatch.setattr(services, "_encode", slow)
    video = services.video_process(video_id=video.pk)
    assert (video.status, video.failure_code) == (Video.Status.FAILED, "too_slow")
    assert video.failure_message == "Converting the video took too long. Please upload a shorter video."


def test_task_runs_the_service(people, video_files, django_capture_on_commit_callbacks):
    from shikhon.media.tasks import video_process_task

    with django_capture_on_commit_callbacks(execute=False):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["small"]))
    result = video_process_task.enqueue(video_id=video.pk)
    assert result.return_value == "ready"
    assert video_process_task.enqueue(video_id=987654).return_value == ""


# --- captions -------------------------------------------------------------------------------------------

VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nআনন্দে গণিত শিখি\n"


def _video(people, video_files, django_capture_on_commit_callbacks) -> Video:
    return _upload(people, django_capture_on_commit_callbacks, video_files["small"])


def test_captions_are_stored_and_replaced(people, video_files, media_root, django_capture_on_commit_callbacks):
    video = _video(people, video_files, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.video_captions_set(actor=people["course_author_shirin"], video=video,
                                    file=SimpleUploadedFile("bn.vtt", ("\ufeff" + VTT).encode()))
    first = video.captions.name
    assert first.startswith(f"videos/{video.public_id}/captions-") and first.endswith(".vtt")
    assert (media_root / first).read_text(encoding="utf-8") == VTT
    assert "?v=" in video.captions_url
    with django_capture_on_commit_callbacks(execute=True):
        services.video_captions_set(actor=people["national_admin_nasrin"], video=video,
                                    file=SimpleUploadedFile("bn.vtt", VTT.encode()))
    assert video.captions.name != first
    assert not (media_root / first).exists()


@pytest.mark.parametrize("content, message", [
    (b"1\n00:00:00.000 --> 00:00:02.000\nhello\n",
     "This is not a WebVTT captions file. The file must begin with the word WEBVTT. Please upload a .vtt file."),
    ("WEBVTT\n\nশিখি".encode("utf-16"),
     "The captions file must be saved as UTF-8 text. Please save it again as UTF-8 and upload it."),
    (b"WEBVTT\n\n" + b"a" * 210_000,
     "The captions file is larger than 200 KB. Please upload a smaller file."),
])
def test_bad_captions_are_refused(people, video_files, django_capture_on_commit_callbacks, content, message):
    video = _video(people, video_files, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:
        services.video_captions_set(actor=people["course_author_shirin"], video=video,
                                    file=SimpleUploadedFile("bn.vtt", content))
    assert error.value.messages == [message]
    video.refresh_from_db()
    assert not video.captions


def test_teacher_cannot_set_captions(people, video_files, django_capture_on_commit_callbacks):
    video = _video(people, video_files, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.video_captions_set(actor=people["teacher_rubi"], video=video,
                                    file=SimpleUploadedFile("bn.vtt", VTT.encode()))
