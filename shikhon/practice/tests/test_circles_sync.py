"""A circle's meeting recorded offline (`practice_meeting` through /sync/): the same form and service as online,
replays create nothing twice, the server's clock decides, bad items are refused with a sentence."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import ActivityFactory
from shikhon.practice.models import Circle, Meeting, PracticePlan
from shikhon.practice.services import circles as services

SYNC = "/sync/"


@pytest.fixture
def circle(places: dict[str, Any]) -> Circle:
    return services.circle_for_school(school=places["school_hatia"])


@pytest.fixture
def masuma(client: Client, people: dict[str, Any]) -> Client:
    client.force_login(people["head_teacher_masuma"])
    return client


def post(client: Client, *items: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(SYNC, data=json.dumps({"items": list(items)}), content_type="application/json")
    assert response.status_code == 200
    return response.json()["results"]


def fields_for(people: dict[str, Any], activity: Any, **more: Any) -> dict[str, list[str]]:
    rubi = people["teacher_rubi"]
    fields = {"csrfmiddlewaretoken": ["x"], "client_id": [str(uuid.uuid4())],
              "held_on": [dhaka_today().strftime("%d/%m/%Y")], "attendees": [str(rubi.pk)],
              "activities": [str(activity.pk)], "notes": ["উপকরণ বানানো হলো"],
              "plan_1_teacher": [str(rubi.pk)], "plan_1_activity": [str(activity.pk)],
              "plan_1_date": [(dhaka_today() + dt.timedelta(days=3)).isoformat()], "plan_1_grade": ["১"],
              "plan_1_section": [""]}
    fields.update(more)
    return fields


def item(circle: Circle, fields: dict[str, Any], **payload: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": "practice_meeting",
            "payload": {"url": reverse("practice:meeting_new", kwargs={"pk": circle.pk}), "fields": fields,
                        **payload},
            "made_at": (timezone.now() - dt.timedelta(days=40)).isoformat()}  # the phone's claim decides nothing


def test_a_meeting_sent_three_times_is_recorded_once(masuma, people, circle, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    one = item(circle, fields_for(people, activity))
    with django_capture_on_commit_callbacks(execute=True):
        answers = [post(masuma, one)[0] for _ in range(3)]
    assert [a["status"] for a in answers] == ["created", "duplicate", "duplicate"]
    meeting = Meeting.objects.get()
    assert answers[0]["url"] == meeting.get_absolute_url() == answers[2]["url"]
    assert meeting.held_on == dhaka_today() and meeting.recorded_by == people["head_teacher_masuma"]
    assert PracticePlan.objects.filter(meeting=meeting).count() == 1


def test_the_same_form_in_two_items_is_one_meeting(masuma, people, circle):
    fields = fields_for(people, ActivityFactory())
    first, second = post(masuma, item(circle, fields), item(circle, fields))
    assert first["status"] == second["status"] == "created" and first["url"] == second["url"]
    assert Meeting.objects.count() == 1 and PracticePlan.objects.count() == 1


def test_the_payloads_own_client_id_is_used(masuma, people, circle):
    key = str(uuid.uuid4())
    fields = fields_for(people, ActivityFactory())
    post(masuma, item(circle, fields, client_id=key), item(circle, fields, client_id=key))
    assert str(Meeting.objects.get().client_id) == key


def test_a_circle_given_by_id(masuma, people, circle):
    one = item(circle, fields_for(people, ActivityFactory()))
    one["payload"] = {"circle": circle.pk, "fields": one["payload"]["fields"]}
    assert post(masuma, one)[0]["status"] == "created"


def test_the_servers_clock_decides_the_date(masuma, people, circle):
    tomorrow = (dhaka_today() + dt.timedelta(days=1)).isoformat()
    [answer] = post(masuma, item(circle, fields_for(people, ActivityFactory(), held_on=[tomorrow])))
    assert answer["status"] == "rejected" and answer["message"]
    assert not Meeting.objects.exists()


def _bad_items(people: dict[str, Any], circle: Circle, activity: Any) -> list[tuple[dict[str, Any], str]]:
    good = fields_for(people, activity)
    other_page = item(circle, good)
    other_page["payload"]["url"] = reverse("practice:circle", kwargs={"pk": circle.pk})
    nowhere = item(circle, good)
    nowhere["payload"] = {"fields": good}
    return [
        (item(circle, {**good, "attendees": [str(people["teacher_of_other_school"].pk)]}), "rejected"),
        (item(circle, {**good, "held_on": ["99/99/9999"]}), "rejected"),
        (item(circle, {**good, "notes": ["ক" * 5000]}), "rejected"),
        (item(circle, {**good, "attendees": [str(n) for n in range(1, 400)]}), "rejected"),
        (item(circle, {**good, "client_id": ["not-a-uuid"]}), "rejected"),
        (item(circle, {**good, "attendees": 5}), "rejected"),
        (item(circle, good, client_id="nope"), "rejected"),
        (item(circle, good, extra="x"), "rejected"),
        (other_page, "rejected"),
        (nowhere, "rejected"),
    ]


def test_bad_items_are_refused_with_a_sentence_and_store_nothing(masuma, people, circle):
    for bad, status in _bad_items(people, circle, ActivityFactory()):
        [answer] = post(masuma, bad)
        assert answer["status"] == status, bad
        assert answer["message"] and "Traceback" not in answer["message"]
    assert not Meeting.objects.exists() and not PracticePlan.objects.exists()


@pytest.mark.parametrize("who", ["teacher_rubi", "mentor_hatia", "teacher_of_other_school", "researcher_tanvir"])
def test_only_the_leader_records_a_meeting_offline(client, people, circle, who):
    client.force_login(people[who])
    [answer] = post(client, item(circle, fields_for(people, ActivityFactory())))
    assert answer["status"] == "rejected"
    assert not Meeting.objects.exists()
