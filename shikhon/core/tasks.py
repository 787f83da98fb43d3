"""Background tasks of the shared kernel (thin wrappers; run by `manage.py run_worker`)."""

from __future__ import annotations

from django_tasks import task

from shikhon.core import sms


@task()
def send_sms_task(*, to: str, body: str) -> None:
    """Send one SMS outside the request; enqueue it with transaction.on_commit."""
    sms.send_sms(to=to, body=body)
