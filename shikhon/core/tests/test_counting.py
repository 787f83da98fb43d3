"""Counters every process agrees on (core.counting): in the database's counting table without Redis — adding and
taking away, reading many at once, never expiring, and processes adding at once losing no count — else the cache."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from shikhon.core import counting
from shikhon.core.tests.test_ratelimit import BASE_DIR, _env, _manage
from shikhon.core.tests.test_ratelimit import database_counter as database_counter  # the fixture

pytestmark = pytest.mark.django_db

# Each process waits for the same start time, then adds to the same counter as fast as it can.
RACE = """
import sys, time, django
django.setup()
from shikhon.core import counting
start, adds = float(sys.argv[1]), int(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
for _ in range(adds):
    counting.add("race")
"""


@pytest.fixture(params=["database table", "cache"])
def where(request):
    if request.param == "database table":
        request.getfixturevalue("database_counter")  # test_ratelimit's: the demo's configuration
    cache.clear()
    yield request.param
    cache.clear()


def test_adds_takes_away_and_reads_many(where):
    assert counting.get_many(["a", "b"]) == {"a": 0, "b": 0}
    assert [counting.add("a") for _ in range(3)] == [1, 2, 3]
    assert counting.add("b", 5) == 5
    assert counting.add("a", -2) == 1
    assert counting.get_many(["a", "b", "c"]) == {"a": 1, "b": 5, "c": 0}
    assert counting.get("b") == 5 and counting.get_many([]) == {}


def test_in_the_database_a_count_is_one_statement_and_outlives_a_window(database_counter, monkeypatch,
                                                                        django_assert_max_num_queries):
    from shikhon.core import ratelimit

    counting.add("views")
    with django_assert_max_num_queries(1):
        counting.add("views")
    ratelimit.hit(key="someone", limit=5, window_seconds=60)
    later = timezone.now() + timedelta(days=10 * 365)
    monkeypatch.setattr(timezone, "now", lambda: later)  # ten years on, a first hit sweeps what has expired
    assert ratelimit.hit(key="someone else", limit=5, window_seconds=60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM shikhon_ratelimit")
        left = [key for (key,) in cursor.fetchall()]
    assert not [key for key in left if "rl:someone:" in key], left  # the sweep ran
    assert counting.get("views") == 2


@pytest.mark.slow
def test_processes_adding_at_once_on_a_sqlite_demo_database_lose_no_count(tmp_path):
    env = _env(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    _manage(env, "createcachetable")
    start = str(time.time() + 3)
    running = [subprocess.Popen([sys.executable, "-c", RACE, start, "40"], cwd=BASE_DIR, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in running:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    done = subprocess.run([sys.executable, "-c", "import django; django.setup(); from shikhon.core import counting; "
                                                 "print(counting.get('race'))"],
                          cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "120"
