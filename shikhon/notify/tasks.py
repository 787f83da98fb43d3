"""Background jobs of notify: thin, idempotent, safe to retry."""

from __future__ import annotations

from django_tasks import task

from shikhon.notify import services


@task()
def deliver_notification_sms(*, notification_id: int) -> bool:
    return services.notification_sms_deliver(notification_id=notification_id)
