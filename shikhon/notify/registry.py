"""The kinds of notification. notify keeps the registry and knows none of the kinds: each app registers
its own from its `AppConfig.ready` (e.g. `shikhon/courses/notifications.py`), with the label a person sees
among her SMS choices and the words of the notification. A stored notification keeps only its kind and
details, so it reads in whatever language the person uses when she opens it.

    notification_kinds.add(NotificationKind(
        name="course_published", label=_("My course is published"),
        text=_("Your course %(course)s is published. Teachers can enrol now.")))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

from shikhon.core.registry import Registry


@dataclass(frozen=True)
class NotificationKind:
    name: str  # stored in Notification.kind and SmsPreference.kind (at most 40 characters)
    label: str | Promise  # "I earn a certificate": what she ticks among her SMS choices
    text: str | Promise = ""  # the words, printf-style with named placeholders filled from the details
    sms_by_default: bool = False  # also by SMS until she chooses: events that change what she can do
    render: Callable[[Mapping[str, Any]], str] | None = None  # words worked out from the details instead

    def words(self, params: Mapping[str, Any]) -> str:
        """The notification's sentence in the active language; a neutral sentence if details are missing."""
        try:
            if self.render is not None:
                return str(self.render(params))
            return str(self.text) % {key: str(value) for key, value in params.items()}
        except (KeyError, TypeError, ValueError):
            return neutral_text()


notification_kinds: Registry[NotificationKind] = Registry("notification kind")


def neutral_text() -> str:
    return gettext("You have a new notification.")


def render(kind: str, params: Mapping[str, Any] | None) -> str:
    """The words of a stored notification. A kind nobody registers any more (an old row) reads neutrally."""
    entry = notification_kinds.find(kind)
    if entry is None or not isinstance(params, Mapping):
        return neutral_text()
    return entry.words(params)
