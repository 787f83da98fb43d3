"""Dhaka's calendar at the hour when UTC still shows yesterday (the `dhaka_small_hours` fixture: 01:30 Dhaka)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import checks
from django.test import override_settings
from django.utils import timezone, translation

from shikhon.core.bangla import format_date
from shikhon.core.clock import DHAKA, dhaka_date, dhaka_datetime, dhaka_now, dhaka_today


def test_at_half_past_one_in_dhaka_the_utc_date_is_still_yesterday(dhaka_small_hours):
    now = timezone.now()
    assert now.astimezone(DHAKA).time().replace(second=0, microsecond=0) == dt.time(1, 30)
    assert dhaka_today() == now.date() + dt.timedelta(days=1)
    assert dhaka_date(now) == dhaka_today() == dhaka_now().date()
    assert timezone.localdate() == dhaka_today()  # the active zone is Dhaka's (TIME_ZONE)


def test_the_fixture_clock_keeps_ticking(dhaka_small_hours):
    first = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > first
    dhaka_small_hours.set(dhaka_datetime(dt.date(2026, 3, 26), dt.time(23, 59)))
    assert dhaka_today() == dt.date(2026, 3, 26)


def test_dhaka_date_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="naive"):
        dhaka_date(dt.datetime(2026, 1, 1, 20, 0))  # noqa: DTZ001 - the naive value is the point


def test_dhaka_date_of_a_utc_evening_is_the_next_day():
    assert dhaka_date(dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC)) == dt.date(2026, 12, 2)
    assert dhaka_date(dt.datetime(2026, 12, 1, 17, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 1)
    assert dhaka_datetime(dt.date(2026, 12, 2)) == dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.UTC)


def test_dates_shown_on_pages_and_pdfs_are_dhaka_dates(dhaka_small_hours):
    """format_date is what |bndate and the certificate PDF use."""
    now = timezone.now()
    with translation.override("en"):
        assert format_date(now, "en") == dhaka_today().strftime("%-d %B %Y")
    assert format_date(now, "en") != format_date(now.date(), "en")


def test_the_time_zone_check_refuses_another_zone():
    assert not [e for e in checks.run_checks() if e.id == "shikhon.E010"]
    with override_settings(TIME_ZONE="UTC"):
        assert [e.id for e in checks.run_checks() if e.id == "shikhon.E010"] == ["shikhon.E010"]
