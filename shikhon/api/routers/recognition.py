"""Weekly content champions (decision 0012): the latest announced week with the numbers that explain each champion,
a week by its Sunday, the past champions with the shares of women and of rural schools, and the published formula.
All public (announced weeks only; those who may confirm also see a week computed or confirmed), read through
`recognition.selectors` like the pages. Times are given in Dhaka's time (+06:00); a week is named by its Sunday."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from shikhon.api.auth import PUBLIC_AUTH, PUBLIC_OPENAPI, caller_or_visitor
from shikhon.api.pagination import MAX_PAGE
from shikhon.api.schemas import ErrorOut
from shikhon.places.selectors import schools_by_ids
from shikhon.recognition import selectors
from shikhon.recognition.formula import CURRENT, Formula

if TYPE_CHECKING:
    from shikhon.recognition.models import Champion, ChampionWeek

router = Router(tags=["champions"])

ERRORS: dict[int, Any] = {401: ErrorOut, 414: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: ErrorOut}
PUBLIC: dict[str, Any] = {"auth": PUBLIC_AUTH, "openapi_extra": PUBLIC_OPENAPI}


def _dhaka(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


class ChampionNumbers(Schema):
    """The numbers that decided her score (the formula's own, kept when the week was computed)."""

    ratings: int | None = Field(None, description="Ratings of her contents made or changed that week (not hers).")
    own_school_ratings: int | None = Field(None, description="Of those, from her own school.")
    ratings_counted: float | None = Field(None, description="Ratings counted after the own-school cap.")
    raters: int | None = Field(None, description="Distinct teachers who rated.")
    raters_counted: int | None = None
    rating_average: float | None = Field(None, description="The plain average of the stars.")
    rating_smoothed: float | None = Field(None, description="The average smoothed by the formula's prior.")
    rating_points: float | None = None
    reviews: int | None = Field(None, description="Mentors' reviews of her contents that week.")
    mentor_average: float | None = None
    mentor_smoothed: float | None = None
    mentor_points: float | None = None
    used_in_class: int | None = Field(None, description="Times her contents were recorded used in class.")
    used_points: float | None = None
    score: float | None = None


class ChampionOut(Schema):
    rank: int = Field(..., description="1, 2 or 3.")
    teacher_id: int
    name_bn: str
    name_en: str
    school_name: str = Field(..., description="Her school's name in the caller's language (empty if unknown).")
    score: float = Field(..., description="Out of 100.")
    numbers: ChampionNumbers


class WeekOut(Schema):
    starts_on: dt.date = Field(..., description="The week's Sunday (Dhaka's calendar).")
    ends_on: dt.date = Field(..., description="Its Saturday.")
    status: Literal["computed", "confirmed", "announced"]
    announced_at: dt.datetime | None
    candidates: int = Field(..., description="Teachers who took part that week.")
    formula_version: int
    formula_sentence: str = Field(..., description="The formula the week was computed with, in words.")
    champions: list[ChampionOut]


class SharesOut(Schema):
    champions: int = Field(..., description="Champions announced so far.")
    women: int
    rural: int
    locality_known: int = Field(..., description="Champions whose school's locality (rural or urban) is known.")
    women_percent: int | None
    rural_percent: int | None


class CurrentOut(Schema):
    week: WeekOut | None = Field(..., description="The latest announced week (null before the first).")
    shares: SharesOut


class PastChampionOut(ChampionOut):
    week_starts_on: dt.date


class PastPage(Schema):
    count: int
    page: int
    pages: int
    limit: int
    items: list[PastChampionOut]


class FormulaOut(Schema):
    version: int
    rating_prior_mean: float
    rating_prior_weight: int
    mentor_prior_mean: float
    mentor_prior_weight: int
    own_school_cap: int
    min_raters: int
    used_cap: int
    rating_points: int
    mentor_points: int
    used_points: int
    sentence: str = Field(..., description="The formula in words, in the caller's language.")


def _numbers(raw: Any) -> dict[str, Any]:
    known = set(ChampionNumbers.model_fields)
    return {k: v for k, v in (raw or {}).items() if k in known}


def _champion(champion: Champion, school_name: str) -> dict[str, Any]:
    return {"rank": champion.rank, "teacher_id": champion.teacher_id, "name_bn": champion.teacher.name_bn,
            "name_en": champion.teacher.name_en, "school_name": school_name, "score": float(champion.score),
            "numbers": _numbers(champion.numbers)}


def _week(week: ChampionWeek) -> dict[str, Any]:
    return {"starts_on": week.starts_on, "ends_on": week.starts_on + dt.timedelta(days=6), "status": week.status,
            "announced_at": _dhaka(week.announced_at), "candidates": week.candidates,
            "formula_version": week.formula_version, "formula_sentence": selectors.week_sentence(week),
            "champions": [_champion(v.champion, v.school_name) for v in selectors.champions_of(week)]}


def _shares() -> dict[str, Any]:
    shares = selectors.past_shares()
    return {"champions": shares.champions, "women": shares.women, "rural": shares.rural,
            "locality_known": shares.locality_known, "women_percent": shares.women_percent,
            "rural_percent": shares.rural_percent}


def _formula(formula: Formula) -> dict[str, Any]:
    return {**formula.as_params(), "sentence": formula.sentence()}


@router.get("/champions/current", response={200: CurrentOut, **ERRORS}, summary="This week's champions (public)",
            **PUBLIC)
def current_champions(request: HttpRequest) -> dict[str, Any]:
    """The latest announced week's three champions, each with the numbers that decided her score, and the shares of
    women and of rural schools among all champions announced so far."""
    week = selectors.latest_announced()
    return {"week": _week(week) if week is not None else None, "shares": _shares()}


class WeekParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")


@router.get("/champions/past", response={200: PastPage, **ERRORS}, summary="Past champions (public)", **PUBLIC)
def past_champions(request: HttpRequest, params: Query[WeekParams]) -> dict[str, Any]:
    """Every announced champion, the latest weeks first (30 a page). A page past the end answers the last page."""
    page = selectors.past_champions_page(str(params.page))
    rows = list(page.object_list)
    schools = {s.pk: s for s in schools_by_ids({c.school_id for c in rows if c.school_id})}
    items = [{**_champion(c, schools[c.school_id].name if c.school_id in schools else ""),
              "week_starts_on": c.week.starts_on} for c in rows]
    return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
            "limit": selectors.PAST_PAGE_SIZE, "items": items}


@router.get("/champions/weeks/{starts_on}", response={200: WeekOut, **ERRORS_404},
            summary="One week's champions (public once announced)", **PUBLIC)
def champions_week(request: HttpRequest,
                   starts_on: str = Path(..., max_length=10, description="The week's Sunday, YYYY-MM-DD.")
                   ) -> dict[str, Any]:
    """An announced week; a week not yet announced only for officers who may confirm it (404 otherwise, as for a
    date that is not a Sunday)."""
    return _week(selectors.access_week(caller_or_visitor(request), starts_on))


@router.get("/champions/formula", response={200: FormulaOut, **ERRORS}, summary="The champions formula (public)",
            **PUBLIC)
def champions_formula(request: HttpRequest) -> dict[str, Any]:
    """The formula in force: its numbers and the sentence that explains it."""
    return _formula(CURRENT)

