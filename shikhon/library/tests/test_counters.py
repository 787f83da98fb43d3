"""Views and downloads counted in the cache and flushed by a task (library/counters.py): no database write per
count, one UPDATE per content, and no count lost or doubled when flushes and counts race."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache

from shikhon.core import counting
from shikhon.core.schedule import periodic_jobs
from shikhon.core.tests.test_ratelimit import database_counter as database_counter  # the fixture
from shikhon.library import counters
from shikhon.library.counters import count_download, count_view, flush_counters
from shikhon.library.models import Content
from shikhon.library.registry_search import COUNTERS_FLUSH
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contents(people):
    rubi = people["teacher_rubi"]
    return [ContentFactory(author=rubi, published=True) for _ in range(3)]


def rows(contents) -> list[tuple[int, int]]:
    by_pk = {c.pk: (c.views, c.downloads) for c in Content.objects.filter(pk__in=[c.pk for c in contents])}
    return [by_pk[c.pk] for c in contents]


def test_counting_writes_nothing_to_the_database_and_a_flush_moves_the_counts(contents,
                                                                               django_assert_num_queries):
    a, b, c = contents
    with django_assert_num_queries(0):
        for _ in range(3):
            count_view(a.pk)
        count_view(b.pk)
        count_download(a.pk)
        count_download(a.pk)
    assert counters.pending_counts(a.pk) == {"views": 3, "downloads": 2}
    with django_assert_num_queries(2):  # one UPDATE per content (c was never counted)
        report = flush_counters()
    assert report.as_dict() == {"skipped": False, "contents": 2, "views": 4, "downloads": 2}
    assert rows(contents) == [(3, 2), (1, 0), (0, 0)]
    assert counters.pending_counts(a.pk) == {"views": 0, "downloads": 0}
    assert flush_counters().contents == 0  # nothing twice
    count_view(a.pk)
    flush_counters()
    assert rows(contents) == [(4, 2), (1, 0), (0, 0)]


@pytest.mark.parametrize("bad", [None, "", "x", -1, 0, "12abc"])
def test_a_bad_id_is_not_counted(bad):
    count_view(bad)
    count_download(bad)
    assert cache.get(counters.SEQUENCE_KEY) is None


def test_a_second_flush_while_one_runs_does_nothing(contents):
    a = contents[0]
    count_view(a.pk)
    cache.add(counters.LOCK_KEY, "another worker", timeout=60)
    assert flush_counters().skipped
    assert rows(contents)[0] == (0, 0) and counters.pending_counts(a.pk)["views"] == 1
    cache.delete(counters.LOCK_KEY)  # that worker finished (or its lock expired)
    assert not flush_counters().skipped
    assert rows(contents)[0] == (1, 0)
    assert cache.get(counters.LOCK_KEY) is None  # released


class CountingDuringReads:
    """core.counting, with views counted by "other requests" each time the flush reads counters (between its read
    and its decrement), as happens under load."""

    def __init__(self, real, content_id: int, times: int) -> None:
        self.real, self.content_id, self.left = real, content_id, times

    def get_many(self, keys):
        values = self.real.get_many(keys)
        if self.left and any(":views:" in key for key in keys):
            self.left -= 1
            count_view(self.content_id)
            count_view(self.content_id)
        return values

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_counts_made_during_a_flush_are_kept_for_the_next_one(contents, monkeypatch):
    a = contents[0]
    for _ in range(5):
        count_view(a.pk)
    monkeypatch.setattr(counters, "counting", CountingDuringReads(counting, a.pk, times=1))
    flush_counters()
    monkeypatch.setattr(counters, "counting", counting)
    assert rows(contents)[0] == (5, 0)  # what was read
    assert counters.pending_counts(a.pk)["views"] == 2  # counted meanwhile: still in the cache
    flush_counters()
    assert rows(contents)[0] == (7, 0)  # every count once
    assert flush_counters().contents == 0


def test_many_counts_and_flushes_interleaved_add_up_exactly(contents):
    a, b, c = contents
    expected = {a.pk: 0, b.pk: 0, c.pk: 0}
    for step in range(60):
        content = contents[step % 3] if step % 7 else a
        count_view(content.pk)
        expected[content.pk] += 1
        if step % 11 == 0:
            flush_counters()
    flush_counters()
    assert [v for v, _d in rows(contents)] == [expected[a.pk], expected[b.pk], expected[c.pk]]


def test_a_slot_being_written_is_taken_by_the_next_flush(contents):
    a, b = contents[0], contents[1]
    count_view(a.pk)
    # Another request has taken slot 2 but not written it yet (between its incr and its set).
    cache.set(counters._flag_key(b.pk), 1)
    counters._incr(counters.counter_key("views", b.pk))
    slot = counters._incr(counters.SEQUENCE_KEY)
    flush_counters()
    assert rows(contents)[:2] == [(1, 0), (0, 0)]
    cache.set(counters._slot_key(slot), b.pk)  # written now
    flush_counters()
    assert rows(contents)[:2] == [(1, 0), (1, 0)]


def test_a_slot_never_written_is_skipped_and_its_count_arrives_later(contents):
    a, b = contents[0], contents[1]
    cache.set(counters._flag_key(b.pk), 1)
    counters._incr(counters.counter_key("views", b.pk))
    counters._incr(counters.SEQUENCE_KEY)  # the request died before writing its slot
    count_view(a.pk)
    flush_counters()  # stops at the missing slot once
    flush_counters()  # then skips it
    assert rows(contents)[:2] == [(1, 0), (0, 0)]
    cache.delete(counters._flag_key(b.pk))  # the flag expires (FLAG_SECONDS)
    count_view(b.pk)
    flush_counters()
    assert rows(contents)[:2] == [(1, 0), (2, 0)]  # late, not lost


def test_a_failed_update_gives_the_counts_back(contents, monkeypatch):
    a = contents[0]
    count_view(a.pk)
    count_download(a.pk)

    def broken(**kwargs):
        raise RuntimeError("database gone")

    real_filter = Content.objects.filter
    monkeypatch.setattr(Content.objects, "filter", lambda *args, **kwargs: type(
        "Broken", (), {"update": staticmethod(broken)})())
    with pytest.raises(RuntimeError):
        flush_counters()
    monkeypatch.setattr(Content.objects, "filter", real_filter)
    assert counters.pending_counts(a.pk) == {"views": 1, "downloads": 1}
    assert cache.get(counters.LOCK_KEY) is None
    flush_counters()
    assert rows(contents)[0] == (1, 1)


def test_a_deleted_content_s_counts_are_dropped(contents):
    a = contents[2]
    count_view(a.pk)
    Content.objects.filter(pk=a.pk).delete()
    assert flush_counters().contents == 0


def test_the_flush_is_a_periodic_job_every_five_minutes_and_its_task_runs(contents):
    job = periodic_jobs.get(COUNTERS_FLUSH) if hasattr(periodic_jobs, "get") else periodic_jobs[COUNTERS_FLUSH]
    assert job.when.period == timedelta(minutes=5)
    count_view(contents[0].pk)
    job.enqueue()  # the immediate task backend runs it now
    assert rows(contents)[0] == (1, 0)


def test_without_redis_the_counts_go_through_the_database_counting_table(contents, database_counter):
    """The demo's configuration (no Redis): counters and the sequence in core.counting's table, so processes adding
    at once lose no count (core/tests/test_counting.py races them); a flush moves them into the rows the same way."""
    a, b, _c = contents
    for _ in range(3):
        count_view(a.pk)
    count_download(b.pk)
    assert counting.get_many([counters.counter_key("views", a.pk), counters.SEQUENCE_KEY]) == {
        counters.counter_key("views", a.pk): 3, counters.SEQUENCE_KEY: 2}
    assert counters.pending_counts(a.pk) == {"views": 3, "downloads": 0}
    report = flush_counters()
    assert report.as_dict() == {"skipped": False, "contents": 2, "views": 3, "downloads": 1}
    assert rows(contents) == [(3, 0), (0, 1), (0, 0)]
    assert counters.pending_counts(a.pk) == {"views": 0, "downloads": 0}

