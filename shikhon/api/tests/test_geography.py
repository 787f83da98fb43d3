"""GET /divisions, /districts, /upazilas (and one of each): names in both languages, filters, pages."""

from __future__ import annotations

import pytest

from shikhon.api.tests.conftest import assert_error
from shikhon.places.models import District, Division, Upazila

pytestmark = pytest.mark.django_db


def test_divisions_list_all_eight_in_both_languages(api):
    body = api.get("/divisions").json()
    assert body["count"] == 8
    assert body["limit"] == 50 and body["page"] == 1 and body["pages"] == 1
    assert len(body["items"]) == 8
    chattagram = next(d for d in body["items"] if d["name_en"] == "Chattagram")
    assert chattagram == {"id": chattagram["id"], "code": 1, "name_bn": "চট্টগ্রাম", "name_en": "Chattagram"}
    names = [d["name_en"] for d in body["items"]]
    assert names == sorted(names)


def test_division_detail_and_unknown_id(api, places):
    division = places["chattagram"]
    assert api.get(f"/divisions/{division.pk}").json() == {
        "id": division.pk, "code": division.code, "name_bn": division.name_bn, "name_en": division.name_en}
    missing = Division.objects.order_by("-pk").first().pk + 1
    assert_error(api.get(f"/divisions/{missing}"), 404, "not_found")


def test_districts_filtered_by_division(api, places):
    division = places["chattagram"]
    body = api.get("/districts", {"division": division.pk, "limit": 100}).json()
    expected = District.objects.filter(division=division).count()
    assert body["count"] == expected == len(body["items"])
    assert {d["division"]["id"] for d in body["items"]} == {division.pk}
    noakhali = next(d for d in body["items"] if d["id"] == places["noakhali"].pk)
    assert noakhali["name_bn"] == places["noakhali"].name_bn
    assert noakhali["division"] == {"id": division.pk, "name_bn": division.name_bn, "name_en": division.name_en}


def test_districts_all_64_and_unknown_division_is_empty(api):
    assert api.get("/districts").json()["count"] == 64
    body = api.get("/districts", {"division": 999_999}).json()
    assert body == {"count": 0, "page": 1, "pages": 0, "limit": 50, "items": []}


def test_district_detail(api, places):
    noakhali = places["noakhali"]
    body = api.get(f"/districts/{noakhali.pk}").json()
    assert body["name_en"] == noakhali.name_en and body["name_bn"] == noakhali.name_bn
    assert body["division"]["id"] == noakhali.division_id
    assert body["latitude"] is None or isinstance(body["latitude"], float)
    assert_error(api.get("/districts/999999"), 404, "not_found")


def test_upazilas_list_all_494_across_pages(api, django_assert_max_num_queries):
    seen: list[int] = []
    for page in range(1, 6):
        with django_assert_max_num_queries(4):
            body = api.get("/upazilas", {"limit": 100, "page": page}).json()
        assert body["count"] == 494 and body["pages"] == 5 and body["page"] == page
        seen += [u["id"] for u in body["items"]]
    assert len(seen) == len(set(seen)) == 494 == Upazila.objects.count()
    names = [u["name_en"] for u in api.get("/upazilas", {"limit": 100}).json()["items"]]
    assert names == sorted(names)


def test_pages_overlap_nowhere_and_past_the_end_is_empty(api):
    by_30 = [api.get("/upazilas", {"limit": 30, "page": p}).json()["items"] for p in (1, 2, 3)]
    by_90 = api.get("/upazilas", {"limit": 90}).json()["items"]
    assert by_30[0] + by_30[1] + by_30[2] == by_90
    last = api.get("/upazilas", {"limit": 100, "page": 5}).json()
    assert len(last["items"]) == 94
    beyond = api.get("/upazilas", {"limit": 100, "page": 6}).json()
    assert beyond["items"] == [] and beyond["count"] == 494 and beyond["page"] == 6


def test_upazilas_filtered_by_district_and_searched(api, places):
    hatia, noakhali = places["hatia"], places["noakhali"]
    in_noakhali = api.get("/upazilas", {"district": noakhali.pk, "limit": 100}).json()
    assert in_noakhali["count"] == Upazila.objects.filter(district=noakhali).count()
    assert hatia.pk in {u["id"] for u in in_noakhali["items"]}
    assert {u["district"]["id"] for u in in_noakhali["items"]} == {noakhali.pk}

    by_english = api.get("/upazilas", {"q": "hatia"}).json()
    assert [u["id"] for u in by_english["items"]] == [hatia.pk]
    assert by_english["items"][0]["name_bn"] == "হাতিয়া"
    by_bangla = api.get("/upazilas", {"q": "হাতিয়া"}).json()
    assert [u["id"] for u in by_bangla["items"]] == [hatia.pk]
    # Filters combine: Hatia is not in the Sylhet upazila's district.
    other = api.get("/upazilas", {"q": "hatia", "district": places["sylhet_upazila"].district_id}).json()
    assert other["count"] == 0


def test_upazila_detail(api, places):
    hatia = places["hatia"]
    body = api.get(f"/upazilas/{hatia.pk}").json()
    assert body == {
        "id": hatia.pk, "code": hatia.code, "name_bn": hatia.name_bn, "name_en": hatia.name_en,
        "district": {"id": hatia.district_id, "name_bn": hatia.district.name_bn, "name_en": hatia.district.name_en},
        "division": {"id": hatia.division_id, "name_bn": hatia.division.name_bn,
                     "name_en": hatia.division.name_en},
    }
    assert_error(api.get("/upazilas/100000"), 404, "not_found")


@pytest.mark.parametrize("path", ["/divisions", "/districts", "/upazilas"])
def test_list_query_counts_are_bounded(api, path, django_assert_max_num_queries):
    api.get(path)  # the token's first use records last_used_at
    with django_assert_max_num_queries(3):  # token, count, page — no query per row
        response = api.get(path, {"limit": 100})
    assert response.status_code == 200


def test_bangla_is_sent_as_utf8_not_escapes(api):
    raw = api.get("/divisions").content.decode()
    assert "চট্টগ্রাম" in raw and "\\u09" not in raw
