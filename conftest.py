"""Shared fixtures: named people of the demo story, in every role, and people of other places."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import pytest

from shikhon.core import sms

# Figures the browser tests print after the run (tests/browser/conftest.py). Under pytest-xdist each worker
# sends its own to the controller, which prints them here.
_WORKER_FIGURES: list[str] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    _WORKER_FIGURES.extend(getattr(node, "workeroutput", {}).get("shikhon_browser_figures", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _WORKER_FIGURES:
        terminalreporter.section("browser: weight, 2G timings, accessibility (from every xdist worker)")
        for line in _WORKER_FIGURES:
            terminalreporter.write_line(line)


def _is_transactional(item: pytest.Item) -> bool:
    """Marked `django_db(transaction=True)`, or asking for `transactional_db` (even under a module's plain
    `django_db` mark: the fixture still flushes the database at the end)."""
    if "transactional_db" in getattr(item, "fixturenames", ()):
        return True
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("transaction", marker.args[0] if marker.args else False))


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests' files first: pytest-django puts tests without a database last, and those files take one
    or two minutes each, so pytest-xdist (which hands files out in this order) ended every run with one worker on a
    long browser story while the other waited. Otherwise the order is pytest-django's.

    A transactional test flushes the test database when it ends, and with it what the migrations loaded (the
    geography of places/0002). pytest-django runs such tests last in one process, but pytest-xdist's loadfile
    runs them among a worker's other files. So the database is serialized once when it is set up (the
    serialized_rollback flag asks pytest-django for that) and reloaded after every transactional test
    (pytest_runtest_teardown below)."""
    for item in items:
        if not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)  # stable: browser files first


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    yield  # the test's fixtures are finalized: a transactional test has flushed the database
    if nextitem is None or not _is_transactional(item):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _rate_limit_windows_frozen(monkeypatch):
    """Rate limits count in fixed windows (core.ratelimit): a test's hits all fall in the window of its
    start, even when it runs across a minute's edge (a test may move the clock on itself)."""
    from shikhon.core import ratelimit

    frozen = time.time()
    monkeypatch.setattr(ratelimit, "_clock", lambda: frozen)


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a request leaves its language active in the thread (the API
    follows Accept-Language), which would otherwise leak into the next test's sentences and digits."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def places(db):
    from shikhon.people.tests.factories import named_places

    return named_places()


@pytest.fixture
def people(db, places):
    """teacher_rubi, head_teacher_masuma, officer_hatia, … (see people/tests/factories.py)."""
    from shikhon.people.tests.factories import named_people

    return named_people(places)


@dataclass
class TickingClock:
    """`django.utils.timezone.now` moved to `start`, still ticking with the real clock."""

    start: dt.datetime
    _real_start: float

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.time() - self._real_start)

    def set(self, moment: dt.datetime) -> None:
        self.start, self._real_start = moment.astimezone(dt.UTC), time.time()


@pytest.fixture
def dhaka_small_hours(monkeypatch: pytest.MonkeyPatch) -> TickingClock:
    """The clock at 01:30 in Dhaka — 19:30 UTC of the day before, when the UTC date is still yesterday's —
    and ticking from there. Everything that asks `django.utils.timezone.now()` (services, `localdate`,
    `auto_now` fields, the helpers of shikhon.core.clock) sees it; a test written with `date.today()` or
    `.date()` on a UTC datetime fails under it. `clock.set(moment)` moves it. (CI also runs the whole suite
    at this hour under libfaketime: see .ci/run.)"""
    from django.utils import timezone

    from shikhon.core.clock import DHAKA, dhaka_datetime

    real_today = dt.datetime.now(DHAKA).date()
    clock = TickingClock(start=dhaka_datetime(real_today, dt.time(1, 30)).astimezone(dt.UTC),
                         _real_start=time.time())
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def media_root(settings, tmp_path):
    """Media storage in a temporary folder of the test's own; the folder's path."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root
