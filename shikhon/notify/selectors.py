from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shikhon.notify.messages import SMS_BY_DEFAULT
from shikhon.notify.models import Kind, Notification, SmsPreference


def notifications_of(user: Any) -> QuerySet[Notification]:
    """A person sees only her own notifications."""
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def sms_choices(user: Any) -> dict[str, bool]:
    chosen = dict(SmsPreference.objects.filter(user=user).values_list("kind", "sms"))
    return {kind: chosen.get(kind, kind in SMS_BY_DEFAULT) for kind in Kind.values}
