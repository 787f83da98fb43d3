"""The calendar of record is Dhaka's: "today", a batch's attendance day, a certificate's date.

Bangladesh is UTC+6 all year, so from 18:00 to 24:00 UTC the date in Dhaka is already the next day.
Every date derived from a moment goes through `dhaka_today()` or `dhaka_date(moment)`; never `.date()` on
an aware datetime (that is its own zone's date, UTC for what the database gives back on PostgreSQL),
never `date.today()` (the server's zone, UTC on most servers).

`TIME_ZONE` is "Asia/Dhaka" and nothing activates another zone, so Django's own conversions — the `|date`
and `|time` filters, `__date` lookups, `TruncDate` — agree with these helpers; the system check below
refuses settings where they would not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.checks import Error, register
from django.utils import timezone

DHAKA_ZONE = "Asia/Dhaka"
DHAKA = ZoneInfo(DHAKA_ZONE)


def dhaka_now() -> dt.datetime:
    """The current moment, in Dhaka's zone."""
    return timezone.now().astimezone(DHAKA)


def dhaka_today() -> dt.date:
    """Today's date in Dhaka (the date on a teacher's phone), whatever zone the server runs in."""
    return dhaka_now().date()


def dhaka_date(moment: dt.datetime) -> dt.date:
    """The date in Dhaka at `moment`. A naive datetime is a bug (we cannot know its zone): ValueError."""
    if timezone.is_naive(moment):
        raise ValueError(f"dhaka_date() needs an aware datetime, got the naive {moment!r}")
    return moment.astimezone(DHAKA).date()


def dhaka_datetime(day: dt.date, time: dt.time = dt.time.min) -> dt.datetime:
    """The aware moment at `time` (default: the start) of the Dhaka date `day`."""
    return dt.datetime.combine(day, time, tzinfo=DHAKA)


@register()
def dhaka_time_zone_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Templates, `__date` lookups and TruncDate use the current time zone: it must be Dhaka's."""
    if not settings.USE_TZ or settings.TIME_ZONE != DHAKA_ZONE:
        return [Error(
            f"TIME_ZONE is {settings.TIME_ZONE!r} and USE_TZ is {settings.USE_TZ!r}: dates shown in templates "
            "and computed by the database would disagree with shikhon.core.clock (Dhaka's calendar).",
            hint=f'Set TIME_ZONE = "{DHAKA_ZONE}" and USE_TZ = True.',
            id="shikhon.E010",
        )]
    return []
