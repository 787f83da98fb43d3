"""Recognition's reads for its pages: the latest announced week, a week for a person (hidden = missing = 404), its
champions with their schools, the past champions page and the shares of women and rural schools among them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404

from shikhon.places.selectors import schools_by_ids
from shikhon.recognition.formula import formula_of
from shikhon.recognition.models import SUNDAY, Champion, ChampionWeek
from shikhon.recognition.permissions import weeks_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shikhon.people.models import User

PAST_PAGE_SIZE = 30
REVIEW_WEEKS = 8


def parse_week(raw: object) -> dt.date | None:
    """A week's Sunday from YYYY-MM-DD; None for anything else (not a date, not a Sunday)."""
    text = str(raw or "")[:10]
    if len(text) != 10:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if day.weekday() == SUNDAY else None


def access_week(user: User | AnonymousUser | None, raw: object) -> ChampionWeek:
    starts_on = parse_week(raw)
    if starts_on is None:
        raise Http404
    week = ChampionWeek.objects.filter(weeks_visible_to(user), starts_on=starts_on).first()
    if week is None:
        raise Http404
    return week


def latest_announced() -> ChampionWeek | None:
    return ChampionWeek.objects.filter(status=ChampionWeek.Status.ANNOUNCED).order_by("-starts_on").first()


@dataclass(frozen=True)
class ChampionView:
    champion: Champion
    school_name: str
    numbers: dict[str, Any]


def champions_of(week: ChampionWeek) -> list[ChampionView]:
    """The week's champions, each with her teacher and school name (two queries)."""
    champions = list(week.champions.select_related("teacher").order_by("rank"))
    schools = {s.pk: s for s in schools_by_ids({c.school_id for c in champions if c.school_id})}
    return [ChampionView(champion=c, school_name=schools[c.school_id].name if c.school_id in schools else "",
                         numbers=c.numbers) for c in champions]


def week_sentence(week: ChampionWeek) -> str:
    """The sentence of the formula this week was computed with."""
    return formula_of(week.formula).sentence()


def past_champions_page(page: str | None) -> Page[Champion]:
    rows = (Champion.objects.filter(week__status=ChampionWeek.Status.ANNOUNCED).select_related("week", "teacher")
            .order_by("-week__starts_on", "rank"))
    return Paginator(rows, PAST_PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class Shares:
    champions: int
    women: int
    rural: int
    locality_known: int

    @property
    def women_percent(self) -> int | None:
        return round(100 * self.women / self.champions) if self.champions else None

    @property
    def rural_percent(self) -> int | None:
        return round(100 * self.rural / self.champions) if self.champions else None


def past_shares() -> Shares:
    """Among all announced champions: how many are women and how many are from rural schools (one query)."""
    totals = Champion.objects.filter(week__status=ChampionWeek.Status.ANNOUNCED).aggregate(
        champions=Count("pk"), women=Count("pk", filter=Q(is_woman=True)),
        rural=Count("pk", filter=Q(is_rural=True)), locality_known=Count("pk", filter=Q(is_rural__isnull=False)))
    return Shares(**totals)


def weeks_to_review() -> list[ChampionWeek]:
    """The latest weeks, any status, for the review page (confirmers only: the view checks)."""
    return list(ChampionWeek.objects.select_related("confirmed_by").order_by("-starts_on")[:REVIEW_WEEKS])
