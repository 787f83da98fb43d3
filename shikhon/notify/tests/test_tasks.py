"""notify's task is safe to run twice (a retry, or a task taken back from a dead worker): one SMS."""

from __future__ import annotations

from unittest import mock

import pytest

from shikhon.core import sms
from shikhon.notify import services
from shikhon.notify.models import Notification
from shikhon.notify.tasks import deliver_notification_sms

pytestmark = pytest.mark.django_db


@pytest.fixture
def notification(people):
    with mock.patch.object(services.transaction, "on_commit"):  # not delivered yet
        return services.notification_send(
            recipient=people["teacher_rubi"], kind="membership_approved", event_key="role:1:approved",
            params={"school": "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়"}, url="/")


def test_delivering_twice_sends_one_sms(notification):
    assert deliver_notification_sms.enqueue(notification_id=notification.pk).return_value is True
    assert deliver_notification_sms.enqueue(notification_id=notification.pk).return_value is False
    assert len(sms.outbox) == 1
    assert Notification.objects.get().sms_sent_at is not None


def test_a_worker_that_dies_while_sending_leaves_it_to_send_again(notification):
    with mock.patch.object(services.sms, "send_sms", side_effect=SystemExit(1)), pytest.raises(SystemExit):
        services.notification_sms_deliver(notification_id=notification.pk)
    assert Notification.objects.get().sms_sent_at is None
    assert deliver_notification_sms.enqueue(notification_id=notification.pk).return_value is True
    assert deliver_notification_sms.enqueue(notification_id=notification.pk).return_value is False
    assert len(sms.outbox) == 1
