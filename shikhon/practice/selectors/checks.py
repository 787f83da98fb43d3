"""Reads of learner checks: a round's results per item and per learner code, a class's baseline against its
latest follow-up (the change in percentage points), a teacher's classes and rounds, and the rounds a person may
see (`permissions.check_rounds_visible_to`). No names anywhere: learners are codes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from shikhon.practice import permissions
from shikhon.practice.checks import DEFAULT_CHECK_CODE, CheckItem, definition_of
from shikhon.practice.models import CheckResult, CheckRound, LearnerCheck

if TYPE_CHECKING:
    from shikhon.people.models import User


def default_check() -> LearnerCheck | None:
    """The newest version of the default numeracy check."""
    return LearnerCheck.objects.filter(code=DEFAULT_CHECK_CODE).order_by("-version").first()


def percent(right: int, total: int) -> int:
    """A share as a whole percentage, rounded half up (0 for no learners)."""
    return (200 * right + total) // (2 * total) if total else 0


@dataclass(frozen=True)
class ItemShare:
    item: CheckItem
    right: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.right, self.total)


@dataclass(frozen=True)
class LearnerTotal:
    code: str
    right: int
    total: int


@dataclass(frozen=True)
class ItemChange:
    item: CheckItem
    baseline: ItemShare
    follow_up: ItemShare

    @property
    def change(self) -> int:
        """Follow-up minus baseline, in percentage points."""
        return self.follow_up.percent - self.baseline.percent

    @property
    def bar(self) -> int:
        """The width of the change's bar, 0–100."""
        return min(abs(self.change), 100)


@dataclass(frozen=True)
class RoundResults:
    round: CheckRound
    items: list[ItemShare]
    learners: list[LearnerTotal]

    @property
    def learner_count(self) -> int:
        return len(self.learners)


def _results_of(round_ids: list[int]) -> dict[int, list[tuple[str, str, bool]]]:
    rows: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
    for round_id, code, item, correct in (CheckResult.objects.filter(round_id__in=round_ids).order_by()
                                          .values_list("round_id", "learner_code", "item", "correct")):
        rows[round_id].append((code, item, correct))
    return rows


def _summary(check_round: CheckRound, rows: list[tuple[str, str, bool]]) -> RoundResults:
    definition = definition_of(check_round.learner_check)
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    learner_right: dict[str, int] = defaultdict(int)
    learner_total: dict[str, int] = defaultdict(int)
    for code, item, correct in rows:
        total[item] += 1
        right[item] += correct
        learner_total[code] += 1
        learner_right[code] += correct
    items = [ItemShare(item=item, right=right[item.code], total=total[item.code]) for item in definition.items]
    learners = [LearnerTotal(code=code, right=learner_right[code], total=learner_total[code])
                for code in sorted(learner_total, key=lambda c: (len(c), c))]
    return RoundResults(round=check_round, items=items, learners=learners)


def round_results(check_round: CheckRound) -> RoundResults:
    """The round's share right per item and each learner code's total (1 query)."""
    return _summary(check_round, _results_of([check_round.pk])[check_round.pk])


@dataclass(frozen=True)
class Comparison:
    baseline: RoundResults
    follow_up: RoundResults
    items: list[ItemChange]


def class_rounds(check_round: CheckRound) -> QuerySet[CheckRound]:
    """The rounds of the same check with the same class by the same teacher."""
    return CheckRound.objects.filter(teacher_id=check_round.teacher_id, learner_check_id=check_round.learner_check_id,
                                     grade=check_round.grade, section=check_round.section)


def comparison_for(check_round: CheckRound) -> Comparison | None:
    """Baseline against follow-up for the class of this round: for a follow-up, the latest baseline before it; for
    a baseline, its class's latest follow-up after it (None when there is no pair). 2 queries."""
    rounds = class_rounds(check_round).select_related("learner_check")
    baseline: CheckRound | None
    follow_up: CheckRound | None
    if check_round.kind == CheckRound.Kind.FOLLOW_UP:
        follow_up = check_round
        baseline = (rounds.filter(kind=CheckRound.Kind.BASELINE, held_on__lt=check_round.held_on)
                    .order_by("-held_on", "-pk").first())
    else:
        baseline = check_round
        follow_up = (rounds.filter(kind=CheckRound.Kind.FOLLOW_UP, held_on__gt=check_round.held_on)
                     .order_by("-held_on", "-pk").first())
    if baseline is None or follow_up is None:
        return None
    rows = _results_of([baseline.pk, follow_up.pk])
    before = _summary(baseline, rows[baseline.pk])
    after = _summary(follow_up, rows[follow_up.pk])
    by_code = {share.item.code: share for share in before.items}
    items = [ItemChange(item=share.item, baseline=by_code.get(share.item.code, ItemShare(share.item, 0, 0)),
                        follow_up=share) for share in after.items]
    return Comparison(baseline=before, follow_up=after, items=items)


def rounds_visible(user: User) -> QuerySet[CheckRound]:
    """The rounds she may open (her own; her school's if she heads it; her area's if she oversees one), newest
    first, each with its number of learners."""
    return (CheckRound.objects.filter(permissions.check_rounds_visible_to(user)).select_related("learner_check")
            .annotate(learners=Count("results__learner_code", distinct=True)).order_by("-held_on", "-pk"))


def rounds_of(teacher: User) -> QuerySet[CheckRound]:
    return rounds_visible(teacher).filter(teacher_id=teacher.pk)


@dataclass(frozen=True)
class CheckClass:
    """A class she has checked: grade and section, with its last baseline and last follow-up."""

    grade: int
    section: str
    check_id: int
    baseline: CheckRound | None
    follow_up: CheckRound | None


def classes_of(teacher: User, *, limit: int = 40) -> list[CheckClass]:
    """Her classes with a round (1 query for the rounds, at most `limit` classes)."""
    latest: dict[tuple[int, str, int], dict[str, CheckRound]] = {}
    for check_round in (CheckRound.objects.filter(teacher_id=teacher.pk).order_by("-held_on", "-pk")
                        .only("pk", "grade", "section", "kind", "held_on", "learner_check_id")[:500]):
        key = (check_round.grade, check_round.section, check_round.learner_check_id)
        latest.setdefault(key, {}).setdefault(check_round.kind, check_round)
    out = [CheckClass(grade=grade, section=section, check_id=check_id,
                      baseline=kinds.get(CheckRound.Kind.BASELINE), follow_up=kinds.get(CheckRound.Kind.FOLLOW_UP))
           for (grade, section, check_id), kinds in latest.items()]
    out.sort(key=lambda c: (c.grade, c.section))
    return out[:limit]


def round_counts_in(area: Q) -> tuple[int, int]:
    """(rounds, learner results) of the check rounds placed in `area` (a `Scope` place filter on the rows' own
    place ids): counts only, for researchers' and area pages elsewhere; one query."""
    counts = CheckRound.objects.filter(area).aggregate(rounds=Count("pk", distinct=True), results=Count("results"))
    return counts["rounds"] or 0, counts["results"] or 0
