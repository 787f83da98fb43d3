from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from shikhon.core.access import row_or_404
from shikhon.core.caching import cache_seconds
from shikhon.notify.models import Notification, SmsPreference
from shikhon.notify.registry import NotificationKind, notification_kinds, render


def notifications_of(user: Any) -> QuerySet[Notification]:
    """A person sees only her own notifications."""
    return Notification.objects.filter(recipient=user)


def access_notification(user: Any, notification_id: object) -> Notification:
    """One of her own notifications (the one way a page loads one): another person's, a missing id and a
    malformed one are the same Http404."""
    if not getattr(user, "pk", None):
        raise Http404
    return row_or_404(notifications_of(user), notification_id)


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


def unread_forget_many(user_ids: Iterable[int]) -> None:
    """The same for many people at once (rows written in bulk send no post_save): one cache call."""
    keys = [_unread_key(user_id) for user_id in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def unread_count(user: Any) -> int:
    key = _unread_key(user.pk)
    count = cache.get(key)
    if not isinstance(count, int):
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, cache_seconds(UNREAD_CACHE_SECONDS))
    return count


def sms_kinds() -> list[NotificationKind]:
    """The kinds a person may choose to get by SMS: every registered kind, in the order registered."""
    return list(notification_kinds)


def sms_choices(user: Any) -> dict[str, bool]:
    """Her choice for each registered kind, else the kind's default. Choices of kinds nobody registers any
    more are left out."""
    chosen = dict(SmsPreference.objects.filter(user=user).values_list("kind", "sms"))
    return {kind.name: chosen.get(kind.name, kind.sms_by_default) for kind in sms_kinds()}


def notification_text(notification: Notification) -> str:
    """The words of a notification in the active language (a kind no app registers reads neutrally)."""
    return render(notification.kind, notification.params)


def unread_latest(user: Any, *, limit: int = 3) -> list[Notification]:
    """Her newest unread notifications (the head of the list, for her home page); one query."""
    if not getattr(user, "pk", None):
        return []
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)
                .order_by("-created_at", "-pk")[:limit])
