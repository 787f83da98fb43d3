"""Test settings: fast hashing, immediate tasks, codes shown, no HTTPS redirect."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-0123456789abcdefghijklmnop")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("SHIKHON_DEMO_MODE", "1")
os.environ.setdefault("SMS_BACKEND", "memory")

from .base import *  # noqa: E402,F403
from .base import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"].pop("OPTIONS", None)
# The cache stays in each test process's memory, rate limits included, so query counts are those of
# production (Redis). The database counter of the demo is tested in shikhon/core/tests/test_ratelimit.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Tests assert on the English source strings (msgids) while the language stays Bangla (Bangla digits,
# lang="bn"). The compiled Bangla catalogue is switched on in the tests that check it
# (tests/test_bangla_catalogue.py) and in the browser tests, which run the real server.
LOCALE_PATHS = list[Path]()
