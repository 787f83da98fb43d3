"""Reads of the status part: a teacher's status and history (hers, or a teacher in the reader's scope), ongoing
users per place (ONE grouped query per level on the latest rows, read through the indexes
`(is_latest, is_ongoing, <place>_id)`), the contrast of schools that finished the course but practise nothing
with schools that practise, and the cost per ongoing user beside training's cost per teacher (training's
selectors, its one rounding rule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Count, Q
from django.http import Http404

from shikhon.certificates.selectors import certified_count_in
from shikhon.core.access import parse_pk
from shikhon.core.clock import dhaka_today
from shikhon.courses.selectors import area_enrolments
from shikhon.people.scope import Scope, everything_q, user_scope
from shikhon.people.selectors import current_school_roles_of, place_column, teacher_counts_by_place
from shikhon.places import selectors as places
from shikhon.practice.models import OngoingStatus, PracticeRecord
from shikhon.practice.rules import OngoingRule
from shikhon.training.money import per_teacher
from shikhon.training.selectors import face_to_face_costs_for, online_costs_by_family

if TYPE_CHECKING:
    from shikhon.people.models import User

HISTORY_MAX = 30
CONTRAST_MAX = 10
AREA_LEVELS: tuple[str, ...] = ("district", "upazila", "school")


# ---------------------------------------------------------------------------------------------- a teacher

def _oversees_teacher_q(scope: Scope) -> bool:
    return bool(scope.head_school_ids or scope.oversees_area)


def access_status_teacher(user: User, raw_id: object) -> User:
    """Whose status page this is: her own (no id, or her own id), or a teacher whose current school she heads or
    whose area she oversees as officer or mentor (national people: anyone with a school role). Researchers see
    no one's. Anything else — malformed, missing, outside her scope — is the same 404."""
    if raw_id in (None, ""):
        return user
    pk = parse_pk(raw_id)
    if pk is None:
        raise Http404
    if pk == user.pk:
        return user
    scope = user_scope(user)
    if not _oversees_teacher_q(scope):
        raise Http404
    for role in current_school_roles_of(pk):
        if role.school_id is not None and (scope.is_head_teacher_of(role.school_id) or scope.oversees(
                upazila_id=role.upazila_id, district_id=role.district_id, division_id=role.division_id)):
            return role.user
    raise Http404


def latest_status(teacher: User) -> OngoingStatus | None:
    return OngoingStatus.objects.filter(teacher_id=teacher.pk, is_latest=True).first()


def status_history(teacher: User, *, limit: int = HISTORY_MAX) -> list[OngoingStatus]:
    """Her status rows, newest first (each a change; the latest says when it was last checked)."""
    return list(OngoingStatus.objects.filter(teacher_id=teacher.pk).order_by("-evaluated_at", "-pk")[:limit])


# ---------------------------------------------------------------------------------------------- areas

def sees_area(scope: Scope) -> bool:
    """Officers, mentors, national people and researchers (counts only, no names)."""
    return bool(scope.oversees_area or scope.is_researcher or scope.is_national)


def area_q(scope: Scope) -> Q:
    """The rows of the areas she oversees; everything for national people and researchers."""
    if scope.is_national or scope.is_researcher:
        return everything_q()
    return scope.headed_or_overseen_q()


def area_levels(scope: Scope) -> tuple[str, ...]:
    """The levels she may list: the places inside her widest area (an upazila officer: schools only)."""
    if scope.is_national or scope.is_researcher or scope.division_ids:
        return AREA_LEVELS
    if scope.district_ids:
        return ("upazila", "school")
    return ("school",)


def parse_level(scope: Scope, raw: object) -> str:
    """The level asked for when she may list it, else her first (bad input is not an error here)."""
    levels = area_levels(scope)
    text = str(raw or "").strip()
    return text if text in levels else levels[0]


@dataclass(frozen=True)
class PlaceCount:
    place_id: int
    name: str
    ongoing: int
    evaluated: int
    teachers: int


def ongoing_counts_by_place(area: Q, level: str) -> list[tuple[int, int, int]]:
    """(place id, ongoing users, teachers with a status) per place of `level` in the area, most ongoing first:
    ONE grouped query on the latest rows (the `(is_latest, is_ongoing, <level>_id)` indexes)."""
    column = place_column(level)
    rows = (OngoingStatus.objects.filter(area, is_latest=True, **{f"{column}__isnull": False})
            .values(column).annotate(ongoing=Count("pk", filter=Q(is_ongoing=True)), evaluated=Count("pk"))
            .order_by("-ongoing", column).values_list(column, "ongoing", "evaluated"))
    return list(rows)


def ongoing_total(area: Q) -> tuple[int, int]:
    """(ongoing users, teachers with a status) in the whole area: one query."""
    row = OngoingStatus.objects.filter(area, is_latest=True).aggregate(
        ongoing=Count("pk", filter=Q(is_ongoing=True)), evaluated=Count("pk"))
    return row["ongoing"] or 0, row["evaluated"] or 0


def place_names(level: str, ids: list[int]) -> dict[int, str]:
    """Each place's printed name in the reader's language (one query): English on an English page when the place
    has an English name, Bangla otherwise (the places' own `str`)."""
    if not ids:
        return {}
    found = places.schools_by_ids(ids) if level == "school" else places.areas_by_ids(level, ids)
    return {p.pk: str(p) for p in found}


def place_counts(level: str, rows: list[tuple[int, int, int]]) -> list[PlaceCount]:
    """The page's rows with names and each place's teachers (two queries for the page)."""
    ids = [row[0] for row in rows]
    names = place_names(level, ids)
    teachers = teacher_counts_by_place(level, ids) if ids else {}
    return [PlaceCount(place_id=pk, name=names.get(pk, ""), ongoing=ongoing, evaluated=evaluated,
                       teachers=teachers.get(pk, 0)) for pk, ongoing, evaluated in rows]


@dataclass(frozen=True)
class Contrast:
    """Schools whose teachers completed a course but record no practice in the window, and schools with ongoing
    users: counts, and the first few of each by name."""

    finished_not_practising: int
    practising: int
    finished_not_practising_names: list[str]
    practising_names: list[str]


def contrast(area: Q, rule: OngoingRule, *, on: dt.date | None = None) -> Contrast:
    """Four queries whatever the area's size: completed courses by school, practice in the window by school,
    ongoing users by school, and the names shown."""
    on = on or dhaka_today()
    start = on - dt.timedelta(days=rule.params.window_days - 1)
    finished = dict(area_enrolments(area, completed=True).filter(school_id__isnull=False).order_by()
                    .values("school_id").annotate(n=Count("user_id", distinct=True)).values_list("school_id", "n"))
    practising_any: set[int | None] = set(PracticeRecord.objects.filter(area, taught_on__gte=start, taught_on__lte=on,
                                                       school_id__isnull=False)
                         .order_by().values_list("school_id", flat=True).distinct())
    ongoing_by_school = [(int(pk), n) for pk, n, _evaluated in ongoing_counts_by_place(area, "school") if n]
    idle: list[int] = sorted((pk for pk in finished if pk is not None and pk not in practising_any),
                             key=lambda pk: (-finished[pk], pk))
    shown_idle, shown_ongoing = idle[:CONTRAST_MAX], [pk for pk, _n in ongoing_by_school[:CONTRAST_MAX]]
    names = place_names("school", shown_idle + shown_ongoing)
    return Contrast(finished_not_practising=len(idle), practising=len(ongoing_by_school),
                    finished_not_practising_names=[names.get(pk, "") for pk in shown_idle],
                    practising_names=[names.get(pk, "") for pk in shown_ongoing])


# ---------------------------------------------------------------------------------------------- cost

@dataclass(frozen=True)
class CostPerOngoing:
    """`per_teacher` taka per teacher × `teachers` teachers ÷ `ongoing` ongoing users = `per_ongoing` taka (whole
    taka, halves up: training's one rule; None when nothing to divide). Computed from the figures shown, so the
    formula on the page adds up."""

    label: str
    per_teacher: Decimal | None
    teachers: int
    ongoing: int

    @property
    def total(self) -> Decimal | None:
        return None if self.per_teacher is None else self.per_teacher * self.teachers

    @property
    def per_ongoing(self) -> Decimal | None:
        total = self.total
        return None if total is None else per_teacher(total, self.ongoing)


def ongoing_by_family(families: list[UUID], rule: OngoingRule, *, on: dt.date | None = None) -> dict[UUID, int]:
    """Ongoing users (latest rows) who practised each course family in the rule's window: one grouped query."""
    if not families:
        return {}
    on = on or dhaka_today()
    start = on - dt.timedelta(days=rule.params.window_days - 1)
    ongoing_ids = OngoingStatus.objects.filter(is_latest=True, is_ongoing=True).values("teacher_id")
    rows = (PracticeRecord.objects.filter(family__in=families, taught_on__gte=start, taught_on__lte=on,
                                          teacher_id__in=ongoing_ids)
            .values("family").annotate(n=Count("teacher_id", distinct=True)).order_by().values_list("family", "n"))
    return dict(rows)  # type: ignore[arg-type]  # family__in: never null


@dataclass(frozen=True)
class CourseCostRow:
    course_title: str
    cost: CostPerOngoing


def course_costs_per_ongoing(rule: OngoingRule) -> list[CourseCostRow]:
    """Each costed course: its online cost per certified teacher (training) × certified teachers ÷ ongoing users
    who practise it."""
    rows = online_costs_by_family()
    ongoing = ongoing_by_family([row.family for row in rows], rule)
    return [CourseCostRow(course_title=row.course_title,
                          cost=CostPerOngoing(label="online", per_teacher=row.per_teacher, teachers=row.certified,
                                              ongoing=ongoing.get(row.family, 0)))
            for row in rows]


def area_costs_per_ongoing(user: User, area: Q, ongoing: int) -> list[CostPerOngoing]:
    """The area's figures: the online cost per certified teacher (all costed courses, training's) × the area's
    certified teachers ÷ its ongoing users; the face-to-face cost per trained teacher of the area's batches
    (training's) × its trained teachers ÷ its ongoing users."""
    rows = online_costs_by_family()
    online_total = sum((row.total for row in rows), start=Decimal(0))
    certified_all = sum(row.certified for row in rows)
    online_per = per_teacher(online_total, certified_all)
    f2f = face_to_face_costs_for(user)
    return [
        CostPerOngoing(label="online", per_teacher=online_per, teachers=certified_count_in(area), ongoing=ongoing),
        CostPerOngoing(label="face_to_face", per_teacher=f2f.per_teacher, teachers=f2f.trained, ongoing=ongoing),
    ]


def sees_costs(scope: Scope) -> bool:
    """Who reads costs (training's rule for /training/costs/): officers, national administrators, researchers."""
    return bool(scope.is_officer or scope.is_national_admin or scope.is_researcher)

