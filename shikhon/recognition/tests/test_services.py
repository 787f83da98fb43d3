"""Computing, confirming and announcing a week; who may; the daily job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shikhon.core.clock import dhaka_datetime
from shikhon.library.tests.factories import ContentFactory
from shikhon.notify.models import Notification
from shikhon.places.models import School
from shikhon.recognition import activity, services
from shikhon.recognition.models import Champion, ChampionWeek
from shikhon.recognition.notifications import CHAMPION_ANNOUNCED
from shikhon.recognition.tests.conftest import in_week, make_raters, rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_practice(monkeypatch):
    monkeypatch.setattr(activity, "_uses_reader", lambda: lambda *, start, end: {})


@pytest.fixture
def four_authors(library_people, places, week):
    """Rubi (5 stars), Laila (4), Kamrun (3), Shirina (2): each rated by five teachers in the week."""
    p = library_people
    p["teacher_rubi"].gender = "female"
    p["teacher_rubi"].save(update_fields=["gender"])
    School.objects.filter(pk=places["school_hatia"].pk).update(locality="rural")
    authors = [p["teacher_rubi"], p["teacher_subarnachar"], p["teacher_of_other_school"], p["colleague_shirina"]]
    for stars, author in zip([5, 4, 3, 2], authors, strict=True):
        rate(ContentFactory(author=author, published=True), make_raters(5), stars, in_week(week))
    return authors


def test_compute_chooses_three_and_keeps_the_numbers(four_authors, week):
    row = services.week_compute(starts_on=week)
    champions = list(row.champions.order_by("rank"))
    assert [c.teacher_id for c in champions] == [a.pk for a in four_authors[:3]]
    assert row.candidates == 4 and row.status == ChampionWeek.Status.COMPUTED
    assert row.formula_version == 1 and row.formula["min_raters"] == 5
    first = champions[0]
    assert first.numbers["ratings"] == 5 and float(first.score) == first.numbers["score"]
    assert first.is_woman is True and first.is_rural is True
    assert first.school_id == four_authors[0].roles.first().school_id
    assert champions[1].is_woman is None and champions[1].is_rural is None


def test_compute_is_idempotent_and_replaces_an_unconfirmed_week(four_authors, week):
    first = services.week_compute(starts_on=week)
    again = services.week_compute(starts_on=week)
    assert first.pk == again.pk and Champion.objects.count() == 3
    rate(ContentFactory(author=four_authors[3], published=True), make_raters(20), 5, in_week(week))
    services.week_compute(starts_on=week)
    assert Champion.objects.get(rank=1).teacher_id == four_authors[3].pk
    assert Champion.objects.count() == 3 and ChampionWeek.objects.count() == 1


def test_a_confirmed_week_is_never_recomputed(four_authors, week, library_people):
    row = services.week_compute(starts_on=week)
    services.week_confirm(actor=library_people["national_admin_nasrin"], week=row)
    rate(ContentFactory(author=four_authors[3], published=True), make_raters(20), 5, in_week(week))
    with pytest.raises(ValidationError):
        services.week_compute(starts_on=week)
    assert Champion.objects.get(rank=1).teacher_id == four_authors[0].pk


@pytest.mark.parametrize("offset", [1, 3])  # a Monday, a Wednesday
def test_a_week_starts_on_a_sunday(week, offset, db):
    with pytest.raises(ValidationError, match="Sunday"):
        services.week_compute(starts_on=week + dt.timedelta(days=offset))
    assert not ChampionWeek.objects.exists()


def test_a_week_not_over_is_refused(week, db):
    with pytest.raises(ValidationError, match="not over"):
        services.week_compute(starts_on=week + dt.timedelta(days=7))
    assert not ChampionWeek.objects.exists()


def test_a_week_without_enough_raters_has_no_champions(library_people, week):
    row = services.week_compute(starts_on=week)
    assert row.candidates == 0 and not row.champions.exists()


@pytest.mark.parametrize("who, allowed", [
    ("national_admin_nasrin", True), ("mentor_national", True), ("mentor_noakhali", False),
    ("officer_noakhali", False), ("officer_chattagram", False), ("mentor_hatia", False), ("teacher_rubi", False),
    ("head_teacher_masuma", False), ("researcher_tanvir", False), ("no_role_user", False)])
def test_who_may_compute_confirm_and_announce(four_authors, week, library_people, who, allowed):
    actor = library_people[who]
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.week_compute(starts_on=week, actor=actor)
        row = services.week_compute(starts_on=week)
        with pytest.raises(PermissionDenied):
            services.week_confirm(actor=actor, week=row)
        with pytest.raises(PermissionDenied):
            services.week_announce(actor=actor, week=row)
        row.refresh_from_db()
        assert row.status == ChampionWeek.Status.COMPUTED
        return
    row = services.week_compute(starts_on=week, actor=actor)
    assert row.computed_by == actor
    row = services.week_confirm(actor=actor, week=row)
    assert row.status == ChampionWeek.Status.CONFIRMED and row.confirmed_by == actor
    with pytest.raises(ValidationError):
        services.week_confirm(actor=actor, week=row)
    assert services.week_announce(actor=actor, week=row).status == ChampionWeek.Status.ANNOUNCED


def test_announce_tells_each_champion_once(four_authors, week, library_people,
                                           django_capture_on_commit_callbacks):
    row = services.week_compute(starts_on=week)
    with django_capture_on_commit_callbacks(execute=True):
        services.week_announce(actor=library_people["mentor_national"], week=row)
    with django_capture_on_commit_callbacks(execute=True):
        services.week_announce(actor=None, week=row)
    told = Notification.objects.filter(kind=CHAMPION_ANNOUNCED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(a.pk for a in four_authors[:3])
    assert told.first().params == {"week": week.isoformat()}


def test_the_daily_job_computes_on_sunday_and_announces_two_days_later(four_authors, week,
                                                                      django_capture_on_commit_callbacks):
    sunday = week + dt.timedelta(days=7)
    at_sunday = dhaka_datetime(sunday, dt.time(1, 15))
    result = services.champions_weekly_run(now=at_sunday)
    assert result == {"computed": week.isoformat(), "announced": None}
    row = ChampionWeek.objects.get()
    ChampionWeek.objects.filter(pk=row.pk).update(computed_at=at_sunday)
    assert services.champions_weekly_run(now=at_sunday + dt.timedelta(days=1)) == {"computed": None,
                                                                                  "announced": None}
    with django_capture_on_commit_callbacks(execute=True):
        result = services.champions_weekly_run(now=at_sunday + dt.timedelta(days=2))
    assert result == {"computed": None, "announced": week.isoformat()}
    row.refresh_from_db()
    assert row.status == ChampionWeek.Status.ANNOUNCED
    assert Notification.objects.filter(kind=CHAMPION_ANNOUNCED).count() == 3


def test_week_start_of_every_day_is_its_sunday():
    sunday = dt.date(2026, 11, 29)
    assert {services.week_start_of(sunday + dt.timedelta(days=i)) for i in range(7)} == {sunday}
    assert services.last_finished_week(sunday) == sunday - dt.timedelta(days=7)
    assert services.last_finished_week(sunday + dt.timedelta(days=6)) == sunday - dt.timedelta(days=7)


def test_the_periodic_job_is_registered():
    from shikhon.core.schedule import periodic_jobs
    from shikhon.recognition.periodic_jobs import CHAMPIONS_WEEKLY

    assert periodic_jobs.find(CHAMPIONS_WEEKLY) is not None
