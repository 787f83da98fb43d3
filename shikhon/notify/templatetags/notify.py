"""`{{ notification|notification_text }}`: a notification's words, rendered through the kind registry."""

from __future__ import annotations

from django import template

from shikhon.notify.models import Notification
from shikhon.notify.selectors import notification_text as _notification_text

register = template.Library()


@register.filter
def notification_text(notification: Notification) -> str:
    return _notification_text(notification)
