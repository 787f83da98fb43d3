"""Running ffmpeg: where it is, what a file holds (probe), and one safe way to run it.

Every call has a timeout and passes its arguments as a list (never through a shell)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess  # noqa: S404 - ffmpeg is run with argument lists and timeouts, never a shell
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PROBE_TIMEOUT = 60
# Formats ffmpeg reads as a still picture: a photo is not a video, even though it has a "video" stream.
_IMAGE_FORMATS = ("image2", "_pipe", "gif", "webp", "png", "jpeg", "mjpeg", "bmp", "tiff")


class FFmpegError(Exception):
    """ffmpeg could not read or write a file (or took too long)."""


@dataclass(frozen=True)
class Probe:
    duration: float | None
    has_video: bool
    width: int | None
    height: int | None
    has_audio: bool = False
    fps: float | None = None
    format_name: str = ""

    @property
    def is_playable_video(self) -> bool:
        return (self.has_video and bool(self.width) and bool(self.height) and (self.duration or 0) > 0
                and not any(name in self.format_name for name in _IMAGE_FORMATS))


def ffmpeg_path() -> str:
    """settings.SHIKHON_FFMPEG, else ffmpeg on PATH, else the binary that imageio-ffmpeg ships."""
    configured = (getattr(settings, "SHIKHON_FFMPEG", "") or "") if settings.configured else ""
    if configured:
        return str(configured)
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - imageio-ffmpeg is a dependency
        raise FFmpegError("ffmpeg not found: set SHIKHON_FFMPEG or install ffmpeg") from exc
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def ffprobe_path() -> str | None:
    """ffprobe next to the chosen ffmpeg, if there is one."""
    ffmpeg = Path(ffmpeg_path())
    name = ffmpeg.name.replace("ffmpeg", "ffprobe", 1) if "ffmpeg" in ffmpeg.name else "ffprobe"
    candidate = ffmpeg.with_name(name)
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return None


def run(args: list[str], *, timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg with `args` (without the program name). Raises FFmpegError on failure or timeout."""
    command = [ffmpeg_path(), "-hide_banner", "-nostdin", "-y", *args]
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as exc:
        raise FFmpegError(f"ffmpeg took longer than {timeout:.0f} s") from exc
    except OSError as exc:
        raise FFmpegError(f"ffmpeg could not start: {exc}") from exc
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace")[-800:]
        raise FFmpegError(f"ffmpeg failed ({result.returncode}): {tail}")
    return result


def probe(path: str | Path, *, timeout: float = PROBE_TIMEOUT) -> Probe:
    """What the file at `path` holds. Raises FFmpegError when ffmpeg cannot read it at all."""
    ffprobe = ffprobe_path()
    if ffprobe:
        return _probe_with_ffprobe(ffprobe, str(path), timeout=timeout)
    return _probe_with_ffmpeg(str(path), timeout=timeout)


def decodes(path: str | Path, *, seconds: float = 2.0, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether ffmpeg can decode the first `seconds` of the video (catches broken files a probe misses)."""
    try:
        run(["-v", "error", "-t", f"{seconds:.2f}", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"],
            timeout=timeout)
    except FFmpegError:
        return False
    return True


def _probe_with_ffprobe(ffprobe: str, path: str, *, timeout: float) -> Probe:
    command = [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as exc:
        raise FFmpegError("ffprobe took too long") from exc
    except OSError as exc:
        raise FFmpegError(f"ffprobe could not start: {exc}") from exc
    if result.returncode != 0:
        raise FFmpegError(result.stderr.decode("utf-8", "replace")[-800:])
    try:
        data = json.loads(result.stdout or b"{}")
    except ValueError as exc:
        raise FFmpegError("ffprobe gave no readable answer") from exc
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not (s.get("disposition") or {}).get("attached_pic")), None)
    audio = any(s.get("codec_type") == "audio" for s in streams)
    duration = _float(fmt.get("duration")) or (_float(video.get("duration")) if video else None)
    fps = None
    if video and video.get("avg_frame_rate") and "/" in str(video["avg_frame_rate"]):
        num, _sep, den = str(video["avg_frame_rate"]).partition("/")
        fps = (float(num) / float(den)) if _float(den) else None
    return Probe(
        duration=duration,
        has_video=video is not None,
        width=int(video["width"]) if video and video.get("width") else None,
        height=int(video["height"]) if video and video.get("height") else None,
        has_audio=audio,
        fps=fps,
        format_name=str(fmt.get("format_name") or ""),
    )


_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (.*)")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_FPS = re.compile(r"([\d.]+) fps")
_INPUT = re.compile(r"Input #0, ([^,]+(?:,[^,\s]+)*), from")


def _probe_with_ffmpeg(path: str, *, timeout: float) -> Probe:
    """No ffprobe: read what `ffmpeg -i` prints (it exits 1 because no output is given)."""
    try:
        result = subprocess.run([ffmpeg_path(), "-hide_banner", "-nostdin", "-i", path],  # noqa: S603
                                capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FFmpegError("ffmpeg took too long") from exc
    except OSError as exc:
        raise FFmpegError(f"ffmpeg could not start: {exc}") from exc
    text = result.stderr.decode("utf-8", "replace")
    if "Input #0" not in text:
        raise FFmpegError(text[-800:])
    duration = None
    if match := _DURATION.search(text):
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    width = height = None
    fps = None
    video_lines = [line for line in (m.group(1) for m in _VIDEO.finditer(text)) if "attached pic" not in line]
    if video_lines:
        if size := _SIZE.search(video_lines[0]):
            width, height = int(size.group(1)), int(size.group(2))
        if rate := _FPS.search(video_lines[0]):
            fps = _float(rate.group(1))
    fmt = _INPUT.search(text)
    return Probe(duration=duration, has_video=bool(video_lines), width=width, height=height,
                 has_audio=": Audio:" in text, fps=fps, format_name=fmt.group(1) if fmt else "")


def _float(value: object) -> float | None:
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None
