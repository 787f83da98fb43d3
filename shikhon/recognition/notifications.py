"""The notification recognition sends; registered from RecognitionConfig.ready. Not by SMS unless she chooses it
among her SMS choices (good news, not something she must act on)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_date
from shikhon.notify.registry import NotificationKind, notification_kinds

CHAMPION_ANNOUNCED = "champion_announced"


def _champion_words(params: Mapping[str, Any]) -> str:
    """The week's date in the reader's language and digits (the details keep it as YYYY-MM-DD)."""
    week = format_date(dt.date.fromisoformat(str(params["week"])))
    return gettext("Congratulations! You are one of the three content champions of the week starting %(week)s. "
                   "See why on Shikhon.") % {"week": week}


def register() -> None:
    notification_kinds.add(NotificationKind(
        CHAMPION_ANNOUNCED, _("I am named one of the week's content champions"),
        _("Congratulations! You are one of the three content champions of the week starting %(week)s. "
          "See why on Shikhon."),
        sms_by_default=False, render=_champion_words))
