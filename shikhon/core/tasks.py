"""Background tasks of the shared kernel (thin wrappers; run by `manage.py run_worker`)."""

from __future__ import annotations

from django_tasks import task

from shikhon.core import sms


@task()
def send_sms_task(*, to: str, body: str, key: str) -> bool:
    """Send one SMS outside the request, once per `key` (say "training-reminder:42:+8801…"), however often
    the task runs; enqueue it with transaction.on_commit. True when this run sent it."""
    return sms.send_sms_once(key=key, to=to, body=body)
