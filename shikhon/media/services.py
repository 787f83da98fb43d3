"""Writes for videos: upload (checked before anything is stored), processing into the 2G variant, the
360p variant and a poster, and captions."""

from __future__ import annotations

import logging
import math
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from shikhon.core import ffmpeg
from shikhon.core.uploads import check_upload
from shikhon.media import notifications
from shikhon.media.failures import FAILURES
from shikhon.media.models import Video
from shikhon.media.permissions import can_upload, ensure_can_change, ensure_can_upload
from shikhon.notify.services import notification_send

if TYPE_CHECKING:
    from shikhon.people.models import User

__all__ = ["FAILURES", "can_upload", "failure_message", "video_captions_set", "video_create_from_files",
           "video_process", "video_upload", "video_variants_make"]

log = logging.getLogger(__name__)

LOW_MAX_KBPS = 250             # the 2G budget for the default variant (video + sound + container)
# The 240p variant: H.264 baseline, ~180 kbit/s video (capped), mono AAC 32 kbit/s. If a hard video
# still comes out above the budget, it is made again with the second, leaner setting.
LOW_SETTINGS = ({"video": 180, "max": 200, "audio": 32}, {"video": 120, "max": 140, "audio": 24})
STANDARD = {"video": 500, "max": 600, "audio": 48}


class _Failure(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def failure_message(video: Video) -> str:
    """The sentence that says why processing failed ("" when it did not)."""
    return video.failure_message


# --- upload -------------------------------------------------------------------------------------------

def video_upload(*, actor: User, file: File, title: str = "") -> Video:
    """Check and store an uploaded video, then convert it in the background. Nothing is stored when
    the file is too big or is not a video we can play (the shared upload checks say which, in a sentence)."""
    ensure_can_upload(actor)
    checked = check_upload(use="video", file=file)  # type, size, ffprobe and a short decode (core.uploads)
    size = checked.size

    name = Path(str(getattr(file, "name", "") or "video")).name[:255]
    video = Video(title=(title or Path(name).stem)[:200], uploaded_by=actor if actor.pk else None,
                  original_name=name, size_bytes=size, status=Video.Status.PROCESSING)
    stored = ""
    try:
        with transaction.atomic():
            checked.file.seek(0)
            video.original.save("original", checked.file, save=False)
            stored = video.original.name or ""
            video.full_clean()
            video.save()
            pk = video.pk
            transaction.on_commit(lambda: _enqueue(pk))
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    return video


def _enqueue(video_id: int) -> None:
    from shikhon.media.tasks import video_process_task

    video_process_task.enqueue(video_id=video_id)


# --- processing ---------------------------------------------------------------------------------------

def _scale(short_side: int) -> str:
    """Fit the shorter side to `short_side` (never enlarging), keep the shape, even sizes for H.264.
    Works after ffmpeg turns a phone's portrait video upright."""
    s = short_side
    return (f"scale=w='if(gte(iw,ih),-2,min({s},trunc(iw/2)*2))':"
            f"h='if(gte(iw,ih),min({s},trunc(ih/2)*2),-2)',format=yuv420p")


def _encode(src: Path, out: Path, *, short_side: int, profile: str, level: str, video_kbps: int,
            max_kbps: int, audio_kbps: int, fps_max: int, timeout: float) -> None:
    ffmpeg.run([
        "-v", "error", "-i", str(src),
        "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-map_metadata", "-1",
        "-vf", _scale(short_side), "-fpsmax", str(fps_max),
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", profile, "-level:v", level,
        "-b:v", f"{video_kbps}k", "-maxrate", f"{max_kbps}k", "-bufsize", f"{max_kbps * 2}k",
        "-c:a", "aac", "-b:a", f"{audio_kbps}k", "-ac", "1", "-ar", "22050" if audio_kbps < 40 else "44100",
        "-movflags", "+faststart", str(out),
    ], timeout=timeout)


def _poster(src: Path, out: Path, *, at: float, timeout: float) -> None:
    ffmpeg.run(["-v", "error", "-ss", f"{at:.2f}", "-i", str(src), "-frames:v", "1", "-vf", _scale(240),
                "-q:v", "5", str(out)], timeout=timeout)


def _kbps(size: int, duration: float) -> int:
    return math.ceil(size * 8 / duration / 1000) if duration > 0 else 0


def _make_files(video: Video, tmp: Path) -> tuple[dict[str, Path], ffmpeg.Probe, int]:
    src = tmp / "original"
    if not video.original.name:
        raise _Failure("original_missing")
    try:
        with default_storage.open(video.original.name, "rb") as stored, src.open("wb") as out:
            for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                out.write(chunk)
    except (FileNotFoundError, OSError) as exc:
        raise _Failure("original_missing") from exc
    return _make_variants(src, tmp)


def _make_variants(src: Path, tmp: Path) -> tuple[dict[str, Path], ffmpeg.Probe, int]:
    """The 240p (and 360p) variants and the poster of the video at `src`, written in `tmp`."""
    try:
        info = ffmpeg.probe(src)
    except ffmpeg.FFmpegError as exc:
        raise _Failure("not_video") from exc
    if not info.is_playable_video:
        raise _Failure("not_video")
    duration = float(info.duration or 0)
    timeout = 300 + 3 * duration

    files: dict[str, Path] = {}
    low = tmp / "low.mp4"
    kbps = 0
    for option in LOW_SETTINGS:
        _encode(src, low, short_side=240, profile="baseline", level="3.0", video_kbps=option["video"],
                max_kbps=option["max"], audio_kbps=option["audio"], fps_max=25, timeout=timeout)
        kbps = _kbps(low.stat().st_size, duration)
        if kbps <= LOW_MAX_KBPS:
            break
    files["low"] = low
    if min(info.width or 0, info.height or 0) > 240:
        standard = tmp / "standard.mp4"
        _encode(src, standard, short_side=360, profile="main", level="3.1", video_kbps=STANDARD["video"],
                max_kbps=STANDARD["max"], audio_kbps=STANDARD["audio"], fps_max=30, timeout=timeout)
        files["standard"] = standard
    poster = tmp / "poster.jpg"
    _poster(src, poster, at=duration * 0.1 if duration >= 10 else min(1.0, duration / 2), timeout=120)
    if not poster.exists() or poster.stat().st_size == 0:
        raise _Failure("encode_failed")
    files["poster"] = poster
    low_info = ffmpeg.probe(low)
    return files, low_info, kbps


_NAMES = {"low": "low.mp4", "standard": "standard.mp4", "poster": "poster.jpg"}


def _store(video: Video, files: dict[str, Path], saved: list[str]) -> dict[str, str]:
    names = {}
    for field, local in files.items():
        name = f"videos/{video.public_id}/{_NAMES[field]}"
        if default_storage.exists(name):
            default_storage.delete(name)
        with local.open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=_NAMES[field]))
        saved.append(stored)
        names[field] = stored
    return names


def video_process(*, video_id: int) -> Video:
    """Make the 240p and 360p variants and the poster. Safe to run again: a video that is no longer
    processing (ready or failed) comes back as it is."""
    video = Video.objects.select_related("uploaded_by").get(pk=video_id)
    if video.status != Video.Status.PROCESSING:
        return video
    saved: list[str] = []
    code = ""
    try:
        with tempfile.TemporaryDirectory(prefix="shikhon-video-") as tmpdir:
            files, low_info, kbps = _make_files(video, Path(tmpdir))
            names = _store(video, files, saved)
            low_bytes = files["low"].stat().st_size
        with transaction.atomic():
            current = Video.objects.select_for_update(of=("self",)).get(pk=video.pk)
            if current.status != Video.Status.PROCESSING:
                return current
            video.low.name = names["low"]
            video.standard.name = names.get("standard", "")
            video.poster.name = names["poster"]
            video.duration_seconds = round(float(low_info.duration or 0), 2)
            video.width, video.height = low_info.width, low_info.height
            video.low_bytes = low_bytes
            video.low_kbps = kbps
            video.status = Video.Status.READY
            video.failure_code = ""
            video.processed_at = timezone.now()
            video.full_clean()
            video.save(update_fields=["low", "standard", "poster", "duration_seconds", "width", "height",
                                      "low_bytes", "low_kbps", "status", "failure_code", "processed_at"])
            if video.uploaded_by is not None:
                notification_send(recipient=video.uploaded_by, kind=notifications.VIDEO_READY,
                                  event_key=f"video:{video.pk}:ready", params={"name": str(video)})
        return video
    except _Failure as failure:
        code = failure.code
    except ffmpeg.FFmpegError as exc:
        code = "too_slow" if "longer than" in str(exc) else "encode_failed"
        log.warning("video %s: %s", video.pk, exc)
    except OSError:
        code = "storage"
        log.exception("video %s could not be stored", video.pk)
    except Exception:
        code = "unknown"
        log.exception("video %s could not be processed", video.pk)
    for name in saved:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort
            log.warning("could not delete %s", name)
    return _mark_failed(video, code)


def _mark_failed(video: Video, code: str) -> Video:
    with transaction.atomic():
        current = Video.objects.select_for_update(of=("self",)).select_related("uploaded_by").get(pk=video.pk)
        if current.status != Video.Status.PROCESSING:
            return current
        current.status = Video.Status.FAILED
        current.failure_code = code if code in FAILURES else "unknown"
        current.processed_at = timezone.now()
        current.save(update_fields=["status", "failure_code", "processed_at"])
        if current.uploaded_by is not None:
            with translation.override(settings.LANGUAGE_CODE):
                reason = failure_message(current)
            notification_send(recipient=current.uploaded_by, kind=notifications.VIDEO_FAILED,
                              event_key=f"video:{current.pk}:failed",
                              params={"name": str(current), "reason": reason})
    return current


def video_processing_given_up(*, video_id: int) -> Video | None:
    """The task processing this video was given up (its worker died again and again, shikhon.core.reaper):
    the video fails with a reason its author can act on, and she is told. No-op unless still processing."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return None
    return _mark_failed(video, "worker_lost")


# --- captions -----------------------------------------------------------------------------------------

@transaction.atomic
def video_captions_set(*, actor: User, video: Video, file: File) -> Video:
    """Attach Bangla captions (a WebVTT file, UTF-8, at most 200 KB), replacing any before."""
    ensure_can_change(actor, video)
    checked = check_upload(use="captions", file=file)  # UTF-8 WebVTT of at most 200 KB, newlines made plain
    old = video.captions.name
    name = default_storage.save(f"videos/{video.public_id}/captions-{secrets.token_hex(4)}.vtt",
                                checked.file)
    video.captions.name = name
    try:
        video.full_clean()
        video.save(update_fields=["captions"])
    except Exception:
        default_storage.delete(name)
        raise
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
    return video


# --- ready-made videos ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MadeVariants:
    files: dict[str, Path]  # "low", "poster" and, for a video taller than 240p, "standard"
    duration_seconds: float
    width: int | None
    height: int | None


def video_variants_make(*, original: Path, folder: Path) -> MadeVariants:
    """Make the variants and the poster of a video on this machine into `folder`, exactly as processing an
    upload makes them, without storing anything (the demo's slide videos, which it keeps in a cache and
    stores with `video_create_from_files`). Raises ValueError with the failure code when it cannot."""
    try:
        files, low_info, _kbps_low = _make_variants(original, folder)
    except _Failure as failure:
        raise ValueError(failure.code) from failure
    except ffmpeg.FFmpegError as exc:
        raise ValueError("encode_failed") from exc
    return MadeVariants(files=files, duration_seconds=round(float(low_info.duration or 0), 2),
                        width=low_info.width, height=low_info.height)


READY_FILES = ("original", "low", "standard", "poster", "captions")


def video_create_from_files(*, title: str, uploaded_by: User | None, files: Mapping[str, File | None],
                            original_name: str, duration_seconds: float | None = None, width: int | None = None,
                            height: int | None = None) -> Video:
    """A READY video from files processed elsewhere — a course package's variants (already through the
    upload checks of their use), the demo's cached slide videos — with no processing task. `files` maps
    `original`, `low` (required), `standard`, `poster` and `captions` to their content; each is stored under
    `videos/<public id>/` with our own name. Sizes and the 240p bitrate are worked out here. Run it inside the
    caller's transaction; the files stored are removed again if the row cannot be saved."""
    unknown = set(files) - set(READY_FILES)
    if unknown or files.get("low") is None:
        raise ValueError(f"video files: need 'low', know only {READY_FILES}, got {sorted(files)}")
    video = Video(title=title[:200], uploaded_by=uploaded_by, original_name=original_name[:255],
                  status=Video.Status.READY, processed_at=timezone.now(), duration_seconds=duration_seconds,
                  width=width, height=height)
    folder = f"videos/{video.public_id}"
    extensions = {"original": "", "low": ".mp4", "standard": ".mp4", "poster": ".jpg",
                  "captions": f"-{secrets.token_hex(4)}.vtt"}
    saved: list[str] = []
    sizes: dict[str, int] = {}
    try:
        for field in READY_FILES:
            content = files.get(field)
            if content is None:
                continue
            content.seek(0)
            name = default_storage.save(f"{folder}/{field}{extensions[field]}", content)
            saved.append(name)
            getattr(video, field).name = name
            sizes[field] = int(default_storage.size(name))
        video.low_bytes = sizes["low"]
        video.size_bytes = sizes.get("original") or sum(sizes.values())
        if duration_seconds:
            video.low_kbps = _kbps(sizes["low"], duration_seconds)
        video.full_clean(exclude=["uploaded_by"])
        video.save()
    except Exception:
        for name in saved:
            default_storage.delete(name)
        raise
    return video
