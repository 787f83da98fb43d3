"""Browser tests (tests/browser): the production stack — gunicorn, whitenoise with compressed, hashed static
files, GZip for HTML, DEBUG off — on a throwaway database, with demo codes shown on the page.

The test fixture sets DATABASE_URL (a temporary SQLite file, or a PostgreSQL database of its own in CI),
SHIKHON_STATIC_ROOT (a temporary collectstatic target) and SMS_FILE_PATH."""

import os
from pathlib import Path

from .dev import *  # noqa: F403

if os.environ.get("SHIKHON_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["SHIKHON_STATIC_ROOT"])
SMS_BACKEND = os.environ.get("SMS_BACKEND", "file")
# No worker runs beside the test server, so background tasks run inside the request.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The browser tests sign the same demo people in from many flows within minutes; the per-number limit of
# codes (3 in 15 minutes, asserted by the unit tests) would refuse them. The per-IP limit stays.
LOGIN_CODE_MAX_PER_PHONE = 20
LOGIN_CODE_MAX_PER_PHONE_ALL = 40
