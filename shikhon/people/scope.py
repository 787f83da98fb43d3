"""Who holds current roles over which places: `Scope`, `user_scope` and the role filters.

Every "which rows" and "may I" question in every app starts here. It imports nothing from the rest
of `people` except the models, so `people.permissions` and `people.selectors` both build on it
without importing each other in a circle."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from shikhon.core.clock import dhaka_today
from shikhon.people.models import Role, User
from shikhon.people.usercache import remember_scope

K = Role.Kind


SCHOOL_KINDS: tuple[str, ...] = (K.TEACHER, K.HEAD_TEACHER)


def current_roles_q(prefix: str = "") -> Q:
    """Roles in force today: active, started, not yet ended."""
    today = dhaka_today()
    return Q(**{
        f"{prefix}status": Role.Status.ACTIVE,
        f"{prefix}starts_on__lte": today,
    }) & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today}))


def current_school_roles_q() -> Q:
    """Teacher and head-teacher roles in force today, placed at a school."""
    return current_roles_q() & Q(kind__in=SCHOOL_KINDS, school_id__isnull=False)


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
    # Areas held as an *officer* (not as a mentor): these decide memberships and grant roles.
    officer_upazila_ids: frozenset[int] = frozenset()
    officer_district_ids: frozenset[int] = frozenset()
    officer_division_ids: frozenset[int] = frozenset()
    # Areas held as a *mentor* (teacher-educator): reviewing and promoting library contents (decision 0012).
    mentor_upazila_ids: frozenset[int] = frozenset()
    mentor_district_ids: frozenset[int] = frozenset()
    mentor_division_ids: frozenset[int] = frozenset()
    is_national_mentor: bool = False

    @property
    def is_officer(self) -> bool:
        return bool(self.kinds & {K.UPAZILA_OFFICER, K.DISTRICT_OFFICER, K.DIVISION_OFFICER, K.NATIONAL_ADMIN})

    @property
    def is_area_officer(self) -> bool:
        """An officer of at least one area now (upazila, district, division), or a national admin: the people who
        invite teachers and run batches (a role of that kind placed nowhere does not count)."""
        return bool(self.is_national_admin or self.officer_upazila_ids or self.officer_district_ids
                    or self.officer_division_ids)

    @property
    def is_national_admin(self) -> bool:
        return K.NATIONAL_ADMIN in self.kinds

    @property
    def is_mentor(self) -> bool:
        return K.MENTOR in self.kinds

    @property
    def is_course_author(self) -> bool:
        return K.COURSE_AUTHOR in self.kinds

    @property
    def oversees_area(self) -> bool:
        return bool(self.upazila_ids or self.district_ids or self.division_ids or self.is_national)

    def mentor_over(self, *, upazila_id: int | None, district_id: int | None, division_id: int | None) -> bool:
        """Whether this person is a current mentor of a row placed at these ids (a national mentor: of all)."""
        return (
            self.is_national_mentor
            or (upazila_id is not None and upazila_id in self.mentor_upazila_ids)
            or (district_id is not None and district_id in self.mentor_district_ids)
            or (division_id is not None and division_id in self.mentor_division_ids)
        )

    def mentor_place_q(self, prefix: str = "") -> Q:
        """Rows that lie in an area this person is a mentor of (national mentors: everything)."""
        return _ids_q(prefix, everything=self.is_national_mentor, upazila=self.mentor_upazila_ids,
                      district=self.mentor_district_ids, division=self.mentor_division_ids)

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

    def officer_over(self, *, upazila_id: int | None, district_id: int | None, division_id: int | None) -> bool:
        """Whether this person is a current officer (upazila, district, division or national admin)
        of a row placed at these ids."""
        return (
            self.is_national_admin
            or (upazila_id is not None and upazila_id in self.officer_upazila_ids)
            or (district_id is not None and district_id in self.officer_district_ids)
            or (division_id is not None and division_id in self.officer_division_ids)
        )

    def officer_place_q(self, prefix: str = "") -> Q:
        """Rows that lie in an area this person is an officer of (national admins: everything)."""
        return _ids_q(prefix, everything=self.is_national_admin, upazila=self.officer_upazila_ids,
                      district=self.officer_district_ids, division=self.officer_division_ids)

    def oversees(self, *, upazila_id: int | None, district_id: int | None, division_id: int | None) -> bool:
        """Officer-style oversight of an area (not just working in one school of it)."""
        return (
            self.is_national
            or (upazila_id is not None and upazila_id in self.upazila_ids)
            or (district_id is not None and district_id in self.district_ids)
            or (division_id is not None and division_id in self.division_ids)
        )

    def headed_or_overseen_q(self, prefix: str = "") -> Q:
        """Rows of the schools she heads and of the areas she oversees (not her colleagues' rows just
        because they share her school); everything (`everything_q`) for national roles."""
        return _ids_q(prefix, everything=self.is_national, school=self.head_school_ids, upazila=self.upazila_ids,
                      district=self.district_ids, division=self.division_ids)

    def place_q(self, prefix: str = "") -> Q:
        """Rows carrying school/upazila/district/division ids that fall in this scope."""
        return _ids_q(prefix, everything=self.is_national, school=self.school_ids, upazila=self.upazila_ids,
                      district=self.district_ids, division=self.division_ids)


def everything_q() -> Q:
    """Every row, as a condition that stays "every row" when OR-ed or AND-ed with another.

    Never use an empty `Q()` for this: Django drops it from a combination, so `Q(a) | Q()` is `Q(a)`,
    which silently narrows "everything" to "a"."""
    return Q(pk__isnull=False)


def nothing_q() -> Q:
    """No row (an always-false `IN ()` that Django answers without asking the database)."""
    return Q(pk__in=[])


def _ids_q(prefix: str, *, everything: bool, **ids_by_level: frozenset[int]) -> Q:
    """Every row (`everything_q`), else rows whose `<level>_id` is in any given set (nothing if all are empty)."""
    if everything:
        return everything_q()
    q = nothing_q()
    for level, ids in ids_by_level.items():
        if ids:
            q |= Q(**{f"{prefix}{level}_id__in": ids})
    return q


_AREA: dict[str, str] = {K.UPAZILA_OFFICER: "upazila", K.DISTRICT_OFFICER: "district", K.DIVISION_OFFICER: "division"}


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
    officer: dict[str, set[int]] = {"upazila": set(), "district": set(), "division": set()}
    mentor: dict[str, set[int]] = {"upazila": set(), "district": set(), "division": set()}
    national = researcher = national_mentor = False
    rows = Role.objects.filter(user=user).values_list(
        "kind", "status", "starts_on", "ends_on", "school_id", "upazila_id", "district_id", "division_id"
    )
    today = dhaka_today()
    for kind, status, starts_on, ends_on, school_id, upazila_id, district_id, division_id in rows:
        if status == Role.Status.PENDING:
            if school_id and (ends_on is None or ends_on >= today):
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
                officer[level].add(place_id)
        elif kind == K.MENTOR:
            # A mentor is placed at the most specific place set: upazila, district, division or none.
            if upazila_id:
                areas["upazila"].add(upazila_id)
                mentor["upazila"].add(upazila_id)
            elif district_id:
                areas["district"].add(district_id)
                mentor["district"].add(district_id)
            elif division_id:
                areas["division"].add(division_id)
                mentor["division"].add(division_id)
            elif not school_id:
                national = national_mentor = True
        elif kind == K.NATIONAL_ADMIN:
            national = True
        elif kind == K.RESEARCHER:
            researcher = True
    scope = Scope(
        user_id=user.pk, kinds=frozenset(kinds), school_ids=frozenset(schools), head_school_ids=frozenset(heads),
        upazila_ids=frozenset(areas["upazila"]), district_ids=frozenset(areas["district"]),
        division_ids=frozenset(areas["division"]), is_national=national, is_researcher=researcher,
        pending_school_ids=frozenset(pending),
        officer_upazila_ids=frozenset(officer["upazila"]), officer_district_ids=frozenset(officer["district"]),
        officer_division_ids=frozenset(officer["division"]),
        mentor_upazila_ids=frozenset(mentor["upazila"]), mentor_district_ids=frozenset(mentor["district"]),
        mentor_division_ids=frozenset(mentor["division"]), is_national_mentor=national_mentor,
    )
    user._shikhon_scope = scope  # type: ignore[attr-defined]
    remember_scope(user, scope)  # beside her cached user, for her next requests (people.usercache)
    return scope
