"""Tiny test videos made once per test session (ffmpeg lives in core; media's tests use them too)."""

from __future__ import annotations

import subprocess  # noqa: S404
from pathlib import Path

import pytest

from shikhon.core.ffmpeg import ffmpeg_path


def _make(path: Path, size: str, seconds: int = 2) -> Path:
    subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=10",  # noqa: S603
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050", "-t", str(seconds),
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
                   check=True, timeout=60)
    return path


@pytest.fixture(scope="session")
def video_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("videos")
    small = _make(folder / "small.mp4", "160x120")
    bigger = _make(folder / "bigger.mp4", "480x360")
    data = small.read_bytes()
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(data[: len(data) // 3])
    text = folder / "notes.mp4"
    text.write_bytes("এটি ভিডিও নয়, শুধু লেখা।\n".encode() * 50)
    picture = folder / "picture.mp4"
    subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120",  # noqa: S603
                    "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", str(picture)], check=True, timeout=60)
    return {"small": small, "bigger": bigger, "truncated": truncated, "text": text, "picture": picture}
