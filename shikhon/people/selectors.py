"""Reads for people: what places a user holds roles over (their scope)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from shikhon.people.models import Role, User

K = Role.Kind


def current_roles_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{
        f"{prefix}status": Role.Status.ACTIVE,
        f"{prefix}starts_on__lte": today,
    }) & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today}))


@dataclass(frozen=True)
class Scope:
    """The places a person may see, by role. Answers every "which rows" question."""

    user_id: int | None
    kinds: frozenset[str] = frozenset()
    school_ids: frozenset[int] = frozenset()          # teacher or head teacher there
    head_school_ids: frozenset[int] = frozenset()     # head teacher there
    upazila_ids: frozenset[int] = frozenset()         # officer or mentor over the upazila
    district_ids: frozenset[int] = frozenset()
    division_ids: frozenset[int] = frozenset()
    is_national: bool = False                         # national admin or national mentor
    is_researcher: bool = False
    pending_school_ids: frozenset[int] = field(default=frozenset())

    @property
    def is_officer(self) -> bool:
        return bool(self.kinds & {K.UPAZILA_OFFICER, K.DISTRICT_OFFICER, K.DIVISION_OFFICER, K.NATIONAL_ADMIN})

    @property
    def is_national_admin(self) -> bool:
        return K.NATIONAL_ADMIN in self.kinds

    @property
    def oversees_area(self) -> bool:
        return bool(self.upazila_ids or self.district_ids or self.division_ids or self.is_national)

    def is_head_teacher_of(self, school_id: int) -> bool:
        return school_id in self.head_school_ids

    def covers(self, *, school_id: int | None = None, upazila_id: int | None = None,
               district_id: int | None = None, division_id: int | None = None) -> bool:
        """Whether a row placed at these ids lies within the area this person oversees or works in."""
        return (
            self.is_national
            or (school_id is not None and school_id in self.school_ids)
            or (upazila_id is not None and upazila_id in self.upazila_ids)
            or (district_id is not None and district_id in self.district_ids)
            or (division_id is not None and division_id in self.division_ids)
        )

    def oversees(self, *, upazila_id: int | None, district_id: int | None, division_id: int | None) -> bool:
        """Officer-style oversight of an area (not just working in one school of it)."""
        return (
            self.is_national
            or (upazila_id is not None and upazila_id in self.upazila_ids)
            or (district_id is not None and district_id in self.district_ids)
            or (division_id is not None and division_id in self.division_ids)
        )

    def place_q(self, prefix: str = "") -> Q:
        """Rows carrying school/upazila/district/division ids that fall in this scope."""
        if self.is_national:
            return Q()
        q = Q(pk__in=[])
        if self.school_ids:
            q |= Q(**{f"{prefix}school_id__in": self.school_ids})
        if self.upazila_ids:
            q |= Q(**{f"{prefix}upazila_id__in": self.upazila_ids})
        if self.district_ids:
            q |= Q(**{f"{prefix}district_id__in": self.district_ids})
        if self.division_ids:
            q |= Q(**{f"{prefix}division_id__in": self.division_ids})
        return q


_AREA = {K.UPAZILA_OFFICER: "upazila", K.DISTRICT_OFFICER: "district", K.DIVISION_OFFICER: "division"}


def user_scope(user: User | None) -> Scope:
    """Compute (once per request object) the places a user holds current roles over."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.pk:
        return Scope(user_id=None)
    cached: Scope | None = getattr(user, "_shikhon_scope", None)
    if cached is not None:
        return cached
    kinds: set[str] = set()
    schools: set[int] = set()
    heads: set[int] = set()
    pending: set[int] = set()
    areas: dict[str, set[int]] = {"upazila": set(), "district": set(), "division": set()}
    national = researcher = False
    rows = Role.objects.filter(user=user).values_list(
        "kind", "status", "starts_on", "ends_on", "school_id", "upazila_id", "district_id", "division_id"
    )
    today = timezone.localdate()
    for kind, status, starts_on, ends_on, school_id, upazila_id, district_id, division_id in rows:
        if status == Role.Status.PENDING and school_id:
            pending.add(school_id)
            continue
        if status != Role.Status.ACTIVE or starts_on > today or (ends_on is not None and ends_on < today):
            continue
        kinds.add(kind)
        if kind in (K.TEACHER, K.HEAD_TEACHER) and school_id:
            schools.add(school_id)
            if kind == K.HEAD_TEACHER:
                heads.add(school_id)
        elif kind in _AREA:
            level = _AREA[kind]
            place_id = {"upazila": upazila_id, "district": district_id, "division": division_id}[level]
            if place_id:
                areas[level].add(place_id)
        elif kind == K.MENTOR:
            if upazila_id:
                areas["upazila"].add(upazila_id)
            elif district_id:
                areas["district"].add(district_id)
            else:
                national = True
        elif kind == K.NATIONAL_ADMIN:
            national = True
        elif kind == K.RESEARCHER:
            researcher = True
    scope = Scope(
        user_id=user.pk, kinds=frozenset(kinds), school_ids=frozenset(schools), head_school_ids=frozenset(heads),
        upazila_ids=frozenset(areas["upazila"]), district_ids=frozenset(areas["district"]),
        division_ids=frozenset(areas["division"]), is_national=national, is_researcher=researcher,
        pending_school_ids=frozenset(pending),
    )
    user._shikhon_scope = scope  # type: ignore[attr-defined]
    return scope


def roles_of(user: User) -> QuerySet[Role]:
    return Role.objects.filter(user=user).select_related("school", "upazila", "district", "division")
