"""Reads for people: what places a user holds roles over (their scope)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from shikhon.core.clock import dhaka_today
from shikhon.people.models import Role, User
from shikhon.places.models import District, Division, School, Upazila

K = Role.Kind


def current_roles_q(prefix: str = "") -> Q:
    today = dhaka_today()
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
    # Areas held as an *officer* (not as a mentor): these decide memberships and grant roles.
    officer_upazila_ids: frozenset[int] = frozenset()
    officer_district_ids: frozenset[int] = frozenset()
    officer_division_ids: frozenset[int] = frozenset()

    @property
    def is_officer(self) -> bool:
        return bool(self.kinds & {K.UPAZILA_OFFICER, K.DISTRICT_OFFICER, K.DIVISION_OFFICER, K.NATIONAL_ADMIN})

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
        because they share her school); `Q()` (everything) for national roles, so callers that OR it with
        another condition must test `is_national` first."""
        return _ids_q(prefix, everything=self.is_national, school=self.head_school_ids, upazila=self.upazila_ids,
                      district=self.district_ids, division=self.division_ids)

    def place_q(self, prefix: str = "") -> Q:
        """Rows carrying school/upazila/district/division ids that fall in this scope."""
        return _ids_q(prefix, everything=self.is_national, school=self.school_ids, upazila=self.upazila_ids,
                      district=self.district_ids, division=self.division_ids)


def _ids_q(prefix: str, *, everything: bool, **ids_by_level: frozenset[int]) -> Q:
    """`Q()` for everything, else rows whose `<level>_id` is in any given set (nothing if all are empty)."""
    if everything:
        return Q()
    q = Q(pk__in=[])
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
    national = researcher = False
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
            elif district_id:
                areas["district"].add(district_id)
            elif division_id:
                areas["division"].add(division_id)
            elif not school_id:
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
        officer_upazila_ids=frozenset(officer["upazila"]), officer_district_ids=frozenset(officer["district"]),
        officer_division_ids=frozenset(officer["division"]),
    )
    user._shikhon_scope = scope  # type: ignore[attr-defined]
    return scope


def roles_of(user: User) -> QuerySet[Role]:
    return Role.objects.filter(user=user).select_related("school", "upazila", "district", "division")


def phone_query(raw: str | None) -> str | None:
    """A typed number as stored (E.164), or None when it is not a mobile number."""
    from django.core.exceptions import ValidationError

    from shikhon.people.phone import normalize_phone

    if not raw:
        return None
    try:
        return normalize_phone(raw)
    except ValidationError:
        return None


def pending_approvals(user: User) -> QuerySet[Role]:
    """The approvals list: pending memberships this person may decide, oldest first."""
    from shikhon.people.permissions import pending_roles_decidable_by

    return (Role.objects.filter(pending_roles_decidable_by(user))
            .select_related("user", "school").order_by("created_at", "pk"))


def roles_in_area(user: User, *, phone: str | None = None) -> QuerySet[Role]:
    """The roles page list: active, not yet ended roles in the officer's area, newest first."""
    from shikhon.people.permissions import roles_manageable_by

    today = dhaka_today()
    roles = (Role.objects.filter(roles_manageable_by(user), status=Role.Status.ACTIVE)
             .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
             .select_related("user", "school", "upazila", "district", "division")
             .order_by("-created_at", "-pk"))
    if phone:
        roles = roles.filter(user__phone=phone)
    return roles


def grant_places(user: User) -> tuple[QuerySet[Upazila] | None, QuerySet[District] | None,
                                      QuerySet[Division] | None]:
    """The upazilas, districts and divisions this person may place a role at (None: no such choice)."""
    scope = user_scope(user)
    if scope.is_national_admin:
        return Upazila.objects.order_by("name_en"), District.objects.order_by("name_en"), \
            Division.objects.order_by("name_en")
    upazilas: QuerySet[Upazila] | None = None
    districts: QuerySet[District] | None = None
    if scope.officer_upazila_ids or scope.officer_district_ids or scope.officer_division_ids:
        upazilas = Upazila.objects.filter(
            Q(pk__in=scope.officer_upazila_ids) | Q(district_id__in=scope.officer_district_ids)
            | Q(division_id__in=scope.officer_division_ids)).order_by("name_en")
    if scope.officer_district_ids or scope.officer_division_ids:
        districts = District.objects.filter(
            Q(pk__in=scope.officer_district_ids) | Q(division_id__in=scope.officer_division_ids)).order_by("name_en")
    return upazilas, districts, None


def school_members(school: School) -> list[Role]:
    """Current and pending school roles at one school, head teachers first, then by name."""
    rows = (
        Role.objects.filter(school=school, kind__in=[K.TEACHER, K.HEAD_TEACHER])
        .filter(Q(status=Role.Status.PENDING) | current_roles_q())
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=dhaka_today()))
        .select_related("user")
        .order_by("kind", "user__name_bn")
    )
    heads_first = sorted(rows, key=lambda r: (r.kind != K.HEAD_TEACHER, r.status != Role.Status.ACTIVE))
    return heads_first


def users_with_phone_breaking_rule(*, limit: int = 10_000) -> list[tuple[int, str]]:
    """(user id, stored number) of accounts whose number is not +880 1[3-9] + 8 digits, oldest first.

    Accounts made before issue 8 may hold such numbers; they are reported, never changed."""
    from shikhon.people.phone import STORED

    rows = (User.objects.exclude(phone__regex=f"^{STORED.pattern}$")
            .order_by("pk").values_list("pk", "phone")[:limit])
    return [(pk, phone) for pk, phone in rows]
