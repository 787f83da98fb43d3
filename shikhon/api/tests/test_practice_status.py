"""Ongoing status and the certificate of practice in the API: her status and its history with the definition's
sentence, an area's counts for officers, mentors and researchers (counts only: no person's name anywhere), 404 for
everyone else, and her progress towards the certificate of practice — checked against the document."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shikhon.api.tests.conftest import assert_error
from shikhon.api.tests.test_practice_fixtures import *  # noqa: F403 - the practice API's fixtures and helpers
from shikhon.api.tests.test_practice_fixtures import activities_of, query_count
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.tests.factories import SchoolFactory
from shikhon.practice.models import Meeting, PracticeRecord
from shikhon.practice.services import status as status_services
from shikhon.practice.tests.factories import MeetingFactory, PracticeRecordFactory, SchoolCircleFactory

pytestmark = pytest.mark.django_db


def make_ongoing(everyone: dict[str, Any], activity: Any, places: dict[str, Any]) -> None:
    """Rubi: three records on two activities and a circle meeting she came to — ongoing by the default rule."""
    acts = activities_of(activity)
    for act in (acts[0], acts[1], acts[1]):
        PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=act)
    meeting: Meeting = MeetingFactory(circle=SchoolCircleFactory(school=places["school_hatia"]),
                                      recorded_by=everyone["head_teacher_masuma"])
    meeting.attendees.add(everyone["teacher_rubi"])
    status_services.ongoing_evaluate(teacher=everyone["teacher_rubi"])
    status_services.ongoing_evaluate(teacher=everyone["colleague"])


def test_my_status_before_and_after_the_evaluation(as_, everyone, activity, places):
    rubi = as_("teacher_rubi")
    body = rubi.get("/practice/status/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["status"] is None and body["history"] == []
    assert body["definition"].startswith("An ongoing user has made at least 3 practice records")
    make_ongoing(everyone, activity, places)
    body = rubi.get("/practice/status/me").json()
    assert body["status"]["is_ongoing"] is True and body["status"]["rule_version"] == body["definition_version"]
    assert body["status"]["counts"]["records"] == 3 and body["status"]["counts"]["activities"] == 2
    assert len(body["history"]) == 1
    assert as_("colleague").get("/practice/status/me").json()["status"]["is_ongoing"] is False


@pytest.mark.parametrize("who, ongoing, evaluated", [
    ("officer_hatia", 1, 2), ("mentor_hatia", 1, 2), ("officer_noakhali", 1, 2), ("researcher_tanvir", 1, 2),
    ("national_admin_nasrin", 1, 2), ("officer_other_upazila", 0, 0),
])
def test_area_counts_for_those_who_read_them(as_, everyone, activity, places, who, ongoing, evaluated):
    make_ongoing(everyone, activity, places)
    response = as_(who).get("/practice/status/area", {"level": "school"})
    body = response.json()
    assert (body["ongoing"], body["evaluated"]) == (ongoing, evaluated)
    assert body["level"] == "school" and body["definition"]
    if ongoing:
        assert body["items"][0]["place_id"] == places["school_hatia"].pk
        assert (body["items"][0]["ongoing"], body["items"][0]["evaluated"]) == (1, 2)
    # Counts only: no person's name or id anywhere in the answer.
    text = response.content.decode()
    for person in ("teacher_rubi", "colleague", "head_teacher_masuma"):
        assert everyone[person].name_bn not in text and everyone[person].name_en not in text
    assert "teacher" not in json.dumps(body["items"]).replace('"teachers"', "")


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "colleague", "teacher_of_other_school",
                                 "no_role_user"])
def test_area_counts_are_404_for_everyone_else(as_, who):
    assert_error(as_(who).get("/practice/status/area"), 404, "not_found")


def test_area_level_outside_hers_falls_back_and_junk_is_422(as_, everyone, activity, places):
    make_ongoing(everyone, activity, places)
    officer = as_("officer_hatia")
    body = officer.get("/practice/status/area", {"level": "district"}).json()
    assert body["level"] == "school" and body["levels"] == ["school"]  # an upazila officer lists schools only
    assert_error(officer.get("/practice/status/area", {"level": "village"}), 422, "invalid")
    assert officer.get("/practice/status/area", {"page": 9}).json()["items"] == []


def test_area_counts_cost_the_same_for_2_places_and_10(as_, people, places):
    def teachers_practising_in(n: int) -> None:
        for _ in range(n):
            school = SchoolFactory(upazila=places["hatia"])
            teacher = UserFactory()
            grant(teacher, Role.Kind.TEACHER, school=school)
            status_services.ongoing_evaluate(teacher=teacher)

    api = as_("officer_hatia")
    teachers_practising_in(2)
    few = query_count(api, "/practice/status/area")
    teachers_practising_in(8)
    assert query_count(api, "/practice/status/area") == few
    assert api.get("/practice/status/area", {"limit": 100}).json()["count"] == 10


def test_certificate_progress(as_, everyone, activity, places):
    rubi = as_("teacher_rubi")
    body = rubi.get("/practice/certificate-progress", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["courses"] == [] and "certificate of practice needs at least 6 practice records" in body["rule"]
    make_ongoing(everyone, activity, places)
    PracticeRecord.objects.filter(teacher=everyone["teacher_rubi"]).update(acknowledged_at="2026-01-01T00:00Z")
    course = rubi.get("/practice/certificate-progress").json()["courses"][0]
    assert course["family"] == str(activity.module.course.family) and course["met"] is False
    conditions = {c["code"]: (c["have"], c["need"], c["met"]) for c in course["conditions"]}
    assert conditions["records"] == (3, 6, False) and conditions["acknowledged"] == (3, 1, True)
    assert conditions["observations"] == (0, 1, False) and course["certificate_id"] is None
    # Hers only: another teacher's answer does not show Rubi's courses.
    assert as_("colleague").get("/practice/certificate-progress").json()["courses"] == []
