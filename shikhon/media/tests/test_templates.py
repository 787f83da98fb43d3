from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from shikhon.media import services
from shikhon.media.models import Video
from shikhon.media.tests.conftest import upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_video(people, video_files, django_capture_on_commit_callbacks) -> Video:
    with django_capture_on_commit_callbacks(execute=True):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["bigger"]))
    video.refresh_from_db()
    return video


def test_player_puts_the_2g_variant_first(people, ready_video):
    services.video_captions_set(actor=people["course_author_shirin"], video=ready_video,
                                file=SimpleUploadedFile("bn.vtt", b"WEBVTT\n"))
    html = render_to_string("media/player.html", {"video": ready_video})
    video_tag = re.search(r"<video[^>]*>", html).group(0)
    for attribute in ("controls", 'preload="none"', "playsinline", "data-progress", 'width="320"', 'height="240"',
                      f'poster="{ready_video.poster_url}"'):
        assert attribute in video_tag
    sources = re.findall(r'<source src="([^"]+)" type="video/mp4">', html)
    assert sources == [ready_video.low_url, ready_video.standard_url]
    assert sources[0].endswith("/low.mp4")
    assert '<track kind="captions" srclang="bn" label="বাংলা"' in html
    assert ready_video.captions_url in html
    assert "download" in html
    assert "style=" not in html  # the page's CSP allows no inline styles


def test_player_without_captions_or_standard(ready_video):
    ready_video.standard.name = ""
    html = render_to_string("media/player.html", {"video": ready_video})
    assert "<track" not in html
    assert len(re.findall("<source", html)) == 1


@pytest.mark.parametrize("status", [Video.Status.PROCESSING, Video.Status.FAILED])
def test_player_for_a_video_not_ready(status):
    html = render_to_string("media/player.html", {"video": Video(status=status)})
    assert "<video" not in html
    assert "This video is not ready to watch yet. Please come back later." in html


def test_player_without_video():
    assert "There is no video here yet." in render_to_string("media/player.html", {"video": None})


def test_status_partial(ready_video):
    html = render_to_string("media/video_status.html", {"video": ready_video})
    assert "Ready" in html and "kbit/s" in html
    failed = Video(status=Video.Status.FAILED, failure_code="not_video")
    html = render_to_string("media/video_status.html", {"video": failed})
    assert "This file is not a video we can play." in html
    html = render_to_string("media/video_status.html", {"video": Video()})
    assert "Processing" in html


def test_duration_display():
    assert Video(duration_seconds=2.04).duration_display == "0:02"
    assert Video(duration_seconds=185).duration_display == "3:05"
    assert Video(duration_seconds=3725).duration_display == "1:02:05"
    assert Video().duration_display == ""
