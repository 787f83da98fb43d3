"""Django's Redis cache backend, with one redis-py client object per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation. Building one
costs more than the round trip itself with redis-py 7 (≈0.19 ms against ≈0.14 ms for a GET on loopback):
its response-callback tables are copied each time. Every page does several cache operations (session,
the signed-in person, the unread count, rate limits), so the client is built once per pool and kept. A
redis-py client holds no connection of its own (it borrows from the pool per command) and is thread-safe;
Django keeps a cache backend object per thread anyway.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # Django's private helpers are not in django-stubs
        pool = django_client._get_connection_pool(write)
        clients: dict[int, Any] = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = django_client._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
