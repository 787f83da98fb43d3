"""Scoring as properties (hypothesis): pure functions of plain values, no database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from shikhon.courses import scoring
from shikhon.courses.scoring import NUMERIC, AnswerKey

choice_ids = st.integers(min_value=1, max_value=10_000)


@st.composite
def choice_questions(draw: st.DrawFn) -> tuple[AnswerKey, list[int]]:
    """A choice question's key and all its choice ids (at least one correct)."""
    ids = draw(st.lists(choice_ids, min_size=2, max_size=6, unique=True))
    correct = draw(st.sets(st.sampled_from(ids), min_size=1))
    kind = draw(st.sampled_from(["single", "multiple", "true_false"]))
    return AnswerKey(kind=kind, correct_choice_ids=frozenset(correct)), ids


@st.composite
def attempts(draw: st.DrawFn) -> tuple[list[int], dict[int, AnswerKey], dict[str, list[str]]]:
    """Question ids as shown, their keys, and some answers (any subset of choices, maybe none)."""
    questions = draw(st.lists(choice_questions(), min_size=0, max_size=8))
    question_ids = list(range(1, len(questions) + 1))
    keys = {pk: key for pk, (key, _ids) in zip(question_ids, questions, strict=True)}
    answers = {}
    for pk, (_key, ids) in zip(question_ids, questions, strict=True):
        chosen = draw(st.lists(st.sampled_from(ids), max_size=len(ids)))
        answers[str(pk)] = [str(c) for c in chosen]
    return question_ids, keys, answers


def right_answers(keys: dict[int, AnswerKey]) -> dict[str, list[str]]:
    return {str(pk): [str(c) for c in sorted(key.correct_choice_ids)] for pk, key in keys.items()}


@given(attempts(), st.integers(min_value=0, max_value=100))
def test_score_is_between_zero_and_full_marks(attempt, pass_percent):
    question_ids, keys, answers = attempt
    score = scoring.score_answers(question_ids=question_ids, keys=keys, answers=answers, pass_percent=pass_percent)
    assert 0 <= score.correct_count <= score.total == len(question_ids)
    assert 0 <= score.percent <= 100
    assert score.passed == (score.percent >= pass_percent)


@given(attempts(), st.randoms(use_true_random=False))
def test_order_of_questions_and_of_chosen_answers_does_not_change_the_score(attempt, rnd):
    question_ids, keys, answers = attempt
    before = scoring.score_answers(question_ids=question_ids, keys=keys, answers=answers, pass_percent=60)
    shuffled_ids = list(question_ids)
    rnd.shuffle(shuffled_ids)
    shuffled_answers = {}
    for pk, values in answers.items():
        values = list(values)
        rnd.shuffle(values)
        shuffled_answers[pk] = values
    after = scoring.score_answers(question_ids=shuffled_ids, keys=keys, answers=shuffled_answers, pass_percent=60)
    assert after == before


@given(st.lists(choice_questions(), min_size=1, max_size=8), st.integers(min_value=0, max_value=100))
def test_all_correct_gives_full_marks_and_passes(questions, pass_percent):
    keys = {pk: key for pk, (key, _ids) in enumerate(questions, start=1)}
    score = scoring.score_answers(question_ids=list(keys), keys=keys, answers=right_answers(keys),
                                  pass_percent=pass_percent)
    assert (score.correct_count, score.percent, score.passed) == (len(keys), 100, True)


@given(st.lists(choice_questions(), min_size=1, max_size=8))
def test_nothing_answered_scores_zero(questions):
    keys = {pk: key for pk, (key, _ids) in enumerate(questions, start=1)}
    score = scoring.score_answers(question_ids=list(keys), keys=keys, answers={}, pass_percent=1)
    assert (score.correct_count, score.percent, score.passed) == (0, 0, False)


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=200))
def test_percent_rises_with_each_right_answer(correct, total):
    correct = min(correct, total)
    assert scoring.percent(correct, total) <= scoring.percent(min(correct + 1, total), total)
    assert scoring.percent(total, total) == 100 and scoring.percent(0, total) == 0


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100),
       st.integers(min_value=0, max_value=100))
def test_pass_threshold_is_monotone(score, low, high):
    low, high = min(low, high), max(low, high)
    if scoring.passes(score, high):  # passing a higher mark passes every lower one
        assert scoring.passes(score, low)
    if scoring.passes(score, low):  # a better score passes what a worse one passed
        assert scoring.passes(min(score + 1, 100), low)


@given(st.decimals(min_value=-1000, max_value=1000, places=3), st.decimals(min_value=0, max_value=10, places=3),
       st.decimals(min_value=-20, max_value=20, places=3))
def test_a_number_counts_within_the_allowed_difference(answer, tolerance, offset):
    key = AnswerKey(kind=NUMERIC, numeric_answer=answer, numeric_tolerance=tolerance)
    assert scoring.is_correct(key, [str(answer + offset)]) == (abs(offset) <= tolerance)


def test_edges():
    single = AnswerKey(kind="single", correct_choice_ids=frozenset({7}))
    assert scoring.is_correct(single, ["7"]) and scoring.is_correct(single, ["7", "7"])
    assert not scoring.is_correct(single, []) and not scoring.is_correct(single, ["7", "8"])
    assert not scoring.is_correct(AnswerKey(kind="single"), ["7"])  # no correct choice: nothing is right
    assert not scoring.is_correct(AnswerKey(kind=NUMERIC), ["12"])  # no number set
    assert not scoring.is_correct(AnswerKey(kind=NUMERIC, numeric_answer=Decimal(12)), ["twelve"])
    assert scoring.percent(1, 3) == 33 and scoring.percent(2, 3) == 67 and scoring.percent(1, 2) == 50
    assert scoring.percent(0, 0) == 0
