"""System checks for production settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def sms_backend_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """The console and file SMS backends write sign-in codes to logs or files: demo and tests only."""
    if settings.SMS_BACKEND in {"console", "file", "memory"} and not settings.SHIKHON_DEMO_MODE:
        return [Warning(
            f"SMS_BACKEND is {settings.SMS_BACKEND!r}: sign-in codes would be written to logs or files, "
            "and no teacher would receive them.",
            hint="Set SMS_BACKEND=http with SMS_HTTP_URL and SMS_HTTP_TOKEN for the SMS gateway.",
            id="shikhon.W001",
        )]
    if settings.SMS_BACKEND == "http" and not settings.SMS_HTTP_URL:
        return [Warning("SMS_BACKEND is 'http' but SMS_HTTP_URL is empty.", id="shikhon.W002")]
    if settings.SHIKHON_DEMO_MODE:
        return [Warning("SHIKHON_DEMO_MODE is on: sign-in codes are shown on the page.", id="shikhon.W003")]
    return []


SQLITE_NEEDED = (3, 35)


@register(Tags.database)
def sqlite_version_check(app_configs: Any, sqlite_version: tuple[int, ...] | None = None,
                         sqlite_in_use: bool | None = None, **kwargs: Any) -> list[Error]:
    """The rate-limit counter (core.ratelimit) counts in one `INSERT … ON CONFLICT … RETURNING`, which SQLite
    has from 3.35; Django 5.2 itself accepts 3.31. Only when a database is SQLite."""
    from django.db import connections

    if sqlite_in_use is None:
        sqlite_in_use = any(connections[alias].vendor == "sqlite" for alias in connections)
    if not sqlite_in_use:
        return []
    if sqlite_version is None:
        import sqlite3

        sqlite_version = sqlite3.sqlite_version_info
    if tuple(sqlite_version) >= SQLITE_NEEDED:
        return []
    found, needed = ".".join(map(str, sqlite_version)), ".".join(map(str, SQLITE_NEEDED))
    return [Error(
        f"SQLite {found} is older than {needed}: the rate limits' counter needs INSERT … ON CONFLICT … RETURNING.",
        hint="Use Python with a newer SQLite (Debian 12 and later ship one), or PostgreSQL.",
        id="shikhon.E011",
    )]
