from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save


def _forget_unread(sender: Any, instance: Any, **kwargs: Any) -> None:
    """One of her notifications was added, read or removed: her cached unread count is stale."""
    from shikhon.notify.selectors import unread_forget

    if instance.recipient_id is not None:
        unread_forget(instance.recipient_id)


def _count_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Count her unread notifications once when she signs in, so every page after it reads the cache."""
    from shikhon.notify.selectors import unread_count

    if user is not None and user.pk is not None:
        unread_count(user)


class NotifyConfig(AppConfig):
    name = "shikhon.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        model = self.get_model("Notification")
        post_save.connect(_forget_unread, sender=model, dispatch_uid="notify-unread-save")
        post_delete.connect(_forget_unread, sender=model, dispatch_uid="notify-unread-delete")
        user_logged_in.connect(_count_at_sign_in, dispatch_uid="notify-unread-sign-in")
