"""The notifications supported practice sends, with their words; registered from PracticeConfig.ready. Nudges
(`NUDGE_*`) are sent at most once a week per teacher and never at night (services.nudges)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

RECORD_ACKNOWLEDGED = "practice_acknowledged"
RECORD_ENCOURAGED = "practice_encouraged"
PLAN_MADE_AT_MEETING = "practice_planned_at_meeting"
OBSERVATION_PROPOSED = "observation_proposed"
OBSERVATION_ANSWERED = "observation_answered"
OBSERVATION_RECORDED = "observation_recorded"
OBSERVATION_REPLIED = "observation_replied"
NUDGE_MODULE_WITHOUT_PLAN = "nudge_module_without_plan"
NUDGE_PLAN_OVERDUE = "nudge_plan_overdue"
NUDGE_MEETING_TOMORROW = "nudge_meeting_tomorrow"
ONGOING_STATUS_CHANGED = "ongoing_status_changed"


def _status_words(params: Mapping[str, Any]) -> str:
    """The status in the reader's language (the stored Bangla label is only a fallback for old rows)."""
    if "ongoing" in params:
        status = gettext("an ongoing user") if params["ongoing"] else gettext("not an ongoing user now")
    else:
        status = str(params["status"])
    return gettext("Your ongoing-user status is now: %(status)s.") % {"status": status}


def register() -> None:
    for kind in (
        NotificationKind(RECORD_ACKNOWLEDGED, _("My head teacher acknowledges my practice"),
                         _("%(name)s acknowledged your practice of “%(activity)s”.")),
        NotificationKind(RECORD_ENCOURAGED, _("A colleague encourages my practice"),
                         _("%(name)s encouraged your practice of “%(activity)s”.")),
        NotificationKind(PLAN_MADE_AT_MEETING, _("A plan is made for me at a circle meeting"),
                         _("At the circle meeting you planned to try “%(activity)s” on %(date)s.")),
        NotificationKind(OBSERVATION_PROPOSED, _("Someone asks to observe my lesson"), _(
            "%(name)s would like to observe your lesson on %(date)s. Please agree, decline or ask for another "
            "date on Shikhon."), sms_by_default=True),
        NotificationKind(OBSERVATION_ANSWERED, _("A teacher answers my request to observe her lesson"),
                         _("%(name)s answered your request to observe her lesson: %(answer)s")),
        NotificationKind(OBSERVATION_RECORDED, _("An observation of my lesson is recorded"),
                         _("%(name)s recorded the observation of your lesson. Read it and reply on Shikhon.")),
        NotificationKind(OBSERVATION_REPLIED, _("A teacher replies to my observation"),
                         _("%(name)s replied to your observation of her lesson.")),
        NotificationKind(NUDGE_MODULE_WITHOUT_PLAN, _("Reminders to try what I learned in class"), _(
            "You finished “%(module)s”. Plan one of its activities for your class: tap “Try it in your class”.")),
        NotificationKind(NUDGE_PLAN_OVERDUE, _("Reminders of practice plans whose day has passed"), _(
            "You planned “%(activity)s” for %(date)s. Record how it went — “tried, did not work” is practice too.")),
        NotificationKind(NUDGE_MEETING_TOMORROW, _("Reminders the day before my circle meets"),
                         _("Your circle meets tomorrow (%(date)s). Bring what you tried and how it went.")),
        NotificationKind(ONGOING_STATUS_CHANGED, _("My ongoing-user status changes"),
                         _("Your ongoing-user status is now: %(status)s."), render=_status_words),
    ):
        notification_kinds.add(kind)
