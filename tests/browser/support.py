"""Helpers for the browser tests: signing in by code, the per-page checks, and counting bytes over CDP."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

SERIOUS = {"serious", "critical"}
# Resource types (Chrome DevTools Protocol `Network.ResourceType`) that are media, outside the weight budget.
MEDIA_TYPES = {"Image", "Media"}

_axe: Any = None


def _axe_runner() -> Any:
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    return _axe


def server_rows(site: Any, query: str) -> list[tuple[Any, ...]]:
    """Rows of a read-only SQL query on the server's own database (SQLite file or PostgreSQL), for what only the
    server knows (an answer key, how many rows a sync made). Build `query` from trusted values only."""
    if site.database_url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(site.database_url.removeprefix("sqlite:///"))
        try:
            return conn.execute(query).fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(site.database_url) as pg:
        return pg.execute(query).fetchall()


def submit(page: Any) -> None:
    """Tap the main form's submit button and wait for the next page."""
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").tap()


def batch_create(officer: Any, *, programme: str, title: str, venue: str, starts_on: str, ends_on: str) -> str:
    """On the new-batch form (already open): a batch of 20 places in the first upazila, costing ৮,০১৩ taka,
    saved; returns the batch page's path."""
    officer.locator("select[name=programme]").select_option(label=programme)
    officer.locator("input[name=title]").fill(title)
    officer.locator("select[name=upazila]").select_option(index=1)
    officer.locator("input[name=venue]").fill(venue)
    officer.locator("input[name=starts_on]").fill(starts_on)
    officer.locator("input[name=ends_on]").fill(ends_on)
    officer.locator("input[name=capacity]").fill("২০")
    officer.locator("input[name=cost_venue]").fill("৪,০০০")
    officer.locator("input[name=cost_allowances]").fill("৩,০০০")
    officer.locator("input[name=cost_materials]").fill("১,০১৩")
    submit(officer)
    path = urlsplit(officer.url).path
    assert re.fullmatch(r"/training/batches/\d+/", path), officer.url
    return str(path)


def sign_in_by_code(page: Any, *, phone: str, audit: Any = None) -> None:
    """From the sign-in page: type the number, send, read the demo code shown on the page, type it, sign in."""
    assert urlsplit(page.url).path == "/sign-in/", page.url
    page.locator("input[name=phone]").fill(phone)
    submit(page)
    assert urlsplit(page.url).path == "/sign-in/code/", f"no code page after sending the number: {page.url}"
    enter_demo_code(page, audit=audit)


def enter_demo_code(page: Any, *, audit: Any = None) -> None:
    if audit:
        audit(page)
    code = page.locator("[data-testid=demo-code]").inner_text().strip()
    assert len(code) == 6 and code.isdigit(), f"the demo code on the page is {code!r}"
    page.locator("input[name=code]").fill(code)
    submit(page)


def page_problems(page: Any, figures: list[str]) -> list[str]:
    """What is wrong with the page as a 360 px phone shows it: sideways scrolling, serious axe violations."""
    where = urlsplit(page.url).path
    problems = []
    scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
        problems.append(f"{where}: scrolls sideways ({scroll_width}px wide in a {inner_width}px window); "
                        f"too wide: {', '.join(wide)}")
    violations = _axe_runner().run(page).response["violations"]
    for violation in violations:
        targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
        line = f"{where}: axe {violation['impact']} {violation['id']} — {violation['help']} — at {targets}"
        if violation["impact"] in SERIOUS:
            problems.append(line)
        else:
            figures.append("  note " + line)
    return problems


@dataclass
class Transfer:
    url: str
    kind: str  # CDP resource type: Document, Stylesheet, Script, Image, Font, …
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    bytes: int = 0  # everything received over the network for it: headers + compressed body
    from_cache: bool = False
    finished: bool = False


class NetworkLog:
    """Counts the bytes a page pulls over the network, from Chrome's own `Network.loadingFinished`
    `encodedDataLength` (headers + compressed body; 0 for what the HTTP cache served)."""

    def __init__(self, page: Any) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.transfers: dict[str, Transfer] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.requestServedFromCache", self._cached)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.send("Network.enable")

    def clear(self) -> None:
        self.transfers.clear()

    def _sent(self, event: dict[str, Any]) -> None:
        rid = event["requestId"]
        redirect = event.get("redirectResponse")
        if redirect and rid in self.transfers:
            # The redirect hop is its own transfer; the request id continues with the new URL.
            hop = self.transfers.pop(rid)
            hop.bytes, hop.status, hop.finished = int(redirect.get("encodedDataLength", 0)), redirect["status"], True
            self.transfers[f"{rid}#{len(self.transfers)}"] = hop
        self.transfers[rid] = Transfer(url=event["request"]["url"], kind=event.get("type", "Other"))

    def _response(self, event: dict[str, Any]) -> None:
        item = self.transfers.get(event["requestId"])
        if item:
            response = event["response"]
            item.status = response["status"]
            item.headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
            cached = response.get("fromDiskCache") or response.get("fromPrefetchCache")
            item.from_cache = item.from_cache or bool(cached)
            item.kind = event.get("type", item.kind)

    def _cached(self, event: dict[str, Any]) -> None:
        item = self.transfers.get(event["requestId"])
        if item:
            item.from_cache = True

    def _finished(self, event: dict[str, Any]) -> None:
        item = self.transfers.get(event["requestId"])
        if item:
            item.bytes, item.finished = int(event["encodedDataLength"]), True

    def _failed(self, event: dict[str, Any]) -> None:
        item = self.transfers.get(event["requestId"])
        if item:
            item.finished = True

    def settled(self, page: Any) -> list[Transfer]:
        """Wait until every request the log saw has finished; return what was fetched over http(s)."""
        for _ in range(100):
            if all(t.finished for t in self.transfers.values()):
                break
            page.wait_for_timeout(50)
        pending = [t.url for t in self.transfers.values() if not t.finished]
        assert not pending, f"requests still running: {pending}"
        return [t for t in self.transfers.values() if t.url.startswith(("http://", "https://"))]


def total(transfers: list[Transfer], *kinds: str, exclude: set[str] | None = None) -> int:
    return sum(t.bytes for t in transfers
               if (not kinds or t.kind in kinds) and not (exclude and t.kind in exclude))


def describe(transfers: list[Transfer]) -> str:
    return ", ".join(
        f"{urlsplit(t.url).path} [{t.kind}] {t.bytes} B"
        + (f" {t.headers.get('content-encoding')}" if t.headers.get("content-encoding") else "")
        + (" (cache)" if t.from_cache else "")
        for t in transfers)


# Chrome DevTools' "Regular 2G" preset.
REGULAR_2G = {"offline": False, "latency": 300, "downloadThroughput": 250 * 1000 / 8,
              "uploadThroughput": 50 * 1000 / 8, "connectionType": "cellular2g"}


def emulate_regular_2g(page: Any) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", REGULAR_2G)
    return cdp


def load_time_ms(page: Any) -> float:
    """Milliseconds from navigation start to the end of the `load` event (Navigation Timing Level 2)."""
    return float(page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd"))
