"""Short demo videos made from slides of Bangla text (for the demo course): Pillow draws the slides with
HarfBuzz shaping (Raqm) so conjuncts such as ক্ষ join correctly, ffmpeg encodes them with a silent
sound track into an MP4 that can be uploaded like any other video."""

from __future__ import annotations

import subprocess  # noqa: S404 - ffmpeg is run with an argument list and a timeout, never a shell
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from shikhon.core.ffmpeg import ffmpeg_path

WIDTH, HEIGHT = 640, 360
FPS = 12
FADE_FRAMES = 4
MARGIN = 40
# (background, accent) pairs: calm, high-contrast colours for white text.
PALETTE = [("#0b6e4f", "#f4c430"), ("#1d4e89", "#7fd1ff"), ("#7a2e8f", "#ffd166"),
           ("#b33f1b", "#ffe3a3"), ("#225560", "#9ee493"), ("#5b3a29", "#f7b267")]


class ShapingUnavailable(RuntimeError):
    """Pillow was built without Raqm, so Bangla would be drawn with broken conjuncts."""


def font_file(weight: str = "SemiBold") -> Path:
    import fontpkg_hind_siliguri

    return Path(fontpkg_hind_siliguri.ROOT) / "files" / f"HindSiliguri-{weight}.ttf"


def ensure_shaping() -> None:
    if not features.check("raqm"):
        raise ShapingUnavailable("Pillow has no Raqm (libraqm) support, so Bangla text cannot be shaped. "
                                 "Install libraqm (apt install libraqm0) and reinstall Pillow.")


@cache
def bangla_font(size: int, weight: str = "SemiBold") -> ImageFont.FreeTypeFont:
    ensure_shaping()
    return ImageFont.truetype(str(font_file(weight)), size, layout_engine=ImageFont.Layout.RAQM)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        line = words[0]
        for word in words[1:]:
            candidate = f"{line} {word}"
            if draw.textlength(candidate, font=font, language="bn") <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font (56 px down to 22 px) at which the text fits the box."""
    for size in range(56, 20, -4):
        font = bangla_font(size)
        lines = _wrap(draw, text, font, width)
        widest = max((draw.textlength(line, font=font, language="bn") for line in lines), default=0)
        if widest <= width and len(lines) * size * 1.5 <= height:
            return font, lines
    return font, lines


def render_slide(text: str, *, index: int = 0, count: int = 1, title: str = "") -> Image.Image:
    """One 640×360 slide: coloured background, the title small at the top, the text large in the middle,
    and one dot per slide at the bottom (the current one filled)."""
    background, accent = PALETTE[index % len(PALETTE)]
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    # Two soft circles for a little life.
    draw.ellipse((WIDTH - 170, -90, WIDTH + 60, 140), fill=_mix(background, "#ffffff", 0.12))
    draw.ellipse((-80, HEIGHT - 120, 110, HEIGHT + 70), fill=_mix(background, "#000000", 0.18))
    top = 24
    if title:
        title_font = bangla_font(22, "Medium")
        draw.text((MARGIN, top), title, font=title_font, fill=accent, language="bn")
        top += 40
    box_height = HEIGHT - top - 60
    font, lines = _fit(draw, text, WIDTH - 2 * MARGIN, box_height)
    line_height = int(font.size * 1.5)
    y = top + (box_height - line_height * len(lines)) // 2
    for line in lines:
        line_width = draw.textlength(line, font=font, language="bn")
        draw.text(((WIDTH - line_width) / 2, y), line, font=font, fill="#ffffff", language="bn")
        y += line_height
    # Slide counter: a dot per slide.
    gap = 18
    x = (WIDTH - gap * (count - 1)) / 2
    for n in range(count):
        r = 6 if n == index else 4
        fill = accent if n <= index else _mix(background, "#ffffff", 0.35)
        draw.ellipse((x + n * gap - r, HEIGHT - 28 - r, x + n * gap + r, HEIGHT - 28 + r), fill=fill)
    return image


def _mix(colour: str, other: str, amount: float) -> tuple[int, int, int]:
    a = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i:i + 2], 16) for i in (1, 3, 5)]
    return (round(a[0] + (b[0] - a[0]) * amount), round(a[1] + (b[1] - a[1]) * amount),
            round(a[2] + (b[2] - a[2]) * amount))


def _frames(slides: list[str], *, title: str, frames_per_slide: int) -> Iterator[bytes]:
    previous: Image.Image | None = None
    for index, text in enumerate(slides):
        slide = render_slide(text, index=index, count=len(slides), title=title)
        _bg, accent = PALETTE[index % len(PALETTE)]
        for frame in range(frames_per_slide):
            if previous is not None and frame < FADE_FRAMES:
                picture = Image.blend(previous, slide, (frame + 1) / (FADE_FRAMES + 1))
            else:
                picture = slide.copy()
            # A thin bar along the bottom grows while the slide is shown.
            bar = round(WIDTH * (frame + 1) / frames_per_slide)
            ImageDraw.Draw(picture).rectangle((0, HEIGHT - 5, bar, HEIGHT), fill=accent)
            yield picture.tobytes()
        previous = slide


def slides_video(*, slides: list[str], out_path: Path, title: str = "", seconds_per_slide: float = 4.0) -> Path:
    """Write an MP4 (H.264 640×360 at 12 frames/s, silent AAC) showing each slide for `seconds_per_slide`."""
    if not slides:
        raise ValueError("slides_video needs at least one slide")
    ensure_shaping()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    frames_per_slide = max(1, round(seconds_per_slide * FPS))
    total = len(slides) * frames_per_slide / FPS
    command = [
        ffmpeg_path(), "-hide_banner", "-v", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "pipe:0",
        "-f", "lavfi", "-i", "anullsrc=channel_layout=mono:sample_rate=22050",
        "-map", "0:v", "-map", "1:a", "-t", f"{total:.3f}",
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "26", "-pix_fmt", "yuv420p",
        "-profile:v", "main", "-g", str(FPS * 4),
        "-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart", str(out_path),
    ]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,  # noqa: S603
                                   stderr=errors)
        assert process.stdin is not None  # noqa: S101
        try:
            for frame in _frames(slides, title=title, frames_per_slide=frames_per_slide):
                process.stdin.write(frame)
            process.stdin.close()
            code = process.wait(timeout=60 + total)
        except (BrokenPipeError, subprocess.TimeoutExpired) as exc:
            process.kill()
            process.wait()
            errors.seek(0)
            raise RuntimeError(f"ffmpeg could not make the video: {errors.read()[-800:]!r}") from exc
        if code != 0:
            errors.seek(0)
            raise RuntimeError(f"ffmpeg could not make the video: {errors.read()[-800:]!r}")
    return out_path


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def captions_vtt(slides: list[str], seconds_per_slide: float = 4.0) -> str:
    """WebVTT captions with one cue per slide (its text), timed like slides_video."""
    frames_per_slide = max(1, round(seconds_per_slide * FPS))
    step = frames_per_slide / FPS
    cues = ["WEBVTT", ""]
    for index, text in enumerate(slides):
        body = "\n".join(line.strip() for line in text.replace("-->", "→").splitlines() if line.strip())
        cues += [str(index + 1), f"{_timestamp(index * step)} --> {_timestamp((index + 1) * step)}", body, ""]
    return "\n".join(cues)
