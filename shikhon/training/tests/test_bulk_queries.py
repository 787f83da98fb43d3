"""Bulk writes cost a constant number of statements, whatever the number of teachers: inviting a
batch and completing it (invitations, notifications with their SMS, audit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shikhon.core import sms
from shikhon.notify.models import Notification
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.training import services
from shikhon.training.models import Attendance, Batch, Invitation

pytestmark = pytest.mark.django_db

# Measured on SQLite: 15 statements to invite 2 teachers and 15 to invite 50 (permission, batch lock,
# eligibility, capacity, places, one insert of the invitations and their reread, the notifications' read /
# insert / SMS choices / reread, the audit event, savepoints); 13 to complete a batch of either size. One
# statement of room, never room for one per teacher (it was about 8 per teacher: 105 for 12).
INVITE_MAX_QUERIES = 16
COMPLETE_MAX_QUERIES = 14


@pytest.fixture
def teachers(people, places, certify):
    def make(count: int) -> list[int]:
        ids = []
        for _ in range(count):
            user = UserFactory()
            grant(user, "teacher", school=places["school_hatia"])
            certify(user)
            ids.append(user.pk)
        return ids
    return make


@pytest.mark.parametrize("count", [2, 50])
def test_inviting_takes_the_same_statements_for_2_or_50_teachers(
        people, make_batch, teachers, count, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    batch = make_batch(capacity=100)
    chosen = teachers(count)
    with django_capture_on_commit_callbacks() as after_commit, django_assert_max_num_queries(INVITE_MAX_QUERIES):
        sent = services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=chosen)
    assert len(sent) == count == Notification.objects.filter(kind="training_invited").count()
    # the officers' counts of teachers to invite forgotten, the unread counts forgotten, one task for every SMS
    assert len(after_commit) == 3
    with django_capture_on_commit_callbacks(execute=True):
        for callback in after_commit:
            callback()
    assert sorted(m.to for m in sms.outbox) == sorted(
        Invitation.objects.filter(batch=batch).values_list("teacher__phone", flat=True))


@pytest.mark.parametrize("count", [2, 50])
def test_completing_a_batch_takes_the_same_statements_for_2_or_50_teachers(
        people, make_batch, teachers, count, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    batch = make_batch(capacity=100, days=2)
    services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=teachers(count))
    Invitation.objects.filter(batch=batch).update(status=Invitation.Status.ACCEPTED)
    past = timezone.localdate() - dt.timedelta(days=3)
    Batch.objects.filter(pk=batch.pk).update(starts_on=past, ends_on=past + dt.timedelta(days=1))
    batch.refresh_from_db()
    Attendance.objects.bulk_create(
        Attendance(invitation=invitation, day=batch.starts_on + dt.timedelta(days=day), present=True)
        for invitation in Invitation.objects.filter(batch=batch) for day in range(2))
    with django_assert_max_num_queries(COMPLETE_MAX_QUERIES):
        assert services.batch_complete(actor=people["officer_hatia"], batch=batch) == count
    assert Notification.objects.filter(kind="training_completed").count() == count
