"""core's tasks are safe to run twice: the SMS task sends once per key."""

from __future__ import annotations

from unittest import mock

import pytest

from shikhon.core import sms
from shikhon.core.models import SmsSent
from shikhon.core.tasks import send_sms_task

pytestmark = pytest.mark.django_db


def test_send_sms_task_twice_sends_once():
    first = send_sms_task.enqueue(to="+8801711000000", body="প্রশিক্ষণ কাল সকাল ৯টায়", key="batch:7:reminder")
    second = send_sms_task.enqueue(to="+8801711000000", body="প্রশিক্ষণ কাল সকাল ৯টায়", key="batch:7:reminder")
    assert (first.return_value, second.return_value) == (True, False)
    assert [m.body for m in sms.outbox] == ["প্রশিক্ষণ কাল সকাল ৯টায়"]
    assert SmsSent.objects.get().key == "batch:7:reminder"


def test_different_keys_are_different_messages():
    send_sms_task.enqueue(to="+8801711000000", body="a", key="k1")
    send_sms_task.enqueue(to="+8801711000000", body="a", key="k2")
    assert len(sms.outbox) == 2


def test_a_failed_send_records_nothing_so_the_retry_sends():
    with mock.patch.object(sms, "send_sms", side_effect=sms.SmsError("gateway down")), \
            pytest.raises(sms.SmsError):
        sms.send_sms_once(key="k", to="+8801711000000", body="hello")
    assert not SmsSent.objects.exists()
    assert sms.send_sms_once(key="k", to="+8801711000000", body="hello") is True
    assert [m.body for m in sms.outbox] == ["hello"]


def test_a_worker_killed_mid_send_leaves_no_key():
    # SystemExit stands for the worker dying (SIGTERM's second signal, or the process going away).
    with mock.patch.object(sms, "send_sms", side_effect=SystemExit(1)), pytest.raises(SystemExit):
        sms.send_sms_once(key="k", to="+8801711000000", body="hello")
    assert not SmsSent.objects.exists()
