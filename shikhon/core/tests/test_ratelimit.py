"""Rate limits hold across processes without Redis: counted in a database table of their own."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from shikhon.core import ratelimit

BASE_DIR = Path(settings.BASE_DIR)
PG_BASE = os.environ.get("SHIKHON_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432")

# Each process waits for the same start time, then hits the same key as fast as it can.
RACE = """
import sys, time, django
django.setup()
from shikhon.core import ratelimit
start, hits = float(sys.argv[1]), int(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
print(sum(ratelimit.hit(key="race", limit=25, window_seconds=3600) for _ in range(hits)))
"""


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHIKHON_", "REDIS_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": database_url})
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _race(env: dict[str, str], processes: int = 3, hits: int = 20) -> int:
    import time

    start = str(time.time() + 3)
    running = [subprocess.Popen([sys.executable, "-c", RACE, start, str(hits)], cwd=BASE_DIR, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(processes)]
    allowed = 0
    for proc in running:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        allowed += int(out.strip())
    return allowed


@pytest.fixture
def database_counter(db):
    """The demo's configuration: the `ratelimit` alias a DatabaseCache, its table made as after `migrate`."""
    config = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "ratelimit": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                            "LOCATION": "shikhon_ratelimit"}}
    with override_settings(CACHES=config):
        ratelimit.create_cache_tables(using="default")
        yield


def test_counts_up_to_the_limit_in_the_database_table(database_counter):
    assert type(ratelimit.counting_table()).__name__ == "DatabaseCache"
    results = [ratelimit.hit(key="code-ip:203.0.113.9", limit=3, window_seconds=60) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.hit(key="code-ip:203.0.113.10", limit=3, window_seconds=60)  # another key, its own count
    assert "shikhon_ratelimit" in connection.introspection.table_names()


def test_a_counter_whose_window_is_over_starts_again(database_counter, monkeypatch):
    monkeypatch.setattr(ratelimit, "_clock", lambda: 1_800_000_010.0)
    assert [ratelimit.hit(key="k", limit=1, window_seconds=60) for _ in range(2)] == [True, False]
    monkeypatch.setattr(ratelimit, "_clock", lambda: 1_800_000_070.0)  # the next window
    assert ratelimit.hit(key="k", limit=1, window_seconds=60)


def test_one_query_per_hit(database_counter, django_assert_max_num_queries):
    ratelimit.hit(key="q", limit=5, window_seconds=60)
    with django_assert_max_num_queries(1):
        ratelimit.hit(key="q", limit=5, window_seconds=60)


def test_without_redis_the_demo_settings_count_in_the_database():
    done = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup(); from django.conf import settings as s; "
                               "print(json.dumps([c['BACKEND'] for c in s.CACHES.values()]))"],
        cwd=BASE_DIR, env=_env("sqlite:////tmp/unused.sqlite3"), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '["django.core.cache.backends.db.DatabaseCache", ' \
                                  '"django.core.cache.backends.db.DatabaseCache"]'


@pytest.mark.slow
def test_processes_sharing_a_sqlite_demo_database_allow_the_limit_exactly(tmp_path):
    """`migrate` alone makes the cache tables (post_migrate); then three processes race on one key."""
    env = _env(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    _manage(env, "migrate", "--noinput", "-v0")
    assert _race(env) == 25


@pytest.mark.slow
def test_processes_sharing_a_postgresql_database_allow_the_limit_exactly():
    import psycopg

    name = f"shikhon_ratelimit_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(f"{PG_BASE}/postgres", autocommit=True, connect_timeout=2)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG_BASE} ({exc})")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = _env(f"{PG_BASE}/{name}")
        _manage(env, "createcachetable")
        assert _race(env) == 25
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def test_an_sqlite_too_old_for_the_counter_is_a_system_check_error():
    from shikhon.core.checks import sqlite_version_check

    assert sqlite_version_check(None, sqlite_version=(3, 40, 1), sqlite_in_use=True) == []
    assert sqlite_version_check(None, sqlite_version=(3, 34, 1), sqlite_in_use=False) == []  # PostgreSQL only
    (error,) = sqlite_version_check(None, sqlite_version=(3, 34, 1), sqlite_in_use=True)
    assert error.id == "shikhon.E011" and "3.34.1" in error.msg
