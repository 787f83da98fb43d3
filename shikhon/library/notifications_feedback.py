"""The notifications the feedback part sends, with their words (registered by registry_feedback).

- `COMMENTED`: the author of a content is told someone commented on it. At most one notification per content per
  clock hour (the event key carries the hour): a lively discussion does not fill her list or her SMS allowance, and
  the notification leads her to the content's comments, where she reads them all.
- `REPORTED`: the mentors and officers of the content's upazila are told a content of their area was reported (one
  notification per report)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

COMMENTED = "library_commented"
REPORTED = "library_reported"


def _report_words(params: Mapping[str, Any]) -> str:
    """The reason in the reader's language (the stored code picks the label)."""
    from shikhon.library.models import Report

    reason = dict(Report.Reason.choices).get(str(params["reason"]), params["reason"])
    return gettext("A content of your area, “%(title)s”, was reported: %(reason)s. Please look at it.") % {
        "title": params["title"], "reason": reason}


def register() -> None:
    for kind in (
        NotificationKind(COMMENTED, _("Someone comments on my library content"),
                         _("%(name)s commented on your content “%(title)s”. Read the comments on Shikhon.")),
        NotificationKind(REPORTED, _("A library content of my area is reported"),
                         _("A content of your area, “%(title)s”, was reported: %(reason)s. Please look at it."),
                         render=_report_words),
    ):
        notification_kinds.add(kind)
