"""Background jobs of notify: thin, idempotent, safe to retry."""

from __future__ import annotations

from django_tasks import task

from shikhon.notify import services


@task()
def deliver_notification_sms(*, notification_id: int) -> bool:
    return services.notification_sms_deliver(notification_id=notification_id)


@task()
def deliver_notifications_sms(*, notification_ids: list[int]) -> int:
    """The SMS of many notifications told at once (e.g. a batch's invitations): one task, each sent once."""
    return services.notifications_sms_deliver(notification_ids=notification_ids)
