from shikhon.core.caching import LOCAL_MEMORY_SECONDS, cache_is_shared, cache_seconds


def test_per_process_cache_keeps_entries_briefly(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not cache_is_shared()
    assert cache_seconds(3600) == LOCAL_MEMORY_SECONDS
    assert cache_seconds(5) == 5


def test_shared_cache_keeps_entries_as_asked(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379"}}
    assert cache_is_shared()
    assert cache_seconds(3600) == 3600
