"""Views and downloads counted without a write per request (decision 0012): a page adds one to a counter in the
Django cache (`count_view`, `count_download`), and the periodic task `counters_flush` (every 5 minutes,
registry_search.py) moves the counts into `Content.views` / `Content.downloads`, one UPDATE per content.

How a count is never lost nor counted twice:

- **Adding** (two or three operations, each atomic): add one to the content's counter (`core.counting`: Redis,
  else the database's counting table), then mark the content dirty: `add` a flag in the cache, and only when the
  flag is new, note the content's id in the next slot of a list (add one to a sequence counter, `set` the slot).
  The counter is incremented *before* the flag is looked at, so a flush that has just taken the flag away has
  either seen this count or leaves the flag to be set again for the next flush.
- **Flushing**, one at a time (a lock taken with `add`, which only one caller wins; it expires if a worker
  dies): read the new slots; for each dirty content delete its flag, read its counters, `decr` them by what was
  read (increments meanwhile stay in the counter for the next flush), then add what was read to the row in one
  `UPDATE … SET views = views + n`. If the UPDATE fails, the counts are put back into the cache.
- A slot whose id is not written yet (a request between its `incr` and its `set`) stops the flush there, once;
  the next flush takes it if written, or skips it, and the content's flag expires after FLAG_SECONDS so its
  next view lists it again — its counter is kept meanwhile (no expiry), so the count is late, never lost.

With the local-memory cache alone (tests) each process counts for itself and only counts made in the process that
flushes reach the rows. Without Redis (the demo, small installs) the counters and the sequence are kept in the
database's counting table, one upsert per count (Django's database cache cannot add atomically), and the flags and
slots in the database cache, whose `add` is atomic (the key is unique).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import F

from shikhon.core import counting

logger = logging.getLogger(__name__)

PREFIX = "library:counters"
VIEWS = "views"
DOWNLOADS = "downloads"
COLUMNS = (VIEWS, DOWNLOADS)
LOCK_KEY = f"{PREFIX}:lock"
LOCK_SECONDS = 240  # under the 5 minutes between flushes; a flush of thousands of contents takes seconds
FLAG_SECONDS = 3600
SEQUENCE_KEY = f"{PREFIX}:dirty:n"  # the last slot given out
DONE_KEY = f"{PREFIX}:dirty:done"  # the last slot flushed
SEEN_KEY = f"{PREFIX}:dirty:seen"  # the last slot given out when the previous flush began
CHUNK = 500


def counter_key(column: str, content_id: int) -> str:
    return f"{PREFIX}:{column}:{content_id}"


def _flag_key(content_id: int) -> str:
    return f"{PREFIX}:dirty:{content_id}"


def _slot_key(slot: int) -> str:
    return f"{PREFIX}:dirty:slot:{slot}"


def _incr(key: str, delta: int = 1) -> int:
    """Atomic increment, the counter 0 when missing (core.counting: Redis, else the database's counting table)."""
    return counting.add(key, delta)


def _count(column: str, content_id: Any) -> None:
    try:
        content_id = int(content_id)
    except (TypeError, ValueError):
        return
    if content_id <= 0:
        return
    try:
        _incr(counter_key(column, content_id))
        if cache.add(_flag_key(content_id), 1, timeout=FLAG_SECONDS):
            slot = _incr(SEQUENCE_KEY)
            cache.set(_slot_key(slot), content_id, timeout=None)
    except Exception:  # a count is not worth a failed page (the cache being down)
        logger.warning("Could not count a %s of library content %s", column, content_id, exc_info=True)


def count_view(content_id: int) -> None:
    """One more view of a content (no database write: see the module's notes)."""
    _count(VIEWS, content_id)


def count_download(content_id: int) -> None:
    """One more download of a content's file (no database write)."""
    _count(DOWNLOADS, content_id)


def pending_counts(content_id: int) -> dict[str, int]:
    """The counts not yet flushed to the row (for a page that wants to show them at once)."""
    values = counting.get_many([counter_key(column, content_id) for column in COLUMNS])
    return {column: values[counter_key(column, content_id)] for column in COLUMNS}


# ------------------------------------------------------------------------------------------------- flushing


@dataclass
class FlushReport:
    skipped: bool = False  # another flush held the lock
    contents: int = 0  # rows updated
    views: int = 0
    downloads: int = 0

    def as_dict(self) -> dict[str, int | bool]:
        return {"skipped": self.skipped, "contents": self.contents, "views": self.views,
                "downloads": self.downloads}


def _dirty_ids() -> tuple[list[int], int, int]:
    """The content ids in the slots after the last flushed one, that slot, and the slot to record as flushed."""
    done = int(cache.get(DONE_KEY) or 0)
    last = counting.get(SEQUENCE_KEY)
    seen_before = int(cache.get(SEEN_KEY) or 0)
    cache.set(SEEN_KEY, last, timeout=None)
    ids: list[int] = []
    reached = done
    for start in range(done + 1, last + 1, CHUNK):
        slots = list(range(start, min(start + CHUNK, last + 1)))
        values = cache.get_many([_slot_key(slot) for slot in slots])
        for slot in slots:
            value = values.get(_slot_key(slot))
            if value is None and slot > seen_before:
                return ids, done, reached  # being written now: take it (and what follows) next time
            if value is not None:
                ids.append(int(value))
            reached = slot
    return ids, done, reached


def _take(content_id: int) -> dict[str, int]:
    """Take the content's counts out of the cache: delete its flag, read, decrement by what was read."""
    cache.delete(_flag_key(content_id))
    keys = [counter_key(column, content_id) for column in COLUMNS]
    values = counting.get_many(keys)
    taken: dict[str, int] = {}
    for column, key in zip(COLUMNS, keys, strict=True):
        value = values[key]
        if value > 0:
            counting.add(key, -value)
            taken[column] = value
    return taken


def _give_back(content_id: int, taken: dict[str, int]) -> None:
    for column, value in taken.items():
        _incr(counter_key(column, content_id), value)
    if cache.add(_flag_key(content_id), 1, timeout=FLAG_SECONDS):
        cache.set(_slot_key(_incr(SEQUENCE_KEY)), content_id, timeout=None)


def flush_counters() -> FlushReport:
    """Move the cached counts into the rows (see the module's notes); a second flush running at the same time
    does nothing (`skipped`)."""
    from shikhon.library.models import Content

    report = FlushReport()
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, timeout=LOCK_SECONDS):
        report.skipped = True
        return report
    try:
        ids, done, reached = _dirty_ids()
        for content_id in dict.fromkeys(ids):
            taken = _take(content_id)
            if not taken:
                continue
            try:
                updated = Content.objects.filter(pk=content_id).update(  # one statement: atomic by itself
                    **{column: F(column) + value for column, value in taken.items()})
            except Exception:
                _give_back(content_id, taken)
                raise
            if updated:  # a deleted content's counts are dropped
                report.contents += 1
                report.views += taken.get(VIEWS, 0)
                report.downloads += taken.get(DOWNLOADS, 0)
        cache.set(DONE_KEY, reached, timeout=None)
        for start in range(done + 1, reached + 1, CHUNK):
            cache.delete_many([_slot_key(slot) for slot in range(start, min(start + CHUNK, reached + 1))])
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)
    return report
