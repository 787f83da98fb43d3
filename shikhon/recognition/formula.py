"""The weekly champions' formula, as data: a versioned, validated set of numbers, the score it gives a teacher
from her week's totals, and the sentence that publishes it (built from the same numbers, shown on
/champions/formula/ and beside every champion).

For each author, over one week (Sunday 00:00 to Saturday 24:00, Dhaka time) and her PUBLISHED contents (not
hidden, not drafts):

- **Teachers' ratings** (1–5 stars): ratings made or changed in the week (one row per rater and content). Her own
  ratings are ignored. Ratings from her own school together weigh at most `own_school_cap` ratings (with 6 of them,
  each counts half). She needs ratings from at least `min_raters` different teachers (her own school's raters
  counting at most `own_school_cap`) to take part. The average is smoothed (Bayesian): as if she also had
  `rating_prior_weight` ratings of `rating_prior_mean` stars, so one 5-star rating does not beat forty of 4.8.
- **Mentors' scores** (1–4, a review's rubric average): reviews of her contents made in the week, smoothed the same
  way with `mentor_prior_weight` reviews of `mentor_prior_mean`.
- **Used in class**: the practice records of the week naming her contents, up to `used_cap`.

Score (out of 100) = rating_points × (rating − 1) / 4 + mentor_points × (mentor − 1) / 3 + used_points ×
min(uses, used_cap) / used_cap, rounded to two decimals. Ties: more ratings counted, then more uses, then the
earlier account (smaller id) — never chance.

A week keeps the version and numbers it was computed with (`ChampionWeek.formula`), so changing the formula is a new
version and never rewrites a past week's explanation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shikhon.core.bangla import format_number

CHAMPIONS_PER_WEEK = 3


@dataclass(frozen=True)
class Formula:
    version: int
    rating_prior_mean: float = 3.5
    rating_prior_weight: int = 10
    mentor_prior_mean: float = 2.5
    mentor_prior_weight: int = 2
    own_school_cap: int = 3
    min_raters: int = 5
    used_cap: int = 20
    rating_points: int = 50
    mentor_points: int = 30
    used_points: int = 20

    def __post_init__(self) -> None:
        problems = []
        if self.version < 1:
            problems.append("version must be 1 or more")
        if not 1 <= self.rating_prior_mean <= 5:
            problems.append("rating_prior_mean must be between 1 and 5")
        if not 1 <= self.mentor_prior_mean <= 4:
            problems.append("mentor_prior_mean must be between 1 and 4")
        for name in ("rating_prior_weight", "mentor_prior_weight", "own_school_cap"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must not be negative")
        for name in ("min_raters", "used_cap"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1")
        points = (self.rating_points, self.mentor_points, self.used_points)
        if min(points) < 0 or sum(points) != 100:
            problems.append("the three parts' points must not be negative and must add up to 100")
        if problems:
            raise ValueError("Champions formula: " + "; ".join(problems))

    # ------------------------------------------------------------ as data

    def as_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Formula:
        known = {f.name for f in fields(cls)}
        unknown = set(params) - known
        if unknown:
            raise ValueError(f"Champions formula: unknown parameters {sorted(unknown)}")
        return cls(**params)

    # ------------------------------------------------------------ the score

    def score(self, totals: WeekTotals) -> Scored:
        """Her score from her week's totals, with every number that decided it (kept on the champion's row)."""
        own = totals.own_ratings
        own_weight = min(1.0, self.own_school_cap / own) if own else 1.0
        counted = (totals.ratings - own) + own * own_weight
        stars = (totals.stars - totals.own_stars) + totals.own_stars * own_weight
        raters = (totals.raters - totals.own_raters) + min(totals.own_raters, self.own_school_cap)
        rating_raw = totals.stars / totals.ratings if totals.ratings else None
        rating = ((self.rating_prior_weight * self.rating_prior_mean + stars)
                  / (self.rating_prior_weight + counted)) if (self.rating_prior_weight + counted) else 0.0
        mentor_raw = totals.review_sum / totals.reviews if totals.reviews else None
        mentor = ((self.mentor_prior_weight * self.mentor_prior_mean + totals.review_sum)
                  / (self.mentor_prior_weight + totals.reviews)) if (self.mentor_prior_weight + totals.reviews) \
            else 0.0
        uses = min(totals.uses, self.used_cap)
        rating_part = self.rating_points * max(rating - 1, 0) / 4
        mentor_part = self.mentor_points * max(mentor - 1, 0) / 3
        used_part = self.used_points * uses / self.used_cap
        score = round(rating_part + mentor_part + used_part, 2)
        numbers = {
            "ratings": totals.ratings, "own_school_ratings": own, "ratings_counted": round(counted, 2),
            "raters": totals.raters, "raters_counted": raters,
            "rating_average": None if rating_raw is None else round(rating_raw, 2),
            "rating_smoothed": round(rating, 2), "rating_points": round(rating_part, 2),
            "reviews": totals.reviews, "mentor_average": None if mentor_raw is None else round(mentor_raw, 2),
            "mentor_smoothed": round(mentor, 2), "mentor_points": round(mentor_part, 2),
            "used_in_class": totals.uses, "used_points": round(used_part, 2), "score": score,
        }
        return Scored(teacher_id=totals.teacher_id, score=score, counted=round(counted, 4), uses=totals.uses,
                      eligible=raters >= self.min_raters, numbers=numbers)

    # ------------------------------------------------------------ the sentence

    def sentence(self) -> str:
        """The formula in words, in the active language, from the same numbers the score uses."""
        n = format_number
        return " ".join([
            _("Every week three teachers are chosen from the contents they published, by a score out of 100."),
            _("Up to %(rating_points)s points come from other teachers' ratings (1 to 5 stars) of her contents made "
              "or changed that week; the average is counted as if she also had %(prior_weight)s ratings of "
              "%(prior_mean)s stars, so a few ratings cannot beat many good ones.") % {
                "rating_points": n(self.rating_points), "prior_weight": n(self.rating_prior_weight),
                "prior_mean": n(self.rating_prior_mean)},
            _("Up to %(mentor_points)s points come from mentors' review scores (1 to 4) of her contents that week, "
              "counted as if there were also %(prior_weight)s reviews of %(prior_mean)s.") % {
                "mentor_points": n(self.mentor_points), "prior_weight": n(self.mentor_prior_weight),
                "prior_mean": n(self.mentor_prior_mean)},
            _("Up to %(used_points)s points come from the times teachers recorded using her contents in class "
              "that week (%(used_cap)s times or more earn them all).") % {
                "used_points": n(self.used_points), "used_cap": n(self.used_cap)},
            _("Her own ratings do not count; ratings from her own school count as %(cap)s ratings at most; she "
              "needs ratings from at least %(min_raters)s different teachers.") % {
                "cap": n(self.own_school_cap), "min_raters": n(self.min_raters)},
            _("Equal scores go to the teacher with more ratings counted, then more uses in class, then the one who "
              "joined Shikhon first."),
        ])


@dataclass(frozen=True)
class WeekTotals:
    """One author's week, as the database adds it up (library ratings and reviews, practice's uses)."""

    teacher_id: int
    ratings: int = 0  # ratings of her published contents made or changed in the week, not her own
    stars: int = 0
    own_ratings: int = 0  # of those, from her own school
    own_stars: int = 0
    raters: int = 0  # distinct raters
    own_raters: int = 0  # distinct raters from her own school
    reviews: int = 0
    review_sum: float = 0.0
    uses: int = 0


@dataclass(frozen=True)
class Scored:
    teacher_id: int
    score: float
    counted: float
    uses: int
    eligible: bool
    numbers: dict[str, Any]

    def rank_key(self) -> tuple[float, float, int, int]:
        """Sorted ascending, best first: higher score, more ratings counted, more uses, smaller id."""
        return (-self.score, -self.counted, -self.uses, self.teacher_id)


FORMULAS: dict[int, Formula] = {1: Formula(version=1)}
CURRENT = FORMULAS[1]


def formula_of(params: dict[str, Any] | None) -> Formula:
    """The formula a week was computed with (its stored numbers), else the current one."""
    if not params:
        return CURRENT
    try:
        return Formula.from_params(params)
    except (TypeError, ValueError) as error:
        raise ValidationError(str(error)) from error
