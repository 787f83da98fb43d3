"""Production uses Redis for the cache (rate limits, sessions) when REDIS_URL is set. Needs a local Redis."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import override_settings

from shikhon.core import health, ratelimit

REDIS_URL = os.environ.get("SHIKHON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc}); start redis-server to run this test")
    return client


@pytest.fixture
def redis_cache():
    """The default cache switched to Redis under a prefix of its own; its keys are removed afterwards."""
    client = _redis()
    prefix = f"shikhon-test-{secrets.token_hex(4)}"
    config = {"default": {"BACKEND": "shikhon.core.redis_cache.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": prefix}}
    with override_settings(CACHES=config):
        yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_production_settings_choose_redis_when_redis_url_is_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHIKHON_", "SMS_", "REDIS_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "shikhon.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": REDIS_URL,
    })
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.CACHES['default'], s.SESSION_ENGINE]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(settings.BASE_DIR), env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    cache_config, session_engine = json.loads(done.stdout)
    assert cache_config["BACKEND"] == "shikhon.core.redis_cache.RedisCache"  # Django's, reusing its client
    assert cache_config["LOCATION"] == REDIS_URL
    assert session_engine == "django.contrib.sessions.backends.cached_db"


def test_cache_round_trip_through_redis(redis_cache):
    client, prefix = redis_cache
    assert type(caches["default"]).__name__ == "RedisCache"
    cache.set("greeting", {"bn": "নমস্কার", "n": 3}, timeout=30)
    assert cache.get("greeting") == {"bn": "নমস্কার", "n": 3}
    assert client.exists(f"{prefix}:1:greeting")  # really stored in Redis, not in this process
    assert 0 < client.ttl(f"{prefix}:1:greeting") <= 30


def test_rate_limit_counts_in_redis(redis_cache):
    client, prefix = redis_cache
    results = [ratelimit.hit(key="code-ip:203.0.113.9", limit=3, window_seconds=60) for _ in range(5)]
    assert results == [True, True, True, False, False]
    keys = [key.decode() for key in client.scan_iter(f"{prefix}:1:rl:code-ip:203.0.113.9:*")]
    assert len(keys) == 1
    assert int(client.get(keys[0])) == 5
    assert 0 < client.ttl(keys[0]) <= 65


def test_rate_limit_is_shared_between_app_servers(redis_cache):
    """Two processes' caches (simulated by two fresh connections) see one counter."""
    _client, prefix = redis_cache
    from django.core.cache.backends.redis import RedisCache

    other_server = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    assert ratelimit.hit(key="pw-ip:198.51.100.7", limit=2, window_seconds=60)
    assert ratelimit.hit(key="pw-ip:198.51.100.7", limit=2, window_seconds=60)
    bucket = next(iter(_client.scan_iter(f"{prefix}:1:rl:pw-ip:198.51.100.7:*"))).decode()
    assert other_server.get(bucket.removeprefix(f"{prefix}:1:")) == 2
    assert not ratelimit.hit(key="pw-ip:198.51.100.7", limit=2, window_seconds=60)


@pytest.mark.django_db
def test_healthz_checks_redis(redis_cache, client):
    assert health.check_cache() == "ok"
    assert client.get("/healthz", {"scope": "web"}).json()["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_redis_down(client):
    closed_port = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://127.0.0.1:1/15",
                               "OPTIONS": {"socket_connect_timeout": 1}}}
    with override_settings(CACHES=closed_port):
        response = client.get("/healthz", {"scope": "web"})
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "error"}


def test_the_redis_client_object_is_built_once_per_pool():
    """shikhon.core.redis_cache: Django's backend built a redis-py client per operation; ours keeps one."""
    _redis()
    from shikhon.core.redis_cache import RedisCache

    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"t{secrets.token_hex(4)}"})
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=False) is first and backend._cache.get_client("k") is first
    backend.set("a", {"x": 1}, 5)
    assert backend.get("a") == {"x": 1} and backend.get_many(["a", "b"]) == {"a": {"x": 1}}
    assert backend.add("a", 2, 5) is False
    backend.delete_many(["a"])
    assert backend.get("a") is None
