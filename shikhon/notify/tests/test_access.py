"""access_notification: the one way a page loads a notification for a person. Another person's, a missing id
and a malformed one are the same 404."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from shikhon.notify import selectors, services

pytestmark = pytest.mark.django_db
MISSING = 987_654


@pytest.fixture
def rubi_notification(people):
    return services.notification_send(recipient=people["teacher_rubi"], kind="membership_approved",
                                      event_key="role:1:approved", params={"school": "হাতিয়া"}, url="/")


def test_only_her_own_notification(people, rubi_notification):
    assert selectors.access_notification(people["teacher_rubi"], rubi_notification.pk) == rubi_notification
    for who in ("teacher_of_other_school", "head_teacher_masuma", "officer_hatia", "officer_other_upazila",
                "national_admin_nasrin"):
        with pytest.raises(Http404):
            selectors.access_notification(people[who], rubi_notification.pk)


@pytest.mark.parametrize("raw", [MISSING, 0, -1, "abc", "", None, 2**64])
def test_missing_or_malformed_ids_are_404(people, rubi_notification, raw):
    with pytest.raises(Http404):
        selectors.access_notification(people["teacher_rubi"], raw)


def test_opening_another_person_s_notification_is_404_and_leaves_it_unread(client, people, rubi_notification):
    client.force_login(people["teacher_of_other_school"])
    assert client.post(reverse("notify:open", args=[rubi_notification.pk])).status_code == 404
    rubi_notification.refresh_from_db()
    assert rubi_notification.read_at is None
