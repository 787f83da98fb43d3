from __future__ import annotations

import time

import pytest
from PIL import ImageFont, features

from shikhon.core import ffmpeg
from shikhon.media.generate import bangla_font, captions_vtt, font_file, render_slide, slides_video

SLIDES = ["আনন্দে গণিত শিখি", "শ্রেণিকক্ষে ক্ষুদ্র দলে কাজ করুন।", "১ + ২ = ৩", "ধন্যবাদ", "আবার দেখা হবে"]


def test_bangla_is_shaped():
    assert features.check("raqm")
    shaped = bangla_font(48)
    basic = ImageFont.truetype(str(font_file()), 48, layout_engine=ImageFont.Layout.BASIC)
    # With shaping, ক + ্ + ষ become one conjunct glyph: narrower than three glyphs side by side.
    assert shaped.getlength("ক্ষ") < basic.getlength("ক্ষ")


def test_slide_is_640_by_360():
    image = render_slide(SLIDES[1], index=1, count=3, title="মডিউল ১")
    assert image.size == (640, 360)
    assert len(image.getcolors(maxcolors=640 * 360) or ()) > 10  # text and shapes drawn, not a blank slide


def test_slides_video_has_the_expected_duration(tmp_path):
    started = time.monotonic()
    out = slides_video(slides=SLIDES, out_path=tmp_path / "demo" / "intro.mp4", title="আনন্দে গণিত শিখি")
    elapsed = time.monotonic() - started
    info = ffmpeg.probe(out)
    assert info.is_playable_video and info.has_audio
    assert (info.width, info.height) == (640, 360)
    assert info.duration == pytest.approx(20, abs=0.3)
    assert elapsed < 30  # usually about a second; generous for a busy machine


def test_slides_video_needs_slides(tmp_path):
    with pytest.raises(ValueError):
        slides_video(slides=[], out_path=tmp_path / "x.mp4")


def test_captions_vtt():
    vtt = captions_vtt(["এক", "দুই\nতিন"], 2.5)
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\nএক\n")
    assert "2\n00:00:02.500 --> 00:00:05.000\nদুই\nতিন\n" in vtt
