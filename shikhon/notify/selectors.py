from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from shikhon.core.caching import cache_seconds
from shikhon.notify.messages import SMS_BY_DEFAULT
from shikhon.notify.models import Kind, Notification, SmsPreference


def notifications_of(user: Any) -> QuerySet[Notification]:
    """A person sees only her own notifications."""
    return Notification.objects.filter(recipient=user)


# The header shows the unread count on every signed-in page: it is kept in the cache (shared by the app
# servers) and forgotten whenever one of her notifications is saved or deleted, or all are marked read.
UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"notify:unread:v1:{user_id}"


def unread_forget(user_id: int) -> None:
    """Forget her cached count now and again when the current transaction commits (so a page read
    in between cannot keep the old count)."""
    key = _unread_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def unread_count(user: Any) -> int:
    key = _unread_key(user.pk)
    count = cache.get(key)
    if not isinstance(count, int):
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, cache_seconds(UNREAD_CACHE_SECONDS))
    return count


def sms_choices(user: Any) -> dict[str, bool]:
    chosen = dict(SmsPreference.objects.filter(user=user).values_list("kind", "sms"))
    return {kind: chosen.get(kind, kind in SMS_BY_DEFAULT) for kind in Kind.values}
