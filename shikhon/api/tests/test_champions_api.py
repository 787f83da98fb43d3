"""The champions' API (routers/recognition.py): the latest announced week with the numbers that explain each
champion and the shares of women and rural schools, past champions, a week by its Sunday (a week not announced is
404 but for those who may confirm it), the formula; bad week dates are 404, never a 500; queries bounded. Every
answer is checked against the OpenAPI document (conftest.ApiClient)."""

# ruff: noqa: F811 - library_people is a fixture imported from the library's conftest
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shikhon.api.tests.conftest import ApiClient, assert_error
from shikhon.library.tests.conftest import library_people  # noqa: F401 - a fixture
from shikhon.recognition.formula import CURRENT
from shikhon.recognition.models import Champion, ChampionWeek
from shikhon.recognition.services import last_finished_week

pytestmark = pytest.mark.django_db

NUMBERS = {"ratings": 9, "own_school_ratings": 2, "ratings_counted": 9, "raters": 9, "raters_counted": 9,
           "rating_average": 4.6, "rating_smoothed": 4.1, "rating_points": 38.75, "reviews": 1,
           "mentor_average": 3.5, "mentor_smoothed": 2.83, "mentor_points": 18.33, "used_in_class": 4,
           "used_points": 4.0, "score": 61.08}


def _week(starts_on, teachers, status=ChampionWeek.Status.ANNOUNCED):
    row = ChampionWeek.objects.create(starts_on=starts_on, formula_version=1, formula={}, status=status,
                                      candidates=12, computed_at=timezone.now(),
                                      announced_at=timezone.now() if status == "announced" else None)
    for rank, teacher in enumerate(teachers, start=1):
        Champion.objects.create(week=row, rank=rank, teacher=teacher, score=Decimal("61.08"), numbers=NUMBERS,
                                is_woman=rank != 2, is_rural=rank == 1, **_place(teacher))
    return row


def _place(teacher):
    from shikhon.people.selectors import placement_of

    return placement_of(teacher).as_fields()


@pytest.fixture
def weeks(library_people):
    p = library_people
    three = [p["teacher_rubi"], p["teacher_subarnachar"], p["teacher_of_other_school"]]
    finished = last_finished_week(timezone.localdate())
    announced = _week(finished - dt.timedelta(days=7), three)
    computed = _week(finished, three, status=ChampionWeek.Status.COMPUTED)
    return announced, computed


@pytest.fixture
def as_(client, library_people, token_of):
    def make(who: str | None) -> ApiClient:
        return ApiClient(client, token_of(library_people[who]) if who else None)

    return make


def test_the_current_week_explains_each_champion(as_, weeks, django_assert_max_num_queries):
    announced, _computed = weeks
    with django_assert_max_num_queries(4):
        body = as_(None).get("/champions/current").json()
    week = body["week"]
    assert week["starts_on"] == announced.starts_on.isoformat() and week["status"] == "announced"
    assert week["ends_on"] == (announced.starts_on + dt.timedelta(days=6)).isoformat()
    assert [c["rank"] for c in week["champions"]] == [1, 2, 3]
    first = week["champions"][0]
    assert first["name_bn"] == "রুবি আক্তার" and first["school_name"] and first["score"] == 61.08
    assert first["numbers"]["raters"] == 9 and first["numbers"]["rating_smoothed"] == 4.1
    assert week["formula_sentence"] and week["announced_at"].endswith("+06:00")
    assert body["shares"] == {"champions": 3, "women": 2, "rural": 1, "locality_known": 3, "women_percent": 67,
                              "rural_percent": 33}


def test_before_the_first_announcement_there_is_no_week(as_, db):
    body = as_(None).get("/champions/current").json()
    assert body["week"] is None and body["shares"]["champions"] == 0 and body["shares"]["women_percent"] is None


def test_past_champions_are_public_and_paged(as_, weeks, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        body = as_(None).get("/champions/past").json()
    assert body["count"] == 3 and body["page"] == 1 and len(body["items"]) == 3  # the computed week is not shown
    assert body["items"][0]["week_starts_on"] == weeks[0].starts_on.isoformat()
    assert as_(None).get("/champions/past", {"page": 99}).json()["page"] == 1  # past the end: the last page
    assert_error(as_(None).get("/champions/past", {"page": 0}), 422, "invalid")


@pytest.mark.parametrize(("who", "sees"), [
    (None, False), ("teacher_rubi", False), ("mentor_hatia", False), ("officer_hatia", False),
    ("researcher_tanvir", False), ("mentor_national", True), ("national_admin_nasrin", True),
])
def test_a_week_not_announced_is_404_but_for_confirmers(as_, weeks, who, sees):
    announced, computed = weeks
    assert as_(who).get(f"/champions/weeks/{announced.starts_on.isoformat()}").json()["status"] == "announced"
    response = as_(who).get(f"/champions/weeks/{computed.starts_on.isoformat()}")
    if sees:
        assert response.json()["status"] == "computed"
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("raw", ["2026-13-01", "yesterday", "2026-01-05", "0000-00-00", "9999-12-31"])
def test_a_bad_week_date_is_404(as_, db, raw):
    assert_error(as_(None).get(f"/champions/weeks/{raw}"), 404, "not_found")


def test_a_too_long_week_date_is_not_a_server_error(as_, db):
    assert as_(None).get("/champions/weeks/" + "2" * 30).status_code in (404, 422)


def test_the_formula_is_public(as_, db):
    body = as_(None).get("/champions/formula").json()
    assert body["version"] == CURRENT.version and body["min_raters"] == CURRENT.min_raters
    assert body["rating_points"] + body["mentor_points"] + body["used_points"] == 100
    assert body["sentence"]
