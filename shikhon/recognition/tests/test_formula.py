"""The formula as data: validation, smoothing, the own-school cap, the minimum of raters, ties, the sentence."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shikhon.recognition.formula import CURRENT, Formula, WeekTotals, formula_of


def test_smoothing_puts_one_five_star_rating_below_forty_of_four_point_eight():
    formula = Formula(version=1, min_raters=1)
    one = formula.score(WeekTotals(teacher_id=1, ratings=1, stars=5, raters=1))
    forty = formula.score(WeekTotals(teacher_id=2, ratings=40, stars=192, raters=40))
    assert one.numbers["rating_average"] == 5 and forty.numbers["rating_average"] == 4.8
    assert one.numbers["rating_smoothed"] < forty.numbers["rating_smoothed"]
    assert one.score < forty.score


def test_own_school_ratings_weigh_at_most_the_cap():
    formula = Formula(version=1, own_school_cap=3, min_raters=5)
    scored = formula.score(WeekTotals(teacher_id=1, ratings=11, stars=6 * 5 + 5 * 1, own_ratings=6, own_stars=30,
                                      raters=11, own_raters=6))
    # five outside ratings of 1 star, six own-school 5 stars weighing 3 ratings in all
    assert scored.numbers["ratings_counted"] == 8
    assert scored.numbers["raters_counted"] == 8
    smoothed = (10 * 3.5 + 5 * 1 + 15) / (10 + 8)
    assert scored.numbers["rating_smoothed"] == round(smoothed, 2)


def test_own_school_raters_count_at_most_the_cap_towards_the_minimum():
    formula = Formula(version=1, own_school_cap=3, min_raters=5)
    only_own = formula.score(WeekTotals(teacher_id=1, ratings=9, stars=45, own_ratings=9, own_stars=45, raters=9,
                                        own_raters=9))
    assert not only_own.eligible
    mixed = formula.score(WeekTotals(teacher_id=1, ratings=5, stars=25, own_ratings=3, own_stars=15, raters=5,
                                     own_raters=3))
    assert mixed.eligible


def test_minimum_raters():
    formula = Formula(version=1, min_raters=5)
    assert not formula.score(WeekTotals(teacher_id=1, ratings=4, stars=20, raters=4)).eligible
    assert formula.score(WeekTotals(teacher_id=1, ratings=5, stars=20, raters=5)).eligible


def test_used_in_class_and_mentor_scores_add_points():
    formula = Formula(version=1)
    base = WeekTotals(teacher_id=1, ratings=5, stars=20, raters=5)
    plain = formula.score(base)
    used = formula.score(WeekTotals(teacher_id=1, ratings=5, stars=20, raters=5, uses=10))
    capped = formula.score(WeekTotals(teacher_id=1, ratings=5, stars=20, raters=5, uses=500))
    reviewed = formula.score(WeekTotals(teacher_id=1, ratings=5, stars=20, raters=5, reviews=1, review_sum=4.0))
    assert used.numbers["used_points"] == 10 and capped.numbers["used_points"] == 20
    assert plain.score < used.score < capped.score
    assert reviewed.numbers["mentor_average"] == 4 and reviewed.score > plain.score


def test_ties_are_broken_deterministically():
    formula = Formula(version=1)
    a = formula.score(WeekTotals(teacher_id=9, ratings=5, stars=20, raters=5))
    b = formula.score(WeekTotals(teacher_id=3, ratings=5, stars=20, raters=5))
    assert a.score == b.score
    assert sorted([a, b], key=lambda s: s.rank_key())[0].teacher_id == 3


@pytest.mark.parametrize("changes", [{"rating_points": 60}, {"min_raters": 0}, {"rating_prior_mean": 6},
                                     {"version": 0}, {"own_school_cap": -1}])
def test_a_bad_formula_is_refused(changes):
    with pytest.raises(ValueError, match="Champions formula"):
        Formula(**{"version": 1, **changes})


def test_params_round_trip_and_unknown_params_refused():
    assert Formula.from_params(CURRENT.as_params()) == CURRENT
    assert formula_of(None) == CURRENT
    with pytest.raises(ValidationError):
        formula_of({**CURRENT.as_params(), "luck": 1})


def test_the_sentence_is_built_from_the_numbers():
    formula = Formula(version=2, rating_prior_weight=7, min_raters=6)
    with translation.override("en"):
        text = formula.sentence()
    assert "7 ratings of 3.50 stars" in text and "at least 6 different teachers" in text
    with translation.override("bn"):
        assert "৭" in formula.sentence()
