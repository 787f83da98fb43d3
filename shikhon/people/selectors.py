"""Reads for people: roles, approvals, a person's school and area (`placement_of`), and the people
other apps ask about (national admins, school-role counts). Which places a person holds roles over
(`Scope`, `user_scope`) lives in `people.scope`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shikhon.core.access import row_or_404
from shikhon.core.clock import dhaka_today
from shikhon.people.models import Role, User
from shikhon.people.permissions import pending_roles_decidable_by, roles_decidable_by, roles_manageable_by
from shikhon.people.scope import K, current_roles_q, current_school_roles_q, user_scope
from shikhon.places.models import Cluster, District, Division, School, Upazila
from shikhon.places.selectors import parse_eiin, school_get


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
    return (Role.objects.filter(pending_roles_decidable_by(user))
            .select_related("user", "school").order_by("created_at", "pk"))


def roles_in_area(user: User, *, phone: str | None = None) -> QuerySet[Role]:
    """The roles page list: active, not yet ended roles in the officer's area, newest first."""
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
        upazilas = upazilas_kept_by(user).order_by("name_en")
    if scope.officer_district_ids or scope.officer_division_ids:
        districts = District.objects.filter(
            Q(pk__in=scope.officer_district_ids) | Q(division_id__in=scope.officer_division_ids)).order_by("name_en")
    return upazilas, districts, None


def upazilas_kept_by(user: User) -> QuerySet[Upazila]:
    """Upazilas this person is an officer of, directly or through the district or division (national
    admins are not counted: their "everywhere" is not a list to keep clusters in)."""
    scope = user_scope(user)
    if not (scope.officer_upazila_ids or scope.officer_district_ids or scope.officer_division_ids):
        return Upazila.objects.none()
    return Upazila.objects.filter(
        Q(pk__in=scope.officer_upazila_ids) | Q(district_id__in=scope.officer_district_ids)
        | Q(division_id__in=scope.officer_division_ids))


def clusters_kept_by(user: User) -> QuerySet[Cluster]:
    """The clusters of the upazilas this person keeps, with `n_schools`, by upazila then name."""
    return (Cluster.objects.filter(upazila__in=upazilas_kept_by(user)).select_related("upazila")
            .annotate(n_schools=Count("schools")).order_by("upazila__name_bn", "name_bn"))


# ---------------------------------------------------------------- access_<thing>: the one way to load one
# Each answers the object, or raises Http404 alike for a missing id, a malformed one and one this person
# may not have (no existence leaks). Views call these; services check permission again.


def access_kept_upazila(user: User, upazila_id: object) -> Upazila:
    """An upazila whose clusters this person keeps (`upazilas_kept_by`)."""
    return row_or_404(upazilas_kept_by(user), upazila_id)


def access_cluster(user: User, cluster_id: object) -> Cluster:
    """A cluster in an upazila this person keeps."""
    return row_or_404(clusters_kept_by(user), cluster_id)


def access_role_to_decide(user: User, role_id: object) -> Role:
    """A school membership (in any status) that lies where this person decides (`roles_decidable_by`)."""
    return row_or_404(Role.objects.filter(roles_decidable_by(user)).select_related("user", "school"), role_id)


def access_role_to_end(user: User, role_id: object) -> Role:
    """A role listed on this officer's roles page (`roles_manageable_by`)."""
    return row_or_404(Role.objects.filter(roles_manageable_by(user)), role_id)


def access_school_staff(user: User, eiin: object) -> School:
    """A school whose people this person may list: she works there, or oversees its area."""
    canonical = parse_eiin(eiin)
    school = school_get(canonical) if canonical else None
    if school is None or not user_scope(user).covers(
            school_id=school.pk, upazila_id=school.upazila_id, district_id=school.district_id,
            division_id=school.division_id):
        raise Http404
    return school


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


# ---------------------------------------------------------------- what other apps ask about people


@dataclass(frozen=True)
class Placement:
    """Where a teacher works now: her school and the upazila, district and division it lies in (all
    None when she holds no current school role). Rows placed by her (enrolments, invitations, …) copy
    these ids when they are made, so every "which rows" filter stays one indexed `IN`."""

    school_id: int | None = None
    upazila_id: int | None = None
    district_id: int | None = None
    division_id: int | None = None

    def as_fields(self) -> dict[str, int | None]:
        """Keyword arguments for a place-scoped model: `Enrolment(**placement.as_fields(), …)`."""
        return {"school_id": self.school_id, "upazila_id": self.upazila_id,
                "district_id": self.district_id, "division_id": self.division_id}


NOWHERE = Placement()


def placements_of(user_ids: Iterable[int], *, in_area_of: User | None = None) -> dict[int, Placement]:
    """Each person's current school and area, in one query: her most recent current teacher or
    head-teacher role (latest start, then latest granted). With `in_area_of`, only school roles in an
    area that officer holds count (an officer inviting a teacher places the invitation in his area).
    People without such a role are left out of the answer."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    roles = Role.objects.filter(current_school_roles_q(), user_id__in=ids)
    if in_area_of is not None:
        roles = roles.filter(user_scope(in_area_of).officer_place_q())
    placements: dict[int, Placement] = {}
    for user_id, school_id, upazila_id, district_id, division_id in (
            roles.order_by("user_id", "-starts_on", "-pk")
            .values_list("user_id", "school_id", "upazila_id", "district_id", "division_id")):
        placements.setdefault(user_id, Placement(school_id, upazila_id, district_id, division_id))
    return placements


def placement_of(user: User, *, in_area_of: User | None = None) -> Placement:
    """Her current school and area (`NOWHERE` when she holds no current school role); see `placements_of`."""
    if not user.pk:
        return NOWHERE
    return placements_of([user.pk], in_area_of=in_area_of).get(user.pk, NOWHERE)


def teachers_in_area_of(officer: User) -> QuerySet[User]:
    """Active people with a current teacher or head-teacher role at a school in the area this officer
    holds (national admins: everywhere), each with `school_name`: the school of the role
    `placements_of(…, in_area_of=officer)` would pick (one query, a subquery per row)."""
    from django.db.models import OuterRef, Subquery

    roles = Role.objects.filter(current_school_roles_q()).filter(user_scope(officer).officer_place_q())
    first = roles.filter(user_id=OuterRef("pk")).order_by("-starts_on", "-pk")
    return (User.objects.filter(pk__in=roles.values("user_id"), is_active=True)
            .annotate(school_name=Subquery(first.values("school__name_bn")[:1])))


def active_users_with_phones(phones: Iterable[str]) -> list[User]:
    """Active people whose stored numbers (E.164) are among these; one query."""
    return list(User.objects.filter(phone__in=list(phones), is_active=True))


def user_with_phone(phone: str) -> User | None:
    """The person with this stored number (E.164), active or not, or None."""
    return User.objects.filter(phone=phone).first()


def national_admins() -> QuerySet[User]:
    """People holding a current national-admin role (they review courses, among other things)."""
    return User.objects.filter(
        pk__in=Role.objects.filter(current_roles_q(), kind=K.NATIONAL_ADMIN).values("user_id"), is_active=True)


def area_staff_ids(*, kinds: Iterable[str], upazila_id: int | None = None, district_id: int | None = None,
                   division_id: int | None = None, national: bool = False, exclude: int | None = None,
                   limit: int | None = None) -> list[int]:
    """Active people holding a current role of one of `kinds` placed at exactly this place: an upazila's
    (`upazila_id`), a district's own roles (`district_id`, no upazila), a division's own (`division_id`, no district)
    or the national ones (`national`: no place at all). One query, ids in order."""
    place: dict[str, Any]
    if upazila_id is not None:
        place = {"upazila_id": upazila_id}
    elif district_id is not None:
        place = {"district_id": district_id, "upazila_id": None}
    elif division_id is not None:
        place = {"division_id": division_id, "district_id": None, "upazila_id": None}
    elif national:
        place = {"division_id": None, "district_id": None, "upazila_id": None, "school_id": None}
    else:
        return []
    roles = Role.objects.filter(current_roles_q(), kind__in=list(kinds), **place)
    if exclude is not None:
        roles = roles.exclude(user_id=exclude)
    ids = (User.objects.filter(pk__in=roles.values("user_id"), is_active=True)
           .order_by("pk").values_list("pk", flat=True))
    return list(ids[:limit] if limit is not None else ids)


def school_role_counts(*, upazila_id: int | None = None, district_id: int | None = None,
                       division_id: int | None = None) -> dict[str, int]:
    """Teachers (people with a current teacher or head-teacher role) and head teachers in one area, or
    in the whole country when no area is given; two queries."""
    area = {f"{level}_id": place_id for level, place_id in
            (("upazila", upazila_id), ("district", district_id), ("division", division_id)) if place_id is not None}
    roles = Role.objects.filter(current_school_roles_q(), **area)
    return {
        "teachers": roles.values("user_id").distinct().count(),
        "head_teachers": roles.filter(kind=K.HEAD_TEACHER).count(),
    }


def school_role_counts_by_place(level: str, ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """`school_role_counts` of each place (`level`: upazila, district or division) among these ids: teachers
    (distinct people with a current teacher or head-teacher role) and head teachers; one grouped query on the
    role's indexed place column (places without one are left out)."""
    column = place_column(level)
    rows = (Role.objects.filter(current_school_roles_q(), **{f"{column}__in": list(ids)})
            .values(column).annotate(teachers=Count("user_id", distinct=True),
                                     head_teachers=Count("pk", filter=Q(kind=K.HEAD_TEACHER))).order_by())
    return {row[column]: {"teachers": row["teachers"], "head_teachers": row["head_teachers"]} for row in rows}


def teacher_count_in(area: Q) -> int:
    """People with a current teacher or head-teacher role at a school whose place ids match `area` (a
    `Scope` place filter, e.g. `headed_or_overseen_q()`): the first stage of the home page's funnel; one query."""
    return Role.objects.filter(current_school_roles_q()).filter(area).values("user_id").distinct().count()


# ---------------------------------------------------------------- area progress (insights.progress)

PLACE_LEVELS: tuple[str, ...] = ("school", "upazila", "district", "division")


def place_column(level: str) -> str:
    """The indexed place-id column of a place-scoped row at this level (`school_id`, …); ValueError otherwise."""
    if level not in PLACE_LEVELS:
        raise ValueError(f"Unknown place level {level!r}")
    return f"{level}_id"


def teacher_counts_by_place(level: str, ids: Iterable[int]) -> dict[int, int]:
    """People with a current teacher or head-teacher role, by the `level` id of their school, for these ids;
    one grouped query on the role's indexed place column."""
    column = place_column(level)
    rows = (Role.objects.filter(current_school_roles_q(), **{f"{column}__in": list(ids)})
            .values(column).annotate(n=Count("user_id", distinct=True)).order_by())
    return dict(rows.values_list(column, "n"))


def teacher_user_ids_in(area: Q) -> QuerySet[Role, int]:
    """Ids of the people with a current teacher or head-teacher role at a school placed in `area` (a `Scope`
    place filter), for a subquery."""
    return Role.objects.filter(current_school_roles_q()).filter(area).values_list("user_id", flat=True)


def people_by_name(user_ids: Iterable[int]) -> QuerySet[User]:
    """These people (active), by Bangla name then id: a page of a list of teachers."""
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("name_bn", "pk")


def school_teachers_now(school_id: int) -> list[tuple[User, bool]]:
    """The people holding a current teacher or head-teacher role at this school, each once, with whether she
    is its head teacher; one query."""
    staff: dict[int, tuple[User, bool]] = {}
    for role in (Role.objects.filter(current_school_roles_q(), school_id=school_id).select_related("user")
                 .filter(user__is_active=True).order_by("pk")):
        head = role.kind == K.HEAD_TEACHER or (role.user_id in staff and staff[role.user_id][1])
        staff[role.user_id] = (role.user, head)
    return list(staff.values())


def current_school_roles_of(user_id: int | None) -> list[Role]:
    """Her current teacher and head-teacher roles, each with its school; one query (none for no id)."""
    if not user_id:
        return []
    return list(Role.objects.filter(current_school_roles_q(), user_id=user_id, user__is_active=True)
                .select_related("user", "school").order_by("-starts_on", "-pk"))
