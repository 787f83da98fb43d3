"""The page crawler the site-walking tests share: which addresses are pages worth walking, the URL shapes, link
extraction and a bounded breadth-first walk.

Used by tests/test_bangla_pages.py (Django's test client) and tests/browser/test_html_valid.py (urllib against
the live server). pytest puts tests/ on sys.path for both (tests/ has no __init__.py; tests/browser/ is the
package `browser` under it), so both import it as `crawl`.

`walk(fetch, ...)` starts at the home page and follows same-site links and redirects. `fetch(url)` is the
caller's: it gets a local address ("/modules/12/?page=2") and answers (status, Location, Content-Type, HTML)
without following redirects (a redirect's target is queued instead, like a link). Only a few pages of each URL
shape are fetched (`/modules/12/` and `/modules/13/` are one shape), so the walk reaches every kind of page
rather than a thousand schools.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

# (status, Location header, Content-Type header, body as text) of one GET, redirects not followed.
Fetch = Callable[[str], tuple[int, str, str, str]]

# Addresses that are not pages to walk, by their start:
SKIP_PREFIXES = (
    "/sign-out/",      # signing out would end the walk
    "/language/",      # the language switch (a POST form; a GET only redirects): the walk stays in one language
    "/i18n/",          # Django's own language switch, should it ever be mounted
    "/api/",           # JSON, checked against the OpenAPI document by the API tests
    "/media/",         # uploaded files
    "/static/",        # CSS, scripts, icons
    "/videos/",        # video files and their captions
    "/django-admin/",  # Django's admin: not HTML we write, not in Bangla
    "/sync/",          # the offline app's sync endpoints (JSON)
    "/bench/",         # load-test helpers, not pages
)
# … by their end: files, not HTML pages.
SKIP_SUFFIXES = (".pdf", ".json", ".zip", ".js", ".webmanifest", ".csv", ".xlsx", ".png", ".jpg", ".svg", ".mp4",
                 ".webm", ".txt", ".xml", ".vtt")
# … anywhere in the path: downloads and exports are files (PDF, CSV, XLSX, ZIP) whatever their address.
SKIP_WORDS = ("/download", "/export")


def skipped(path: str) -> bool:
    """True for an address that is not a page to walk (see the lists above)."""
    return path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES) or any(word in path for word in SKIP_WORDS)


def shape(path: str, query: str = "") -> str:
    """`/modules/12/` and `/modules/13/` are one shape; so are `?page=2` and `?page=3` (the keys count, sorted,
    not their values)."""
    keys = sorted(part.split("=", 1)[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    """The `href` of every <a> of a page, as written."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


@dataclass(frozen=True)
class Answer:
    """One answer of the walk: a page (200, HTML) or a server error (5xx, `html` is its body)."""

    url: str
    status: int
    html: str


def local(href: str, *, base: str, site: str) -> str | None:
    """The local address ("/path/?query") of a link or redirect found at `base`, or None when it leaves `site`
    (another host, `mailto:`, `tel:` …) or is skipped."""
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in {"http", "https"} or parts.netloc != urlsplit(site).netloc:
        return None
    path = parts.path or "/"
    if skipped(path):
        return None
    return urlunsplit(("", "", path, parts.query, ""))


def walk(fetch: Fetch, start: str = "/", *, max_pages: int, max_per_shape: int,
         site: str = "http://testserver") -> Iterator[Answer]:
    """Every page (200, text/html) reached from `start`, breadth first, and every server error on the way.

    Links and redirects are followed within `site` (the scheme and host `fetch` serves), each address once and
    at most `max_per_shape` addresses of one shape; the walk ends after `max_pages` pages. Other answers (4xx,
    files) are passed over.
    """
    seen: set[str] = {start}
    shapes: Counter[str] = Counter({shape(*urlsplit(start)[2:4]): 1})
    queue: deque[str] = deque([start])
    pages = 0
    while queue and pages < max_pages:
        target = queue.popleft()
        status, location, kind, html = fetch(target)
        if 300 <= status < 400:
            found = [location] if location else []
        elif status >= 500:
            yield Answer(target, status, html)
            continue
        elif status != 200 or "text/html" not in kind:
            continue
        else:
            pages += 1
            yield Answer(target, status, html)
            found = links(html)
        for href in found:
            address = local(href, base=site + target, site=site)
            if address is None or address in seen:
                continue
            key = shape(*urlsplit(address)[2:4])
            if shapes[key] >= max_per_shape:
                continue
            seen.add(address)
            shapes[key] += 1
            queue.append(address)
