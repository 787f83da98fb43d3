"""notifications_send_many: a constant number of statements whatever the number of people, each event told
once, each SMS sent once."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model

from shikhon.core import sms
from shikhon.notify import selectors, services
from shikhon.notify.models import Notification, SmsPreference
from shikhon.notify.services import Tell

pytestmark = pytest.mark.django_db

# Measured on SQLite: 6 statements for 2 people and for 50 (savepoint, what was told already, one insert,
# SMS choices, the rows reread, release).
SEND_MANY_MAX_QUERIES = 6


_numbers = itertools.count(1)


def make_people(count):
    """People made here, not with people's factories: notify sits below people (tests too)."""
    return [get_user_model().objects.create(phone=f"+8801911{next(_numbers):06d}", name_bn="শিক্ষক")
            for _ in range(count)]


def tells(users, kind="certificate_issued", key="event:1"):
    return [Tell(recipient_id=u.pk, kind=kind, event_key=key, params={"course": "গণিত", "code": "AB"}) for u in users]


@pytest.mark.parametrize("count", [2, 50])
def test_the_same_statements_for_2_or_50_people(count, django_assert_max_num_queries,
                                                django_capture_on_commit_callbacks):
    users = make_people(count)
    SmsPreference.objects.create(user=users[0], kind="certificate_issued", sms=False)
    with django_capture_on_commit_callbacks() as after_commit, django_assert_max_num_queries(SEND_MANY_MAX_QUERIES):
        told = services.notifications_send_many(tells=tells(users))
    assert [n.recipient_id for n in told] == [u.pk for u in users]
    assert Notification.objects.count() == count
    for callback in after_commit:
        callback()
    assert sorted(m.to for m in sms.outbox) == sorted(u.phone for u in users[1:])  # she chose no SMS


def test_told_again_creates_nothing_and_sends_no_second_sms(people, django_capture_on_commit_callbacks):
    users = [people["teacher_rubi"], people["head_teacher_masuma"]]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notifications_send_many(tells=tells(users))
    with django_capture_on_commit_callbacks(execute=True):
        again = services.notifications_send_many(tells=tells(users) + tells(users[:1], key="event:2"))
    assert [n.pk for n in again[:2]] == [n.pk for n in first]
    assert Notification.objects.count() == 3
    assert len(sms.outbox) == 3  # two for event:1, one for event:2 (new)
    # The task run twice (a retry) sends nothing more.
    assert services.notifications_sms_deliver(notification_ids=[n.pk for n in Notification.objects.all()]) == 0


def test_the_unread_counts_of_everyone_told_are_forgotten(people, django_capture_on_commit_callbacks):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    assert selectors.unread_count(rubi) == selectors.unread_count(masuma) == 0  # cached
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_send_many(tells=tells([rubi, masuma]))
    assert selectors.unread_count(rubi) == selectors.unread_count(masuma) == 1


def test_a_failing_number_does_not_hold_back_the_others(people, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(services.transaction, "on_commit", lambda *a, **k: None)
        told = services.notifications_send_many(tells=tells([people["teacher_rubi"], people["head_teacher_masuma"]]))
    real = sms.send_sms

    def flaky(*, to, body):
        if to == people["teacher_rubi"].phone:
            raise sms.SmsError("gateway down")
        real(to=to, body=body)

    monkeypatch.setattr(services.sms, "send_sms", flaky)
    with pytest.raises(sms.SmsError):
        services.notifications_sms_deliver(notification_ids=[n.pk for n in told])
    assert [m.to for m in sms.outbox] == [people["head_teacher_masuma"].phone]
    monkeypatch.setattr(services.sms, "send_sms", real)
    assert services.notifications_sms_deliver(notification_ids=[n.pk for n in told]) == 1  # the retry sends the rest


def test_nothing_to_tell_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.notifications_send_many(tells=[]) == []
