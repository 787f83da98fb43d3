"""An activity video on a 360 px phone: the 2G variant is the one Chromium fetches (with byte ranges),
it plays, and the files are served as a phone needs them (no gzip, long private cache, a poster)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

COURSE = "/courses/anonde-gonit-shikhi/"


def _first_activity(page, site) -> str:
    page.goto(site(COURSE))
    module = page.locator("main a[href^='/modules/']").first
    if module.count():
        page.goto(site(module.get_attribute("href")))
    link = page.locator("main a[href^='/activities/']").first
    if not link.count():
        pytest.skip("the demo course has no activity page to open")
    return link.get_attribute("href")


def test_activity_video_plays_the_2g_variant(new_context, teacher_state, site, audit):
    page = new_context(storage_state=teacher_state).new_page()
    media_responses = []
    page.on("response", lambda r: media_responses.append(r) if "/videos/" in r.url else None)
    page.goto(site(_first_activity(page, site)))
    audit(page)
    video = page.locator("video[data-progress]")
    if not video.count():
        pytest.skip("the demo activity has no ready video (demo_data ran without ffmpeg?)")
    sources = page.locator("video[data-progress] source").evaluate_all("els => els.map(e => e.src)")
    assert urlsplit(sources[0]).path.endswith("/low.mp4")
    poster = video.get_attribute("poster")
    assert poster and poster.endswith("/poster.jpg")
    assert video.get_attribute("preload") == "none"
    assert not [r for r in media_responses if r.url.endswith(".mp4")]  # preload=none: nothing before play

    page.evaluate("() => { const v = document.querySelector('video[data-progress]'); v.muted = true; "
                  "return v.play(); }")
    page.wait_for_function("() => document.querySelector('video[data-progress]').currentTime > 0.5",
                           timeout=15000)
    assert page.evaluate("() => document.querySelector('video[data-progress]').currentSrc").endswith("/low.mp4")
    videos = [r for r in media_responses if r.url.endswith(".mp4")]
    assert videos and all(urlsplit(r.url).path.endswith("/low.mp4") for r in videos)
    assert any(r.status == 206 for r in videos)  # Chromium asks for byte ranges

    response = page.request.get(sources[0], headers={"Range": "bytes=0-99", "Accept-Encoding": "gzip"})
    assert response.status == 206
    assert response.headers["content-type"] == "video/mp4"
    assert response.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert "content-encoding" not in response.headers
    assert len(response.body()) == 100
    picture = page.request.get(site(poster) if poster.startswith("/") else poster)
    assert picture.status == 200 and picture.headers["content-type"] == "image/jpeg"
    assert len(picture.body()) < 30_000  # a poster fit for 2G
