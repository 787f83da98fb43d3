"""Videos made elsewhere (a course package's variants, the demo's slide videos): `video_variants_make`
makes the variants as processing an upload does, without storing anything; `video_create_from_files`
stores a READY video of given files under names media chooses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shikhon.media import services
from shikhon.media.models import Video

pytestmark = pytest.mark.django_db


def test_variants_are_made_without_storing_anything(video_files, tmp_path, media_root):
    made = services.video_variants_make(original=video_files["bigger"], folder=tmp_path)
    assert set(made.files) == {"low", "standard", "poster"} and all(p.exists() for p in made.files.values())
    assert made.duration_seconds == pytest.approx(2, abs=0.2) and (made.width, made.height) == (320, 240)
    assert not Video.objects.exists() and not any(media_root.rglob("*.mp4"))


def test_variants_of_a_file_that_is_not_a_video_fail_with_a_code(tmp_path):
    bad = tmp_path / "not.mp4"
    bad.write_bytes(b"not a video at all")
    with pytest.raises(ValueError, match="not_video"):
        services.video_variants_make(original=bad, folder=tmp_path)


def test_a_ready_video_from_files(video_files, people):
    low = video_files["bigger"].read_bytes()
    video = services.video_create_from_files(
        title="ভগ্নাংশ", uploaded_by=people["course_author_shirin"], original_name="original.mp4",
        files={"low": ContentFile(low), "captions": ContentFile(b"WEBVTT\n")}, duration_seconds=2.0,
        width=320, height=240)
    video.refresh_from_db()
    assert video.status == Video.Status.READY and video.is_ready and video.processed_at
    assert video.low.name == f"videos/{video.public_id}/low.mp4"
    assert video.captions.name.startswith(f"videos/{video.public_id}/captions-")
    assert video.low_bytes == len(low) == default_storage.size(video.low.name)
    assert video.low_kbps == services._kbps(len(low), 2.0) and not video.poster


def test_files_are_removed_when_the_row_cannot_be_saved(video_files, media_root, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ValidationError("no")

    monkeypatch.setattr(Video, "full_clean", refuse)
    with pytest.raises(ValidationError):
        services.video_create_from_files(title="x", uploaded_by=None, original_name="o",
                                         files={"low": ContentFile(video_files["bigger"].read_bytes()),
                                                "poster": ContentFile(b"jpeg")}, duration_seconds=2.0)
    assert not Video.objects.exists() and not any(p.is_file() for p in media_root.rglob("*"))


def test_low_is_required():
    with pytest.raises(ValueError):
        services.video_create_from_files(title="x", uploaded_by=None, original_name="o",
                                         files={"poster": ContentFile(b"x")})
