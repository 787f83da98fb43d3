"""SMS backends chosen by SMS_BACKEND: console (demo), file, memory (tests) and an HTTP gateway."""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


# Messages sent with the memory backend (tests read them).
outbox: list[SmsMessage] = []
_lock = threading.Lock()


class SmsError(Exception):
    pass


def send_sms(*, to: str, body: str) -> None:
    backend = settings.SMS_BACKEND
    if backend == "memory":
        with _lock:
            outbox.append(SmsMessage(to=to, body=body))
    elif backend == "console":
        logger.warning("SMS to %s: %s", to, body)
        print(f"[SMS to {to}] {body}", flush=True)  # noqa: T201 - the demo's visible SMS
    elif backend == "file":
        if not settings.SMS_FILE_PATH:
            raise SmsError("SMS_FILE_PATH is not set")
        with open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"at": timezone.now().isoformat(), "to": to, "body": body},
                                    ensure_ascii=False) + "\n")
    elif backend == "http":
        _send_http(to=to, body=body)
    else:
        raise SmsError(f"Unknown SMS_BACKEND {backend!r}")


def send_sms_once(*, key: str, to: str, body: str) -> bool:
    """Send an SMS unless one was sent under `key` before; True when this call sent it.

    The key is recorded in the same transaction as the send, so a task run twice (a retry, or a task
    taken back from a dead worker) sends once, and a concurrent run waits on the key's unique index and
    then sends nothing. A failed send records nothing, so a retry sends. Only a worker killed between the
    gateway's answer and the commit (milliseconds) can make a retry send again: exactly once is not
    possible with a gateway that takes no key."""
    from shikhon.core.models import SmsSent

    record = SmsSent(key=key, to=to, sent_at=timezone.now())
    record.full_clean(validate_unique=False)  # the unique index decides, also between two workers
    with transaction.atomic():
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:
            return False
        send_sms(to=to, body=body)
    return True


def send_sms_detached(*, to: str, body: str) -> None:
    """Send without making the caller wait for the gateway. Sign-in answers use it: their timing must
    not depend on the gateway (which would tell whether a number is registered), and a failure is
    logged rather than shown. Backends that don't leave the machine send at once."""
    if settings.SMS_BACKEND != "http":
        try:
            send_sms(to=to, body=body)
        except SmsError:
            logger.exception("SMS to %s failed", to)
        return

    def run() -> None:
        try:
            send_sms(to=to, body=body)
        except Exception:
            logger.exception("SMS to %s failed", to)

    threading.Thread(target=run, name="sms-send", daemon=True).start()


def _send_http(*, to: str, body: str) -> None:
    """POST JSON {to, from, text} to SMS_HTTP_URL with a bearer token; any 2xx is success."""
    url = settings.SMS_HTTP_URL
    if not url or not url.startswith(("https://", "http://")):
        raise SmsError("SMS_HTTP_URL is not set to an http(s) URL")
    payload = json.dumps({"to": to, "from": settings.SMS_SENDER_ID, "text": body}).encode()
    request = urllib.request.Request(url, data=payload, method="POST",  # noqa: S310 - scheme checked above
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN or ''}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise SmsError(f"SMS gateway answered {response.status}")
    except OSError as exc:
        raise SmsError(f"SMS gateway unreachable: {exc}") from exc
