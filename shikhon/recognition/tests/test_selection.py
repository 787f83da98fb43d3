"""The week's selection over real rows: self-ratings ignored, own-school cap, minimum raters, hidden and draft contents
left out, reviews and uses in class counted, Dhaka's week boundaries, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shikhon.core.clock import DHAKA, dhaka_datetime
from shikhon.library.tests.factories import ContentFactory, RatingFactory
from shikhon.recognition import activity
from shikhon.recognition.formula import CURRENT
from shikhon.recognition.services import last_finished_week, week_select
from shikhon.recognition.tests.conftest import in_week, make_raters, rate, review

pytestmark = pytest.mark.django_db


def _totals(week, teacher_id):
    return {s.teacher_id: s for s in week_select(starts_on=week, formula=CURRENT)[1]}.get(teacher_id)


def test_self_ratings_are_ignored(library_people, week):
    rubi = library_people["teacher_rubi"]
    content = ContentFactory(author=rubi, published=True)
    rate(content, make_raters(5), 4, in_week(week))
    rate(content, [rubi], 5, in_week(week))
    scored = _totals(week, rubi.pk)
    assert scored.numbers["ratings"] == 5 and scored.numbers["rating_average"] == 4


def test_own_school_ratings_are_capped(library_people, places, week):
    rubi = library_people["teacher_rubi"]
    content = ContentFactory(author=rubi, published=True)
    rate(content, make_raters(6, school=places["school_hatia"]), 5, in_week(week))
    rate(content, make_raters(5), 1, in_week(week))
    scored = _totals(week, rubi.pk)
    assert scored.numbers["own_school_ratings"] == 6
    assert scored.numbers["ratings_counted"] == 8
    assert scored.numbers["raters_counted"] == 8


def test_too_few_distinct_raters_take_no_part(library_people, week):
    rubi = library_people["teacher_rubi"]
    content = ContentFactory(author=rubi, published=True)
    rate(content, make_raters(CURRENT.min_raters - 1), 5, in_week(week))
    assert week_select(starts_on=week, formula=CURRENT) == (0, [])
    rate(content, make_raters(1), 5, in_week(week))
    assert week_select(starts_on=week, formula=CURRENT)[0] == 1


def test_one_rater_across_her_contents_is_one_rater(library_people, week):
    rubi = library_people["teacher_rubi"]
    raters = make_raters(3)
    for _i in range(3):
        rate(ContentFactory(author=rubi, published=True), raters, 5, in_week(week))
    assert week_select(starts_on=week, formula=CURRENT)[0] == 0  # nine ratings, three teachers


def test_draft_and_hidden_contents_are_left_out(library_people, week):
    rubi = library_people["teacher_rubi"]
    draft = ContentFactory(author=rubi)
    hidden = ContentFactory(author=rubi, published=True)
    hidden.hidden_at = timezone.now()
    hidden.save(update_fields=["hidden_at"])
    rate(draft, make_raters(6), 5, in_week(week))
    rate(hidden, make_raters(6), 5, in_week(week))
    assert week_select(starts_on=week, formula=CURRENT) == (0, [])


def test_mentor_reviews_of_the_week_count(library_people, week):
    rubi, mentor = library_people["teacher_rubi"], library_people["mentor_hatia"]
    content = ContentFactory(author=rubi, published=True)
    rate(content, make_raters(5), 4, in_week(week))
    review(content, mentor, "4.00", in_week(week))
    before = ContentFactory(author=rubi, published=True)
    review(before, mentor, "1.00", in_week(week - dt.timedelta(days=7)))
    scored = _totals(week, rubi.pk)
    assert scored.numbers["reviews"] == 1 and scored.numbers["mentor_average"] == 4


def test_used_in_class_is_counted_through_practice(library_people, week, monkeypatch):
    rubi, laila = library_people["teacher_rubi"], library_people["teacher_subarnachar"]
    mine = ContentFactory(author=rubi, published=True)
    hers = ContentFactory(author=laila, published=True)
    draft = ContentFactory(author=rubi)
    for content in (mine, hers):
        rate(content, make_raters(5), 4, in_week(week))
    asked = {}

    def uses(*, start, end):
        asked.update(start=start, end=end)
        return {mine.pk: 7, draft.pk: 50}

    monkeypatch.setattr(activity, "_uses_reader", lambda: uses)
    scored = {s.teacher_id: s for s in week_select(starts_on=week, formula=CURRENT)[1]}
    assert asked == {"start": week, "end": week + dt.timedelta(days=6)}
    assert scored[rubi.pk].numbers["used_in_class"] == 7  # the draft's uses do not count
    assert scored[laila.pk].numbers["used_in_class"] == 0
    assert scored[rubi.pk].score > scored[laila.pk].score


def test_without_practice_selector_uses_count_zero(library_people, week, monkeypatch):
    monkeypatch.setattr(activity, "_uses_reader", lambda: None)
    rubi = library_people["teacher_rubi"]
    rate(ContentFactory(author=rubi, published=True), make_raters(5), 4, in_week(week))
    assert _totals(week, rubi.pk).numbers["used_in_class"] == 0


def test_dhaka_week_boundaries_at_half_past_one(library_people, dhaka_small_hours):
    # Sunday 01:30 in Dhaka is still Saturday in UTC: the week that just ended is the one before this Sunday.
    sunday = dt.date(2026, 11, 29)
    dhaka_small_hours.set(dhaka_datetime(sunday, dt.time(1, 30)))
    assert timezone.now().astimezone(dt.UTC).date() == dt.date(2026, 11, 28)
    week = last_finished_week()
    assert week == dt.date(2026, 11, 22)
    start, end = activity.week_bounds(week)
    assert start == dt.datetime(2026, 11, 22, tzinfo=DHAKA) and end == dt.datetime(2026, 11, 29, tzinfo=DHAKA)
    rubi, laila = library_people["teacher_rubi"], library_people["teacher_subarnachar"]
    inside = ContentFactory(author=rubi, published=True)
    rate(inside, make_raters(3), 5, start)  # Sunday 00:00 Dhaka: in
    rate(inside, make_raters(2), 5, end - dt.timedelta(minutes=1))  # Saturday 23:59 Dhaka: in
    outside = ContentFactory(author=laila, published=True)
    rate(outside, make_raters(3), 5, start - dt.timedelta(minutes=1))  # the Saturday before: out
    rate(outside, make_raters(3), 5, end)  # this Sunday 00:00 Dhaka (Saturday 18:00 UTC): out
    candidates, best = week_select(starts_on=week, formula=CURRENT)
    assert candidates == 1 and best[0].teacher_id == rubi.pk


def test_selection_takes_a_bounded_number_of_queries(library_people, week, django_assert_max_num_queries,
                                                     monkeypatch):
    monkeypatch.setattr(activity, "_uses_reader", lambda: lambda *, start, end: {})
    authors = make_raters(8)
    raters = make_raters(6)
    for author in authors:
        for _i in range(2):
            rate(ContentFactory(author=author, published=True), raters, 4, in_week(week))
    with django_assert_max_num_queries(3):
        candidates, best = week_select(starts_on=week, formula=CURRENT)
    assert candidates == 8 and len(best) == 8


def test_a_changed_rating_counts_in_the_week_it_was_changed(library_people, week):
    rubi = library_people["teacher_rubi"]
    content = ContentFactory(author=rubi, published=True)
    raters = make_raters(5)
    rate(content, raters, 5, in_week(week - dt.timedelta(days=7)))
    assert week_select(starts_on=week, formula=CURRENT)[0] == 0
    rows = [RatingFactory._meta.model.objects.get(content=content, rater=r) for r in raters]
    for row in rows:
        row.stars = 3
        row.save()
    RatingFactory._meta.model.objects.filter(content=content).update(updated_at=in_week(week))
    assert _totals(week, rubi.pk).numbers["rating_average"] == 3
