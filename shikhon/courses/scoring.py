"""Scoring a quiz attempt: pure functions of plain values, no database and no Django models.

A question's answer key is an `AnswerKey` (`selectors.answer_key(question)` builds one from a question
whose choices are loaded); her cleaned answers are lists of strings (choice ids, or one number). The
rules: a choice question is right when exactly its set of correct choices is chosen (order and repeats
do not matter); a number question is right within the allowed difference; unanswered is wrong; the
score is the whole percent of right answers, rounded half up; she passes at or above the pass mark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NUMERIC = "numeric"  # Question.Kind.NUMERIC; the other kinds are answered by choices


@dataclass(frozen=True)
class AnswerKey:
    """What makes an answer right: the correct choices, or the number and the allowed difference."""

    kind: str
    correct_choice_ids: frozenset[int] = frozenset()
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)


@dataclass(frozen=True)
class Score:
    correct_count: int
    total: int
    percent: int
    passed: bool


def is_correct(key: AnswerKey, values: Sequence[str]) -> bool:
    """Whether one cleaned answer is right. Unanswered (or not a number where a number is asked) is wrong."""
    if not values:
        return False
    if key.kind == NUMERIC:
        if key.numeric_answer is None:
            return False
        try:
            given = Decimal(values[0])
        except InvalidOperation:
            return False
        return abs(given - key.numeric_answer) <= key.numeric_tolerance
    if not key.correct_choice_ids or not all(v.isdigit() for v in values):
        return False
    return {int(v) for v in values} == key.correct_choice_ids


def percent(correct: int, total: int) -> int:
    """`correct` out of `total` as a whole percent, rounded half up; 0 for no questions."""
    if total <= 0:
        return 0
    correct = min(max(correct, 0), total)
    return (correct * 100 + total // 2) // total


def passes(score_percent: int, pass_percent: int) -> bool:
    return score_percent >= pass_percent


def score_answers(*, question_ids: Sequence[int], keys: Mapping[int, AnswerKey],
                  answers: Mapping[str, Sequence[str]], pass_percent: int) -> Score:
    """The score of an attempt: its questions (as shown), the answer key of each (a question missing from
    `keys` counts as wrong) and her cleaned answers by question id (a string)."""
    correct = sum(1 for pk in question_ids if pk in keys and is_correct(keys[pk], answers.get(str(pk), [])))
    total = len(question_ids)
    score = percent(correct, total)
    return Score(correct_count=correct, total=total, percent=score, passed=passes(score, pass_percent))
