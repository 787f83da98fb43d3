"""Writes for notifications: tell a person (once per event), deliver the SMS (once), mark read, choose SMS."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shikhon.core import sms
from shikhon.notify.models import Notification, SmsPreference
from shikhon.notify.registry import notification_kinds, render
from shikhon.notify.selectors import unread_forget, unread_forget_many

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tell:
    """One event to tell one person: who, what kind, the event's key (told once per key), the details
    the kind's words are filled from and the page it is about."""

    recipient_id: int
    kind: str
    event_key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""


def _check_kinds(kinds: Iterable[str]) -> None:
    unknown = sorted({kind for kind in kinds if kind not in notification_kinds})
    if unknown:
        raise ValidationError(_("Unknown kind of notification."), code="invalid_kind")


def _sms_wanted(pairs: Sequence[tuple[int, str]]) -> set[tuple[int, str]]:
    """Of these (person, kind) pairs, those that also come by SMS: her choice, else the kind's default.
    One query however many people."""
    if not pairs:
        return set()
    chosen = {(user_id, kind): sms for user_id, kind, sms in SmsPreference.objects.filter(
        user_id__in={user_id for user_id, _kind in pairs}, kind__in={kind for _user, kind in pairs},
    ).values_list("user_id", "kind", "sms")}
    wanted = set()
    for pair in pairs:
        choice = chosen.get(pair)
        entry = notification_kinds.find(pair[1])
        if (entry is not None and entry.sms_by_default) if choice is None else choice:
            wanted.add(pair)
    return wanted


def notifications_send_many(*, tells: Iterable[Tell]) -> list[Notification]:
    """Tell many people about their events in a constant number of queries, whatever their number:
    one read of what was told already, one insert (per few hundred rows; a key told already or at the same
    moment by another request is skipped by the unique index), one read of SMS choices and one read of the
    rows. The SMS of the newly told go to one task per call after commit; each is sent once
    (`notification_sms_deliver` marks it under a row lock). Returns the notifications of these events, new or
    told before, in the order given."""
    wanted: dict[tuple[int, str], Tell] = {}
    for tell in tells:
        wanted.setdefault((tell.recipient_id, tell.event_key[:120]), tell)
    if not wanted:
        return []
    _check_kinds(tell.kind for tell in wanted.values())
    with transaction.atomic():
        return _send_many(wanted)


def _send_many(wanted: dict[tuple[int, str], Tell]) -> list[Notification]:
    recipients = {recipient_id for recipient_id, _key in wanted}
    keys = {key for _recipient, key in wanted}

    def told() -> dict[tuple[int, str], Notification]:
        rows = Notification.objects.filter(recipient_id__in=recipients, event_key__in=keys)
        return {(n.recipient_id, n.event_key): n for n in rows if (n.recipient_id, n.event_key) in wanted}

    before = set(told())
    new = [Notification(recipient_id=recipient_id, kind=tell.kind, event_key=key, params=dict(tell.params),
                        url=tell.url[:300])
           for (recipient_id, key), tell in wanted.items() if (recipient_id, key) not in before]
    if not new:
        rows = told()
        return [rows[pair] for pair in wanted if pair in rows]
    for notification in new:
        notification.full_clean(exclude=["recipient"], validate_unique=False, validate_constraints=False)
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    unread_forget_many(recipients)
    by_sms = _sms_wanted([(n.recipient_id, n.kind) for n in new])
    rows = told()
    fresh = {(n.recipient_id, n.event_key) for n in new}
    # A key stored at the same moment by another request may be counted here too: its SMS is still sent once.
    ids = [rows[pair].pk for pair in wanted
           if pair in fresh and pair in rows and (pair[0], rows[pair].kind) in by_sms]
    if ids:
        from shikhon.notify.tasks import deliver_notifications_sms

        transaction.on_commit(lambda: deliver_notifications_sms.enqueue(notification_ids=ids), robust=True)
    return [rows[pair] for pair in wanted if pair in rows]


def notification_send(*, recipient: Any, kind: str, event_key: str, params: dict[str, Any] | None = None,
                      url: str = "") -> Notification:
    """Tell `recipient` about an event. The same `event_key` twice gives back the first notification
    and sends nothing more. The SMS, if she wants one, goes through the task queue after commit."""
    notification = notifications_send_many(tells=[Tell(recipient_id=recipient.pk, kind=kind, event_key=event_key,
                                                       params=params or {}, url=url)])[0]
    notification.recipient = recipient
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


def notifications_sms_deliver(*, notification_ids: Sequence[int]) -> int:
    """Send the SMS of each notification not sent yet, each in its own transaction (so a retry sends only
    the rest). One failing number does not hold back the others; the first failure is raised at the end, so
    the task is marked failed. Returns how many this call sent."""
    sent, failure = 0, None
    for notification_id in notification_ids:
        try:
            sent += notification_sms_deliver(notification_id=notification_id)
        except Exception as error:  # noqa: BLE001 - reported below, after the others are sent
            logger.exception("SMS of notification %s failed", notification_id)
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


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
    _check_kinds(choices)
    for kind, wanted in choices.items():
        SmsPreference.objects.update_or_create(user=actor, kind=kind, defaults={"sms": bool(wanted)})
