"""The champions' pages by role, bad week dates, the buttons, query counts and page weight."""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shikhon.recognition.models import Champion, ChampionWeek

pytestmark = pytest.mark.django_db


def _week(starts_on, teachers, status=ChampionWeek.Status.ANNOUNCED):
    row = ChampionWeek.objects.create(starts_on=starts_on, formula_version=1, formula={}, status=status,
                                      candidates=12, computed_at=timezone.now())
    numbers = {"ratings": 9, "own_school_ratings": 2, "ratings_counted": 9, "raters": 9, "raters_counted": 9,
               "rating_average": 4.6, "rating_smoothed": 4.1, "rating_points": 38.75, "reviews": 1,
               "mentor_average": 3.5, "mentor_smoothed": 2.83, "mentor_points": 18.33, "used_in_class": 4,
               "used_points": 4.0, "score": 61.08}
    for rank, teacher in enumerate(teachers, start=1):
        Champion.objects.create(week=row, rank=rank, teacher=teacher, score=Decimal("61.08"), numbers=numbers,
                                is_woman=rank != 2, is_rural=rank == 1)
    return row


@pytest.fixture
def weeks(library_people, week):
    p = library_people
    three = [p["teacher_rubi"], p["teacher_subarnachar"], p["teacher_of_other_school"]]
    announced = _week(week - dt.timedelta(days=7), three)
    computed = _week(week, three, status=ChampionWeek.Status.COMPUTED)
    return announced, computed


def _url(row, name="week"):
    return reverse(f"recognition:{name}", kwargs={"starts_on": row.starts_on.isoformat()})


def test_visitors_see_the_announced_champions_why_and_the_shares(client, weeks):
    announced, computed = weeks
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("recognition:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rubi Akter" in page and "38.75" in page
    assert "Of 3 champions so far, 2 are women (67%) and 1 teach at rural schools (33%)." in page
    assert "different teachers" in page  # the formula's sentence
    assert client.get(_url(announced)).status_code == 200
    assert client.get(reverse("recognition:formula")).status_code == 200


def test_the_page_is_bangla_with_bangla_digits(client, weeks):
    page = client.get(reverse("recognition:index")).content.decode()
    assert "৩৮.৭৫" in page


@pytest.mark.parametrize("who", [None, "teacher_rubi", "officer_noakhali", "mentor_noakhali", "head_teacher_masuma",
                                 "officer_chattagram"])
def test_a_week_not_announced_is_404_for_others(client, weeks, library_people, who):
    _announced, computed = weeks
    if who:
        client.force_login(library_people[who])
    assert client.get(_url(computed)).status_code == 404
    page = client.get(reverse("recognition:index")).content.decode()
    assert computed.starts_on.isoformat() not in page
    if who:
        assert client.get(reverse("recognition:review")).status_code == 404
        assert client.post(_url(computed, "confirm")).status_code == 404
        assert client.post(_url(computed, "announce")).status_code == 404
        computed.refresh_from_db()
        assert computed.status == ChampionWeek.Status.COMPUTED
    else:
        assert client.get(reverse("recognition:review")).status_code == 302  # to sign in


@pytest.mark.parametrize("who", ["national_admin_nasrin", "mentor_national"])
def test_confirmers_review_confirm_and_announce(client, weeks, library_people, who):
    _announced, computed = weeks
    client.force_login(library_people[who])
    page = client.get(_url(computed)).content.decode()
    assert f'action="{_url(computed, "confirm")}"' in page
    assert client.get(reverse("recognition:review")).status_code == 200
    assert client.post(_url(computed, "confirm")).status_code == 302
    computed.refresh_from_db()
    assert computed.status == ChampionWeek.Status.CONFIRMED
    client.post(_url(computed, "confirm"))  # a second confirm: a sentence, nothing changes
    assert client.post(_url(computed, "announce")).status_code == 302
    computed.refresh_from_db()
    assert computed.status == ChampionWeek.Status.ANNOUNCED
    client.logout()
    assert client.get(_url(computed)).status_code == 200


def test_review_computes_a_finished_week_and_refuses_bad_dates(client, library_people, week, monkeypatch):
    from shikhon.recognition import activity

    monkeypatch.setattr(activity, "_uses_reader", lambda: lambda *, start, end: {})
    client.force_login(library_people["national_admin_nasrin"])
    later = [(week + dt.timedelta(days=1)).isoformat(), (week + dt.timedelta(days=7)).isoformat()]
    for bad in ["2026-13-01", "abc", *later]:
        response = client.post(reverse("recognition:review"), {"starts_on": bad}, follow=True)
        assert response.status_code == 200 and response.context["messages"]
        assert not ChampionWeek.objects.exists()
    response = client.post(reverse("recognition:review"), {"starts_on": week.isoformat()})
    assert response.status_code == 302 and ChampionWeek.objects.get().starts_on == week


@pytest.mark.parametrize("raw", ["2026-11-30", "2026-11-31", "abc", "2026-11-29x", "0000-00-00", "9" * 40])
def test_a_bad_week_date_is_404(client, db, raw):
    assert client.get(f"/champions/{raw}/").status_code == 404


def test_an_unknown_sunday_is_404(client, db):
    assert client.get("/champions/2026-11-29/").status_code == 404


def test_index_queries_are_bounded_and_the_page_is_light(client, library_people, week,
                                                          django_assert_max_num_queries):
    from shikhon.people.tests.factories import UserFactory

    teachers = [UserFactory() for _i in range(3)]
    for i in range(40):
        _week(week - dt.timedelta(days=7 * (i + 1)), teachers)
    client.get(reverse("recognition:index"))  # warm the layout's caches
    with django_assert_max_num_queries(8):
        response = client.get(reverse("recognition:index"))
    assert response.status_code == 200
    assert len(gzip.compress(response.content)) <= 14 * 1024
    with django_assert_max_num_queries(8):
        assert client.get(reverse("recognition:index") + "?page=2").status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(f"/champions/{(week - dt.timedelta(days=7)).isoformat()}/")
    assert response.status_code == 200 and len(gzip.compress(response.content)) <= 14 * 1024
