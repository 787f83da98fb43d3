"""One place answers "may this person do X" and "which people may this person see"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.people.models import Role, User
from shikhon.people.selectors import current_roles_q, user_scope
from shikhon.places.models import School

K = Role.Kind

# Who may grant which role, by the granter's own role. The place must also lie in the granter's area.
GRANTABLE: dict[str, frozenset[str]] = {
    K.NATIONAL_ADMIN: frozenset(K.values),
    K.DIVISION_OFFICER: frozenset({K.TEACHER, K.HEAD_TEACHER, K.MENTOR, K.UPAZILA_OFFICER, K.DISTRICT_OFFICER}),
    K.DISTRICT_OFFICER: frozenset({K.TEACHER, K.HEAD_TEACHER, K.MENTOR, K.UPAZILA_OFFICER}),
    K.UPAZILA_OFFICER: frozenset({K.TEACHER, K.HEAD_TEACHER, K.MENTOR}),
    K.HEAD_TEACHER: frozenset({K.TEACHER}),
}


def users_visible_to(user: User) -> Q:
    """People whose current or pending roles lie in the viewer's scope, and the viewer."""
    scope = user_scope(user)
    if scope.is_national:
        return Q()
    q = Q(pk=user.pk)
    place = scope.place_q("roles__")
    if scope.school_ids or scope.upazila_ids or scope.district_ids or scope.division_ids:
        q |= place & Q(roles__status__in=[Role.Status.ACTIVE, Role.Status.PENDING])
    return q


def roles_visible_to(user: User) -> Q:
    scope = user_scope(user)
    if scope.is_national:
        return Q()
    return Q(user=user) | scope.place_q()


def pending_roles_decidable_by(user: User) -> Q:
    """Pending school memberships this person may approve: head teachers for their school,
    upazila/district/division officers and national admins for their area."""
    scope = user_scope(user)
    base = Q(status=Role.Status.PENDING)
    if scope.is_national_admin:
        return base
    area = Q(pk__in=[])
    if scope.head_school_ids:
        area |= Q(school_id__in=scope.head_school_ids)
    officer_upazilas = _officer_area(user)
    if officer_upazilas is not None:
        area |= officer_upazilas
    return base & area


def _officer_area(user: User) -> Q | None:
    roles = Role.objects.filter(current_roles_q(), user=user, kind__in=[
        K.UPAZILA_OFFICER, K.DISTRICT_OFFICER, K.DIVISION_OFFICER]).values_list(
        "kind", "upazila_id", "district_id", "division_id")
    q = None
    for kind, upazila_id, district_id, division_id in roles:
        part = {
            K.UPAZILA_OFFICER: Q(upazila_id=upazila_id),
            K.DISTRICT_OFFICER: Q(district_id=district_id),
            K.DIVISION_OFFICER: Q(division_id=division_id),
        }[kind]
        q = part if q is None else q | part
    return q


def ensure_can_decide(actor: User, role: Role) -> None:
    if not Role.objects.filter(pending_roles_decidable_by(actor), pk=role.pk).exists():
        raise PermissionDenied


def can_grant(actor: User, *, kind: str, school: School | None, upazila_id: int | None,
              district_id: int | None, division_id: int | None) -> bool:
    """May `actor` grant a role of `kind` over this place?"""
    scope = user_scope(actor)
    if scope.is_national_admin:
        return True
    granter_roles = Role.objects.filter(current_roles_q(), user=actor).values_list(
        "kind", "school_id", "upazila_id", "district_id", "division_id")
    for g_kind, g_school, g_upazila, g_district, g_division in granter_roles:
        if kind not in GRANTABLE.get(g_kind, frozenset()):
            continue
        if g_kind == K.HEAD_TEACHER and school is not None and school.pk == g_school:
            return True
        if g_kind == K.UPAZILA_OFFICER and upazila_id == g_upazila and upazila_id is not None:
            return True
        if g_kind == K.DISTRICT_OFFICER and district_id == g_district and district_id is not None:
            return True
        if g_kind == K.DIVISION_OFFICER and division_id == g_division and division_id is not None:
            return True
    return False


def can_invite(actor: User) -> bool:
    scope = user_scope(actor)
    return bool(scope.head_school_ids) or scope.is_officer


def ensure_can_set_password(actor: User, user: User) -> None:
    """Officers (and national admins) may set their own password; nobody sets another's."""
    if actor.pk != user.pk or not user_scope(actor).is_officer:
        raise PermissionDenied
