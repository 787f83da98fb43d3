"""Learner checks in the API: the check definitions, a round recorded with her class once per client id (learners as
codes only), a round's results with the change since the baseline, who sees a round, the services' sentences for
bad input — checked against the document."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from shikhon.api.tests.conftest import assert_error
from shikhon.api.tests.test_practice_fixtures import *  # noqa: F403 - the practice API's fixtures and helpers
from shikhon.api.tests.test_practice_fixtures import query_count
from shikhon.core.clock import dhaka_today
from shikhon.practice.models import CheckResult, CheckRound, LearnerCheck
from shikhon.practice.tests.factories import CheckRoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_check() -> LearnerCheck:
    return LearnerCheck.objects.order_by("code", "-version").first()


def round_body(check: LearnerCheck, *, kind: str = "baseline", right: int = 3, days_ago: int = 0,
               **extra: Any) -> dict[str, Any]:
    """Two learners: L01 right on the first `right` items, L02 right on none."""
    codes = [item["code"] for item in check.definition["items"]]
    return {"client_id": str(uuid.uuid4()), "check": check.pk, "kind": kind, "grade": 1, "section": "ক",
            "held_on": (dhaka_today() - dt.timedelta(days=days_ago)).isoformat(),
            "results": {"L01": {code: i < right for i, code in enumerate(codes)}, "২": {codes[0]: False}},
            **extra}


def test_the_checks_with_their_items(as_, learner_check):
    body = as_("teacher_rubi").get("/practice/checks").json()
    assert body["count"] == 1
    check = body["items"][0]
    assert check["id"] == learner_check.pk and check["grade_from"] == 1 and check["grade_to"] == 2
    assert [i["code"] for i in check["items"]][:3] == ["R1", "R2", "R3"]
    assert check["items"][0]["skill"] == "recognition" and check["items"][0]["answer"] == "7"


def test_round_recorded_once_for_three_sends(as_, everyone, learner_check):
    rubi = as_("teacher_rubi")
    body = round_body(learner_check)
    answers = [rubi.post("/practice/check-rounds", body) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].json() == answers[2].json()
    assert CheckRound.objects.count() == 1
    items = len(learner_check.definition["items"])
    assert CheckResult.objects.count() == 2 * items  # every item stored: an item not marked right is wrong
    made = answers[0].json()
    assert made["learners"] == 2 and made["kind"] == "baseline" and made["comparison"] is None
    assert {t["code"]: t["right"] for t in made["learner_totals"]} == {"L01": 3, "2": 0}  # Bangla digit read
    assert made["items"][0] == {"item": "R1", "skill": "recognition", "right": 1, "total": 2, "percent": 50}


def test_follow_up_shows_the_change_since_the_baseline(as_, learner_check):
    rubi = as_("teacher_rubi")
    baseline = rubi.post("/practice/check-rounds", round_body(learner_check, right=0, days_ago=30)).json()
    follow_up = rubi.post("/practice/check-rounds", round_body(learner_check, kind="follow_up", right=12)).json()
    comparison = follow_up["comparison"]
    assert comparison["baseline"] == baseline["id"] and comparison["follow_up"] == follow_up["id"]
    r1 = comparison["items"][0]
    assert (r1["item"], r1["baseline_percent"], r1["follow_up_percent"], r1["change"]) == ("R1", 0, 50, 50)
    # The baseline's page shows the same pair.
    assert rubi.get(f"/practice/check-rounds/{baseline['id']}").json()["comparison"] == comparison


def test_follow_up_before_a_baseline_is_refused_with_the_sentence(as_, learner_check):
    response = as_("teacher_rubi").post("/practice/check-rounds", round_body(learner_check, kind="follow_up"),
                                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (400, 409)
    assert response.json()["error"]["message"].startswith("A follow-up needs an earlier baseline round")
    assert CheckRound.objects.count() == 0


def test_follow_up_before_a_baseline_is_409(as_, learner_check):
    error = assert_error(as_("teacher_rubi").post("/practice/check-rounds",
                                                  round_body(learner_check, kind="follow_up")), 409, "conflict")
    assert error["details"]["reason"] == "no_baseline"


@pytest.mark.parametrize("change, field", [
    ({"results": {"RAHIM": {"R1": True}}}, "results"),
    ({"results": {}}, "results"),
    ({"results": {"L01": {"Z9": True}}}, "results"),
    ({"results": {"L01": {"R1": True}, "l01": {"R1": False}}}, "results"),
    ({"grade": 5}, "grade"),
    ({"section": "ক" * 21}, "section"),
    ({"held_on": (dhaka_today() + dt.timedelta(days=1)).isoformat()}, "held_on"),
    ({"held_on": (dhaka_today() - dt.timedelta(days=400)).isoformat()}, "held_on"),
])
def test_round_bad_input_is_400_with_the_sentence(as_, learner_check, change, field):
    response = as_("teacher_rubi").post("/practice/check-rounds", round_body(learner_check, **change),
                                        HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 400, "bad_request")
    assert error["details"]["fields"][field] == [error["message"]]
    assert CheckRound.objects.count() == 0 and CheckResult.objects.count() == 0


@pytest.mark.parametrize("change", [{"kind": "midline"}, {"results": {"L01": {"R1": "maybe"}}}, {"check": "one"},
                                    {"client_id": "1"}, {"grade": None}, {"results": ["L01"]}])
def test_round_malformed_body_is_422(as_, learner_check, change):
    assert_error(as_("teacher_rubi").post("/practice/check-rounds", {**round_body(learner_check), **change}), 422,
                 "invalid")
    assert CheckRound.objects.count() == 0


def test_round_of_an_unknown_check_is_404_and_without_a_school_409(as_, learner_check):
    body = {**round_body(learner_check), "check": 10**9}
    error = assert_error(as_("teacher_rubi").post("/practice/check-rounds", body), 404, "not_found")
    assert error["details"]["field"] == "check"
    error = assert_error(as_("officer_hatia").post("/practice/check-rounds", round_body(learner_check)), 409,
                         "conflict")
    assert error["details"]["reason"] == "no_school"
    assert CheckRound.objects.count() == 0


def test_round_client_id_of_another_teacher_is_409(as_, learner_check):
    body = round_body(learner_check)
    assert as_("teacher_rubi").post("/practice/check-rounds", body).status_code == 201
    error = assert_error(as_("colleague").post("/practice/check-rounds", body), 409, "conflict")
    assert error["details"]["reason"] == "not_yours"


@pytest.mark.parametrize("who, sees", [
    ("teacher_rubi", True), ("head_teacher_masuma", True), ("officer_hatia", True), ("mentor_hatia", True),
    ("colleague", False), ("teacher_of_other_school", False), ("officer_other_upazila", False),
    ("researcher_tanvir", False),
])
def test_round_visibility(as_, everyone, learner_check, who, sees):
    check_round = CheckRoundFactory(teacher=everyone["teacher_rubi"], learner_check=learner_check)
    api = as_(who)
    listed = [r["id"] for r in api.get("/practice/check-rounds").json()["items"]]
    assert (check_round.pk in listed) is sees
    response = api.get(f"/practice/check-rounds/{check_round.pk}")
    if sees:
        assert response.json()["teacher"]["id"] == everyone["teacher_rubi"].pk
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia"])
def test_round_list_costs_the_same_for_2_rows_and_10(as_, everyone, learner_check, who):
    api = as_(who)

    def make(n: int) -> None:
        for _ in range(n):
            made = CheckRoundFactory(teacher=everyone["teacher_rubi"], learner_check=learner_check)
            CheckResult.objects.create(round=made, learner_code="L01", item="R1", correct=True)

    make(2)
    few = query_count(api, "/practice/check-rounds")
    make(8)
    assert query_count(api, "/practice/check-rounds") == few
    body = api.get("/practice/check-rounds", {"limit": 100}).json()
    assert body["count"] == 10 and {r["learners"] for r in body["items"]} == {1}
