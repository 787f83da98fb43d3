from __future__ import annotations

import pytest

from shikhon.core import ffmpeg


def test_ffmpeg_path_prefers_the_setting(settings):
    settings.SHIKHON_FFMPEG = "/opt/ffmpeg/bin/ffmpeg"
    assert ffmpeg.ffmpeg_path() == "/opt/ffmpeg/bin/ffmpeg"


def test_ffmpeg_path_falls_back_to_imageio(settings, monkeypatch):
    settings.SHIKHON_FFMPEG = ""
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: None)
    assert "imageio_ffmpeg" in ffmpeg.ffmpeg_path()


@pytest.mark.parametrize("use_ffprobe", [True, False])
def test_probe_reads_a_video(video_files, monkeypatch, use_ffprobe):
    if not use_ffprobe:
        monkeypatch.setattr(ffmpeg, "ffprobe_path", lambda: None)
    info = ffmpeg.probe(video_files["bigger"])
    assert info.has_video and info.has_audio and info.is_playable_video
    assert (info.width, info.height) == (480, 360)
    assert info.duration == pytest.approx(2, abs=0.1)
    assert info.fps == pytest.approx(10)


@pytest.mark.parametrize("use_ffprobe", [True, False])
def test_probe_refuses_text_and_pictures(video_files, monkeypatch, use_ffprobe):
    if not use_ffprobe:
        monkeypatch.setattr(ffmpeg, "ffprobe_path", lambda: None)
    with pytest.raises(ffmpeg.FFmpegError):
        ffmpeg.probe(video_files["text"])
    assert not ffmpeg.probe(video_files["picture"]).is_playable_video


def test_run_has_a_timeout(video_files):
    with pytest.raises(ffmpeg.FFmpegError, match="longer than"):
        ffmpeg.run(["-f", "lavfi", "-i", "testsrc=rate=10", "-f", "null", "-"], timeout=0.5)
