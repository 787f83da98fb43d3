"""Circles and meetings in the API: her school's circle, who sees a circle and its meetings (the circles'
permissions), recording a meeting — its leader only, once per client id, plans made for the members — and the
services' sentences for bad input, every answer checked against the document."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from shikhon.api.tests.conftest import assert_error
from shikhon.api.tests.test_practice_fixtures import *  # noqa: F403 - the practice API's fixtures and helpers
from shikhon.api.tests.test_practice_fixtures import query_count
from shikhon.core.clock import dhaka_today
from shikhon.practice.models import Meeting, PracticePlan
from shikhon.practice.tests.factories import MeetingFactory, PracticeRecordFactory, SchoolCircleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(places):
    return SchoolCircleFactory(school=places["school_hatia"])


def meeting_body(everyone: dict[str, Any], activity: Any, **extra: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "held_on": dhaka_today().isoformat(),
            "attendees": [everyone["teacher_rubi"].pk, everyone["colleague"].pk], "activities": [activity.pk],
            "notes": "জোড়ায় গোনা নিয়ে কথা হলো।",
            "plans": [{"teacher": everyone["teacher_rubi"].pk, "activity": activity.pk,
                       "planned_on": (dhaka_today() + dt.timedelta(days=2)).isoformat(), "grade": 2}], **extra}


def test_her_circle_is_opened_once_and_listed(as_, everyone, places):
    rubi = as_("teacher_rubi")
    assert rubi.get("/practice/circles").json()["count"] == 0  # not opened yet: a GET makes nothing
    opened = rubi.post("/practice/circles/mine").json()
    assert opened["kind"] == "school" and opened["school"]["id"] == places["school_hatia"].pk
    assert opened["may_lead"] is False
    members = {m["id"]: m["is_head"] for m in opened["members"]}
    assert members[everyone["head_teacher_masuma"].pk] is True and members[everyone["teacher_rubi"].pk] is False
    assert as_("head_teacher_masuma").post("/practice/circles/mine").json()["id"] == opened["id"]
    assert [c["id"] for c in rubi.get("/practice/circles").json()["items"]] == [opened["id"]]
    assert as_("head_teacher_masuma").get(f"/practice/circles/{opened['id']}").json()["may_lead"] is True


@pytest.mark.parametrize("who", ["officer_hatia", "researcher_tanvir", "no_role_user"])
def test_no_school_no_circle_of_her_own(as_, who):
    assert_error(as_(who).post("/practice/circles/mine"), 404, "not_found")


@pytest.mark.parametrize("who, sees", [
    ("teacher_rubi", True), ("head_teacher_masuma", True), ("colleague", True), ("officer_hatia", True),
    ("mentor_hatia", True), ("teacher_of_other_school", False), ("officer_other_upazila", False),
    ("researcher_tanvir", False),
])
def test_circle_and_meetings_visibility(as_, everyone, circle, who, sees):
    meeting = MeetingFactory(circle=circle, recorded_by=everyone["head_teacher_masuma"])
    api = as_(who)
    for path in (f"/practice/circles/{circle.pk}", f"/practice/circles/{circle.pk}/meetings",
                 f"/practice/meetings/{meeting.pk}"):
        response = api.get(path)
        if sees:
            assert response.status_code == 200, path
        else:
            assert_error(response, 404, "not_found")
    if sees:
        assert [m["id"] for m in api.get(f"/practice/circles/{circle.pk}/meetings").json()["items"]] == [meeting.pk]


@pytest.mark.parametrize("who, status", [
    ("head_teacher_masuma", 201), ("officer_hatia", 201), ("teacher_rubi", 403), ("colleague", 403),
    ("teacher_of_other_school", 404), ("officer_other_upazila", 404), ("researcher_tanvir", 404),
])
def test_record_a_meeting_leader_only(as_, everyone, circle, activity, who, status):
    response = as_(who).post(f"/practice/circles/{circle.pk}/meetings", meeting_body(everyone, activity))
    assert response.status_code == status, response.content
    assert Meeting.objects.count() == (1 if status == 201 else 0)
    assert PracticePlan.objects.count() == (1 if status == 201 else 0)


def test_meeting_recorded_once_for_three_sends_with_its_plans(as_, everyone, circle, activity):
    record = PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=activity)
    masuma = as_("head_teacher_masuma")
    body = meeting_body(everyone, activity, reflections=[record.pk])
    answers = [masuma.post(f"/practice/circles/{circle.pk}/meetings", body) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert Meeting.objects.count() == 1 and PracticePlan.objects.count() == 1
    made = answers[0].json()
    assert made["came"] == 2 and made["planned"] == 1
    assert {a["id"] for a in made["attendees"]} == {everyone["teacher_rubi"].pk, everyone["colleague"].pk}
    assert [r["id"] for r in made["reflections"]] == [record.pk]
    plan = made["plans"][0]
    assert plan["teacher"]["id"] == everyone["teacher_rubi"].pk and plan["activity"]["id"] == activity.pk
    # The plan is hers: she sees it among her plans, made by her head teacher at the meeting.
    mine = as_("teacher_rubi").get(f"/practice/plans/{plan['id']}").json()
    assert mine["meeting"] == made["id"] and mine["made_by"] == everyone["head_teacher_masuma"].pk
    assert masuma.get(f"/practice/meetings/{made['id']}").json() == made


@pytest.mark.parametrize("change, field", [
    ({"held_on": (dhaka_today() + dt.timedelta(days=1)).isoformat()}, "held_on"),
    ({"held_on": (dhaka_today() - dt.timedelta(days=400)).isoformat()}, "held_on"),
    ({"attendees": [10**9]}, "attendees"),
    ({"activities": [10**9]}, "activities"),
    ({"reflections": [10**9]}, "reflections"),
    ({"plans": [{"teacher": 10**9, "activity": 1, "planned_on": dhaka_today().isoformat(), "grade": 2}]}, "plans"),
])
def test_meeting_bad_input_is_400_with_the_sentence(as_, everyone, circle, activity, change, field):
    response = as_("head_teacher_masuma").post(f"/practice/circles/{circle.pk}/meetings",
                                               meeting_body(everyone, activity, **change), HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 400, "bad_request")
    assert field in error["details"]["fields"] and error["message"]
    assert Meeting.objects.count() == 0 and PracticePlan.objects.count() == 0


def test_meeting_malformed_body_is_422(as_, everyone, circle, activity):
    masuma = as_("head_teacher_masuma")
    for body in ({**meeting_body(everyone, activity), "client_id": "x"},
                 {**meeting_body(everyone, activity), "attendees": "all"},
                 {**meeting_body(everyone, activity), "held_on": "yesterday"}):
        assert_error(masuma.post(f"/practice/circles/{circle.pk}/meetings", body), 422, "invalid")
    assert Meeting.objects.count() == 0


def test_meeting_client_id_of_another_circle_is_409(as_, everyone, places, circle, activity):
    other = SchoolCircleFactory(school=places["school_hatia_2"])
    body = meeting_body(everyone, activity)
    assert as_("officer_hatia").post(f"/practice/circles/{circle.pk}/meetings", body).status_code == 201
    error = assert_error(as_("officer_hatia").post(f"/practice/circles/{other.pk}/meetings",
                                                   {**body, "attendees": [], "plans": []}), 409, "conflict")
    assert error["details"]["reason"] == "client_id_taken"
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia"])
def test_meetings_and_circles_lists_cost_the_same_for_2_rows_and_10(as_, everyone, circle, who):
    api = as_(who)
    path = f"/practice/circles/{circle.pk}/meetings"
    for _ in range(2):
        MeetingFactory(circle=circle, recorded_by=everyone["head_teacher_masuma"])
    few = query_count(api, path)
    for _ in range(8):
        MeetingFactory(circle=circle, recorded_by=everyone["head_teacher_masuma"])
    assert query_count(api, path) == few
    assert api.get(path, {"limit": 100}).json()["count"] == 10
