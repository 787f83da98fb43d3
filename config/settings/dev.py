"""Local development and `make demo`: SQLite, console SMS, codes shown on the page."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-shikhon-demo-key-0123456789abcdef")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("SHIKHON_DEMO_MODE", "1")
os.environ.setdefault("SHIKHON_TRUSTED_PROXY_COUNT", "0")  # gunicorn faces the browser directly

from .base import *  # noqa: E402,F403
