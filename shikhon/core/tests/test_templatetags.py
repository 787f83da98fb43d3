"""The template filters of core (built in on every template)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from shikhon.core.templatetags.bangla import iso


def test_iso_is_a_valid_html_datetime_to_the_second_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Asia/Dhaka"
    with timezone.override(zoneinfo.ZoneInfo("Asia/Dhaka")):
        when = dt.datetime(2026, 12, 2, 21, 20, 0, 952887, tzinfo=dt.UTC)
        assert iso(when) == "2026-12-03T03:20:00+06:00"
    assert iso(dt.date(2026, 12, 3)) == "2026-12-03"
    assert iso(None) == "" and iso("yesterday") == ""
