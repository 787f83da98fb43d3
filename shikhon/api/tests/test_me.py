"""GET /me: the caller, their roles with place names, and their scope."""

from __future__ import annotations

import pytest

from shikhon.api.tests.conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def me(client, people, token_of, who):
    return ApiClient(client, token_of(people[who])).get("/me")


def test_me_teacher(client, people, places, token_of):
    rubi = people["teacher_rubi"]
    body = me(client, people, token_of, "teacher_rubi").json()
    school = places["school_hatia"]
    assert body["id"] == rubi.pk and body["phone"] == "+8801711000007"
    assert body["name_bn"] == "রুবি আক্তার" and body["name_en"] == "Rubi Akter"
    [role] = body["roles"]
    assert role["kind"] == "teacher" and role["status"] == "active" and role["is_current"] is True
    assert role["school"] == {"eiin": "100001", "name_bn": school.name_bn, "name_en": school.name_en}
    assert role["upazila"]["id"] == places["hatia"].pk
    assert role["place_name_bn"] == school.name_bn and role["place_name_en"] == school.name_en
    assert body["scope"] == {
        "kinds": ["teacher"], "is_national": False, "is_researcher": False,
        "school_ids": [school.pk], "head_school_ids": [], "upazila_ids": [], "district_ids": [],
        "division_ids": [], "pending_school_ids": [],
    }


@pytest.mark.parametrize("who, kinds, place_en, scope_key", [
    ("officer_hatia", ["upazila_officer"], "Hatia", "upazila_ids"),
    ("officer_noakhali", ["district_officer"], "Noakhali", "district_ids"),
    ("officer_chattagram", ["division_officer"], "Chattagram", "division_ids"),
    ("head_teacher_masuma", ["head_teacher"], "Hatia Government Primary School", "head_school_ids"),
])
def test_me_officers_and_head_teacher(client, people, token_of, who, kinds, place_en, scope_key):
    body = me(client, people, token_of, who).json()
    assert body["scope"]["kinds"] == kinds
    assert len(body["scope"][scope_key]) == 1
    assert body["roles"][0]["place_name_en"] == place_en
    assert body["roles"][0]["place_name_bn"] != place_en  # the Bangla name, not the English one


def test_me_national_admin_pending_teacher_and_no_role(client, people, places, token_of):
    nasrin = me(client, people, token_of, "national_admin_nasrin").json()
    assert nasrin["scope"]["is_national"] is True
    assert nasrin["roles"][0]["place_name_en"] == "Bangladesh"
    assert nasrin["roles"][0]["school"] is None and nasrin["roles"][0]["division"] is None

    zahid = me(client, people, token_of, "teacher_pending_zahid").json()
    assert zahid["roles"][0]["status"] == "pending" and zahid["roles"][0]["is_current"] is False
    assert zahid["scope"]["kinds"] == [] and zahid["scope"]["pending_school_ids"] == [places["school_hatia"].pk]

    nobody = me(client, people, token_of, "no_role_user").json()
    assert nobody["roles"] == [] and nobody["scope"]["kinds"] == []


def test_me_with_session(client, people):
    client.force_login(people["officer_hatia"])
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["id"] == people["officer_hatia"].pk


def test_me_needs_a_caller(client, db):
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_me_query_count(client, people, token_of, django_assert_max_num_queries):
    api = ApiClient(client, token_of(people["head_teacher_masuma"]))
    api.get("/me")
    with django_assert_max_num_queries(3):  # token, roles with places, scope
        assert api.get("/me").status_code == 200
