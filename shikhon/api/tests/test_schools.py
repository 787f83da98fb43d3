"""GET /schools (search via places.selectors.school_search, filters, pages) and /schools/{eiin}."""

from __future__ import annotations

import pytest

from shikhon.api.tests.conftest import assert_error
from shikhon.places.models import School
from shikhon.places.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def eiins(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {s["eiin"] for s in response.json()["items"]}


def test_schools_list_open_schools_with_places_in_both_languages(api, places):
    SchoolFactory(eiin="100003", name_en="Closed School", upazila=places["hatia"], is_active=False)
    body = api.get("/schools").json()
    assert body["count"] == 4
    assert {s["eiin"] for s in body["items"]} == {"100001", "100002", "100101", "300001"}
    hatia_school = next(s for s in body["items"] if s["eiin"] == "100001")
    hatia = places["hatia"]
    assert hatia_school == {
        "eiin": "100001",
        "name_bn": "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়",
        "name_en": "Hatia Government Primary School",
        "kind": "gov_primary",
        "is_active": True,
        "union": None,
        "upazila": {"id": hatia.pk, "name_bn": hatia.name_bn, "name_en": hatia.name_en},
        "district": {"id": hatia.district_id, "name_bn": hatia.district.name_bn, "name_en": hatia.district.name_en},
        "division": {"id": hatia.division_id, "name_bn": hatia.division.name_bn,
                     "name_en": hatia.division.name_en},
    }


def test_schools_search_by_eiin_and_by_name(api, places):
    assert eiins(api.get("/schools", {"q": "1000"})) == {"100001", "100002"}
    assert eiins(api.get("/schools", {"q": "১০০১০১"})) == {"100101"}  # Bangla digits
    assert eiins(api.get("/schools", {"q": "char jabbar"})) == {"100101"}
    assert eiins(api.get("/schools", {"q": "চরকিং"})) == {"100002"}
    assert eiins(api.get("/schools", {"q": "no such school anywhere"})) == set()


def test_schools_filters_upazila_district_kind(api, places):
    assert eiins(api.get("/schools", {"upazila": places["hatia"].pk})) == {"100001", "100002"}
    assert eiins(api.get("/schools", {"district": places["noakhali"].pk})) == {"100001", "100002", "100101"}
    assert eiins(api.get("/schools", {"district": places["noakhali"].pk, "q": "char"})) == {"100002", "100101"}
    SchoolFactory(eiin="100004", name_en="Hatia Madrasa", kind=School.Kind.MADRASA, upazila=places["hatia"])
    assert eiins(api.get("/schools", {"kind": "madrasa"})) == {"100004"}
    assert eiins(api.get("/schools", {"kind": "madrasa", "upazila": places["subarnachar"].pk})) == set()
    assert_error(api.get("/schools", {"kind": "castle"}), 422, "invalid")


def test_schools_pages(api, places):
    for n in range(25):
        SchoolFactory(eiin=f"4000{n:02d}", upazila=places["sylhet_upazila"])
    first = api.get("/schools", {"upazila": places["sylhet_upazila"].pk, "limit": 10, "page": 1}).json()
    third = api.get("/schools", {"upazila": places["sylhet_upazila"].pk, "limit": 10, "page": 3}).json()
    assert first["count"] == third["count"] == 26 and first["pages"] == 3
    assert len(first["items"]) == 10 and len(third["items"]) == 6 and third["page"] == 3
    assert not {s["eiin"] for s in first["items"]} & {s["eiin"] for s in third["items"]}


def test_schools_list_query_count_is_bounded(api, places, django_assert_max_num_queries):
    for n in range(60):
        SchoolFactory(eiin=f"5000{n:02d}", upazila=places["hatia"])
    api.get("/schools")
    with django_assert_max_num_queries(3):  # token, count, page
        body = api.get("/schools", {"limit": 100}).json()
    assert len(body["items"]) == 64


def test_school_detail_by_eiin(api, places):
    body = api.get("/schools/100101").json()
    assert body["name_en"] == "Char Jabbar Government Primary School"
    assert body["upazila"]["id"] == places["subarnachar"].pk
    assert api.get("/schools/১০০১০১").json()["eiin"] == "100101"  # Bangla digits
    closed = SchoolFactory(eiin="100009", upazila=places["hatia"], is_active=False)
    assert api.get(f"/schools/{closed.eiin}").json()["is_active"] is False


def test_school_detail_unknown_and_malformed(api, places):
    assert_error(api.get("/schools/999999"), 404, "not_found")
    error = assert_error(api.get("/schools/12ab56"), 422, "invalid")
    assert "eiin" in error["details"]["fields"]
    assert_error(api.get("/schools/1234567"), 422, "invalid")
