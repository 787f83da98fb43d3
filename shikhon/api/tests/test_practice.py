"""Practice plans and records in the API: created with a client id (201, then 200 with the same row), the rows each
role may see (the practice selectors' own), 404 for what is hidden, the services' sentences on bad input (nothing
stored, never a 500), lists that cost the same for 2 rows and 10 — every answer checked against the document."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from shikhon.api.tests.conftest import ApiClient, assert_error
from shikhon.api.tests.test_practice_fixtures import *  # noqa: F403 - the practice API's fixtures and helpers
from shikhon.api.tests.test_practice_fixtures import activities_of, plan_body, query_count, record_body
from shikhon.core.clock import dhaka_today
from shikhon.practice.models import PracticePlan, PracticeRecord
from shikhon.practice.tests.factories import PracticePlanFactory, PracticeRecordFactory

pytestmark = pytest.mark.django_db

ROLES_SEEING_RUBI = {"teacher_rubi", "head_teacher_masuma", "colleague", "officer_hatia", "mentor_hatia",
                     "officer_noakhali", "national_admin_nasrin"}
ROLES = ["teacher_rubi", "head_teacher_masuma", "colleague", "teacher_of_other_school", "officer_hatia",
         "mentor_hatia", "officer_other_upazila", "researcher_tanvir"]


# ---------------------------------------------------------------------------------------------- plans

def test_plan_created_once_for_three_sends_of_one_client_id(as_, everyone, activity):
    rubi = as_("teacher_rubi")
    body = plan_body(activity)
    first = rubi.post("/practice/plans", body)
    assert first.status_code == 201, first.content
    again = [rubi.post("/practice/plans", body) for _ in range(2)]
    assert [r.status_code for r in again] == [200, 200]
    assert all(r.json() == first.json() for r in again)
    assert PracticePlan.objects.count() == 1
    made = first.json()
    assert made["client_id"] == body["client_id"] and made["state"] == "planned"
    assert made["teacher"]["id"] == everyone["teacher_rubi"].pk and made["activity"]["id"] == activity.pk
    assert made["url"] == f"/practice/plans/{made['id']}/"


@pytest.mark.parametrize("who", ROLES)
def test_plan_visibility_by_role(as_, everyone, activity, who):
    plan = PracticePlanFactory(teacher=everyone["teacher_rubi"], activity=activity)
    api = as_(who)
    listed = [p["id"] for p in api.get("/practice/plans").json()["items"]]
    sees = who in {"teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_hatia"}  # plans: not shared
    assert (plan.pk in listed) is sees
    response = api.get(f"/practice/plans/{plan.pk}")
    if sees:
        assert response.json()["id"] == plan.pk
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("change, field", [
    ({"grade": 13}, "grade"),
    ({"planned_on": (dhaka_today() + dt.timedelta(days=400)).isoformat()}, "planned_on"),
    ({"planned_on": (dhaka_today() - dt.timedelta(days=40)).isoformat()}, "planned_on"),
])
def test_plan_bad_input_is_400_with_the_sentence(as_, activity, change, field):
    error = assert_error(as_("teacher_rubi").post("/practice/plans", plan_body(activity, **change),
                                                  HTTP_ACCEPT_LANGUAGE="en"), 400, "bad_request")
    assert field in error["details"]["fields"]
    assert PracticePlan.objects.count() == 0


@pytest.mark.parametrize("body", [
    {"activity": 1},                                          # no client id
    {"client_id": "not-a-uuid", "activity": 1, "grade": 2, "planned_on": "2026-01-01"},
    {"client_id": str(uuid.uuid4()), "activity": 1, "grade": "two", "planned_on": "2026-01-01"},
    {"client_id": str(uuid.uuid4()), "activity": 1, "grade": 2, "planned_on": "tomorrow"},
    {"client_id": str(uuid.uuid4()), "activity": 1, "grade": 2, "planned_on": "2026-01-01", "extra": 1},
])
def test_plan_malformed_body_is_422(as_, body):
    assert_error(as_("teacher_rubi").post("/practice/plans", body), 422, "invalid")
    assert PracticePlan.objects.count() == 0


def test_plan_of_an_activity_she_may_not_study_is_404_with_a_sentence(as_, activity):
    error = assert_error(as_("teacher_rubi").post("/practice/plans", {**plan_body(activity), "activity": 999_999},
                                                  HTTP_ACCEPT_LANGUAGE="en"), 404, "not_found")
    assert error["message"].startswith("This activity was not found") and error["details"]["field"] == "activity"


def test_plan_without_a_school_is_409(as_, activity):
    error = assert_error(as_("officer_hatia").post("/practice/plans", plan_body(activity)), 409, "conflict")
    assert error["details"]["reason"] == "no_school"
    assert PracticePlan.objects.count() == 0


def test_plan_client_id_of_someone_else_is_409(as_, activity):
    body = plan_body(activity)
    assert as_("teacher_rubi").post("/practice/plans", body).status_code == 201
    error = assert_error(as_("colleague").post("/practice/plans", body), 409, "conflict")
    assert error["details"]["reason"] == "client_id_taken"
    assert PracticePlan.objects.count() == 1


def test_plan_drop(as_, everyone, activity):
    plan = PracticePlanFactory(teacher=everyone["teacher_rubi"], activity=activity)
    assert_error(as_("teacher_of_other_school").post(f"/practice/plans/{plan.pk}/drop"), 404, "not_found")
    assert_error(as_("head_teacher_masuma").post(f"/practice/plans/{plan.pk}/drop"), 403, "forbidden")
    assert as_("teacher_rubi").post(f"/practice/plans/{plan.pk}/drop").json()["state"] == "dropped"
    taught = PracticePlanFactory(teacher=everyone["teacher_rubi"], activity=activity, state="taught")
    error = assert_error(as_("teacher_rubi").post(f"/practice/plans/{taught.pk}/drop"), 409, "conflict")
    assert error["details"]["reason"] == "not_planned"


# ---------------------------------------------------------------------------------------------- records

def test_record_created_once_for_three_sends_of_one_client_id(as_, everyone, activity):
    rubi = as_("teacher_rubi")
    body = record_body(activity)
    answers = [rubi.post("/practice/records", body) for _ in range(3)]
    assert [r.status_code for r in answers] == [201, 200, 200]
    assert answers[1].json() == answers[0].json() == answers[2].json()
    assert PracticeRecord.objects.count() == 1
    made = answers[0].json()
    assert made["teacher"]["id"] == everyone["teacher_rubi"].pk and made["rating"] == 4
    assert made["acknowledged_at"] is None and made["encouragements"] == [] and made["may_acknowledge"] is False


def test_record_answering_her_plan_makes_the_plan_taught(as_, everyone, activity):
    rubi = as_("teacher_rubi")
    plan = rubi.post("/practice/plans", plan_body(activity)).json()
    body = record_body(activity, plan=plan["id"])
    made = rubi.post("/practice/records", body)
    assert made.status_code == 201 and made.json()["plan"] == plan["id"]
    assert rubi.get(f"/practice/plans/{plan['id']}").json()["state"] == "taught"
    # A plan that already has its record is not hers to record again.
    error = assert_error(rubi.post("/practice/records", {**body, "client_id": str(uuid.uuid4())}), 404, "not_found")
    assert error["details"]["field"] == "plan"
    assert PracticeRecord.objects.count() == 1


def test_record_of_another_teachers_plan_is_404(as_, everyone, activity):
    plan = PracticePlanFactory(teacher=everyone["colleague"], activity=activity)
    assert_error(as_("teacher_rubi").post("/practice/records", record_body(activity, plan=plan.pk)), 404,
                 "not_found")
    assert PracticeRecord.objects.count() == 0


@pytest.mark.parametrize("change, field", [
    ({"taught_on": (dhaka_today() + dt.timedelta(days=1)).isoformat()}, "taught_on"),
    ({"taught_on": (dhaka_today() - dt.timedelta(days=400)).isoformat()}, "taught_on"),
    ({"rating": None}, "rating"),
    ({"rating": 9}, "rating"),
    ({"outcome": "not_working", "why_not": ""}, "why_not"),
    ({"minutes": 0}, "minutes"),
    ({"learners_present": 500}, "learners_present"),
    ({"grade": 0}, "grade"),
])
def test_record_bad_input_is_400_with_the_sentence(as_, activity, change, field):
    response = as_("teacher_rubi").post("/practice/records", record_body(activity, **change),
                                        HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 400, "bad_request")
    assert field in error["details"]["fields"], error
    assert error["message"]
    assert PracticeRecord.objects.count() == 0


def test_record_needs_its_activity_and_a_plans_own(as_, everyone, activity):
    body = record_body(activity)
    del body["activity"]
    assert_error(as_("teacher_rubi").post("/practice/records", body), 422, "invalid")
    plan = PracticePlanFactory(teacher=everyone["teacher_rubi"], activity=activity)
    other = activities_of(activity)[1]
    error = assert_error(as_("teacher_rubi").post("/practice/records", record_body(other, plan=plan.pk),
                                                  HTTP_ACCEPT_LANGUAGE="en"), 400, "bad_request")
    assert error["message"].startswith("This plan is for another activity.")
    assert PracticeRecord.objects.count() == 0


def test_record_text_is_stored_as_written_in_bangla(as_, activity):
    made = as_("teacher_rubi").post("/practice/records", record_body(activity, what_worked="শিশুরা ৫টি পাথর গুনল"))
    assert made.json()["what_worked"] == "শিশুরা ৫টি পাথর গুনল"
    assert "শিশুরা".encode() in made.content  # UTF-8, not \u escapes


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("shared", [True, False])
def test_record_visibility_by_role(as_, everyone, activity, who, shared):
    record = PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=activity, shared_with_circle=shared)
    api = as_(who)
    sees = who in {"teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_hatia"} or (
        who == "colleague" and shared)
    listed = [r["id"] for r in api.get("/practice/records").json()["items"]]
    assert (record.pk in listed) is sees
    response = api.get(f"/practice/records/{record.pk}")
    if sees:
        assert response.json()["id"] == record.pk
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("who, status", [
    ("head_teacher_masuma", 200), ("officer_hatia", 200), ("colleague", 403), ("teacher_rubi", 403),
    ("teacher_of_other_school", 404), ("officer_other_upazila", 404), ("researcher_tanvir", 404),
])
def test_acknowledge_by_role(as_, everyone, activity, who, status):
    record = PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=activity)
    response = as_(who).post(f"/practice/records/{record.pk}/acknowledge")
    assert response.status_code == status, response.content
    record.refresh_from_db()
    assert (record.acknowledged_at is not None) is (status == 200)
    if status == 200:
        assert response.json()["acknowledged_at"] is not None and response.json()["may_acknowledge"] is False
        again = as_(who).post(f"/practice/records/{record.pk}/acknowledge")
        assert again.json()["acknowledged_at"] == response.json()["acknowledged_at"]


def test_encourage_a_colleague(as_, everyone, activity):
    record = PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=activity)
    shirina = as_("colleague")
    body = shirina.post(f"/practice/records/{record.pk}/encourage", {"comment": "দারুণ!"}).json()
    assert [(e["author"]["id"], e["comment"]) for e in body["encouragements"]] == [(everyone["colleague"].pk, "দারুণ!")]
    error = assert_error(shirina.post(f"/practice/records/{record.pk}/encourage", {"comment": "x" * 201}), 400,
                         "bad_request")
    assert error["details"]["reason"] == "comment_too_long"
    assert_error(as_("teacher_rubi").post(f"/practice/records/{record.pk}/encourage", {}), 403, "forbidden")


def test_anonymous_callers_get_401(client, activity):
    api = ApiClient(client, None)
    for path in ("/practice/plans", "/practice/records", "/practice/plans/1", "/practice/records/1"):
        assert_error(api.get(path), 401, "not_authenticated")
    assert_error(api.post("/practice/records", record_body(activity)), 401, "not_authenticated")
    assert PracticeRecord.objects.count() == 0


def test_unknown_and_malformed_ids(as_):
    rubi = as_("teacher_rubi")
    assert_error(rubi.get("/practice/records/999999"), 404, "not_found")
    assert_error(rubi.get("/practice/records/abc"), 422, "invalid")
    assert_error(rubi.get("/practice/plans/0"), 422, "invalid")


# ---------------------------------------------------------------------------------------------- query counts

def _practise(everyone: dict[str, Any], activity: Any, n: int) -> None:
    acts = activities_of(activity)
    for i in range(n):
        PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=acts[i % len(acts)])
        PracticePlanFactory(teacher=everyone["teacher_rubi"], activity=acts[i % len(acts)])


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "colleague", "officer_hatia",
                                 "national_admin_nasrin"])
@pytest.mark.parametrize("path", ["/practice/records", "/practice/plans"])
def test_lists_cost_the_same_for_2_rows_and_10(as_, everyone, activity, who, path):
    if who == "colleague" and path == "/practice/plans":
        pytest.skip("a colleague sees no one's plans")
    api = as_(who)
    _practise(everyone, activity, 2)
    few = query_count(api, path)
    assert api.get(path).json()["count"] == 2
    _practise(everyone, activity, 8)
    assert query_count(api, path) == few
    assert api.get(path, {"limit": 100}).json()["count"] == 10


# ---------------------------------------------------------------------------------------------- the pages' rules

@pytest.mark.parametrize("who", [*ROLES, "officer_noakhali", "national_admin_nasrin"])
def test_the_api_opens_exactly_what_the_pages_open(client, as_, everyone, activity, who):
    """A plan, a record (shared with the circle and not), through the API and on the site: both 200 or both 404."""
    plan = PracticePlanFactory(teacher=everyone["teacher_rubi"], activity=activity)
    shared = PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=activity, shared_with_circle=True)
    private = PracticeRecordFactory(teacher=everyone["teacher_rubi"], activity=activity, shared_with_circle=False)
    page_client = type(client)()
    page_client.force_login(everyone[who])
    api = as_(who)
    for row, api_path in ((plan, f"/practice/plans/{plan.pk}"), (shared, f"/practice/records/{shared.pk}"),
                          (private, f"/practice/records/{private.pk}")):
        page = page_client.get(row.get_absolute_url())
        assert page.status_code in (200, 404)
        assert api.get(api_path).status_code == page.status_code, (who, api_path)
