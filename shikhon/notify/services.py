"""Writes for notifications: tell a person (once per event), deliver the SMS (once), mark read, choose SMS."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shikhon.core import sms
from shikhon.notify.messages import SMS_BY_DEFAULT, render
from shikhon.notify.models import Kind, Notification, SmsPreference
from shikhon.notify.selectors import unread_forget


def wants_sms(user: Any, kind: str) -> bool:
    choice = SmsPreference.objects.filter(user=user, kind=kind).values_list("sms", flat=True).first()
    return kind in SMS_BY_DEFAULT if choice is None else bool(choice)


@transaction.atomic
def notification_send(*, recipient: Any, kind: str, event_key: str, params: dict[str, Any] | None = None,
                      url: str = "") -> Notification:
    """Tell `recipient` about an event. The same `event_key` twice gives back the first notification
    and sends nothing more. The SMS, if she wants one, goes through the task queue after commit."""
    if kind not in Kind.values:
        raise ValidationError(_("Unknown kind of notification."), code="invalid_kind")
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, event_key=event_key[:120],
        defaults={"kind": kind, "params": params or {}, "url": url[:300]},
    )
    if created and wants_sms(recipient, kind):
        from shikhon.notify.tasks import deliver_notification_sms

        pk = notification.pk
        transaction.on_commit(lambda: deliver_notification_sms.enqueue(notification_id=pk), robust=True)
    return notification


def notification_sms_deliver(*, notification_id: int) -> bool:
    """Send the SMS of one notification unless it was sent already. True when this call sent it."""
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(of=("self",)).select_related("recipient")
                        .filter(pk=notification_id, sms_sent_at__isnull=True).first())
        if notification is None:
            return False
        with translation.override("bn"):  # SMS in Bangla: phones show it best and most teachers read it first
            body = _("Shikhon: %(text)s") % {"text": render(notification.kind, notification.params)}
        sms.send_sms(to=notification.recipient.phone, body=body)
        notification.sms_sent_at = timezone.now()
        notification.save(update_fields=["sms_sent_at"])
    return True


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    unread_forget(actor.pk)
    return count


@transaction.atomic
def sms_preferences_set(*, actor: Any, choices: dict[str, bool]) -> None:
    unknown = set(choices) - set(Kind.values)
    if unknown:
        raise ValidationError(_("Unknown kind of notification."), code="invalid_kind")
    for kind, wanted in choices.items():
        SmsPreference.objects.update_or_create(user=actor, kind=kind, defaults={"sms": bool(wanted)})
