from __future__ import annotations

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, object]:
    """The unread count for the header, counted only when a page shows it (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from shikhon.notify.selectors import unread_count

    return {"notify_unread": lambda: unread_count(user)}
