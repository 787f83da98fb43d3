"""The attendance day is Dhaka's: at 01:30 in Dhaka (19:30 UTC the day before) the first day of a batch that
starts today has come, and tomorrow has not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shikhon.core.clock import dhaka_today
from shikhon.training import services
from shikhon.training.models import Attendance


@pytest.fixture
def first_day(dhaka_small_hours, people, certified, make_batch):
    assert timezone.now().date() < dhaka_today(), "the fixture's hour: UTC still shows yesterday"
    batch = make_batch(starts_in=0, days=2)
    assert batch.starts_on == dhaka_today()
    invitation, = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                            teacher_ids=[people["teacher_rubi"].pk])
    services.invitation_respond(actor=people["teacher_rubi"], invitation=invitation, accept=True)
    return batch


def test_attendance_opens_on_the_dhaka_day(client, people, first_day):
    today = dhaka_today()
    client.force_login(people["officer_hatia"])
    url = reverse("training:attendance", kwargs={"pk": first_day.pk, "day": today.isoformat()})
    assert client.get(reverse("training:attendance_today", kwargs={"pk": first_day.pk})).url == url
    response = client.get(url)
    assert response.context["today"] == today and response.context["is_future"] is False
    assert client.post(url, {"present": [str(people["teacher_rubi"].pk)]}).status_code == 302
    assert Attendance.objects.get().day == today
    assert list(client.get(reverse("training:batch", kwargs={"pk": first_day.pk})).context["days"]) == [today]


def test_tomorrow_in_dhaka_is_still_the_future(people, first_day):
    with pytest.raises(ValidationError) as refused:
        services.attendance_take(actor=people["officer_hatia"], batch=first_day,
                                 day=dhaka_today() + dt.timedelta(days=1), present_ids=[])
    assert refused.value.code == "future"


def test_a_batch_that_started_yesterday_in_dhaka_is_closed_to_answers(people, certified, make_batch):
    """Yesterday in Dhaka is today in UTC at this hour: the invitation can no longer be answered."""
    batch = make_batch(starts_in=1, days=2)
    invitation, = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                            teacher_ids=[people["teacher_rubi"].pk])
    batch.__class__.objects.filter(pk=batch.pk).update(starts_on=timezone.now().date())  # UTC's today
    with pytest.raises(ValidationError) as refused:
        services.invitation_respond(actor=people["teacher_rubi"], invitation=invitation, accept=True)
    assert refused.value.code == "started"


@pytest.fixture(autouse=True)
def _at_half_past_one(dhaka_small_hours):
    return dhaka_small_hours
