"""One place answers "may this person do X" and "which people and roles may this person see".

Every answer comes from `people.scope.user_scope` (one query per request, cached on the user
object), so asking it once per row of a list costs no further queries.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.core.clock import dhaka_today
from shikhon.people.models import Role, User
from shikhon.people.scope import Scope, everything_q, nothing_q, user_scope
from shikhon.places.models import School, Upazila

K = Role.Kind

# Who may grant which role, by the granter's own role. The place must also lie in the granter's area.
GRANTABLE: dict[str, frozenset[str]] = {
    K.NATIONAL_ADMIN: frozenset(K.values),
    K.DIVISION_OFFICER: frozenset({K.TEACHER, K.HEAD_TEACHER, K.MENTOR, K.UPAZILA_OFFICER, K.DISTRICT_OFFICER}),
    K.DISTRICT_OFFICER: frozenset({K.TEACHER, K.HEAD_TEACHER, K.MENTOR, K.UPAZILA_OFFICER}),
    K.UPAZILA_OFFICER: frozenset({K.TEACHER, K.HEAD_TEACHER, K.MENTOR}),
    K.HEAD_TEACHER: frozenset({K.TEACHER}),
}

_OPEN_STATUSES = [Role.Status.ACTIVE, Role.Status.PENDING]


def _not_ended_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": dhaka_today()})


# ---------------------------------------------------------------- which rows


def users_visible_to(user: User) -> Q:
    """People with a current or pending role in the viewer's scope, and the viewer. A subquery,
    so filtering User with it never returns a person twice."""
    scope = user_scope(user)
    if scope.is_national:
        return everything_q()
    q = Q(pk=user.pk)
    if scope.school_ids or scope.upazila_ids or scope.district_ids or scope.division_ids:
        holders = Role.objects.filter(scope.place_q(), _not_ended_q(), status__in=_OPEN_STATUSES)
        q |= Q(pk__in=holders.values("user_id"))
    return q


def _decide_area_q(scope: Scope) -> Q:
    """Pending memberships by place: head teachers decide teacher requests for their own school;
    upazila, district and division officers any request in their area; national admins all."""
    if scope.is_national_admin:
        return everything_q()
    area = scope.officer_place_q()
    if scope.head_school_ids:
        area |= Q(school_id__in=scope.head_school_ids, kind=K.TEACHER)
    return area


def roles_decidable_by(user: User) -> Q:
    """School memberships (in any status) that lie where this person decides: the approvals
    page looks a posted role up here, so a role decided a moment ago answers "already decided"
    while another area's role answers 404. Nobody decides their own request."""
    scope = user_scope(user)
    if not can_approve(user):
        return nothing_q()
    return _decide_area_q(scope) & Q(school__isnull=False) & ~Q(user_id=user.pk)


def pending_roles_decidable_by(user: User) -> Q:
    """Pending school memberships this person may approve or reject now."""
    return roles_decidable_by(user) & Q(status=Role.Status.PENDING) & _not_ended_q()


def roles_manageable_by(user: User) -> Q:
    """Roles listed on the roles page: those placed in an area the person is an officer of
    (national admins: all). Whether each may be ended is `can_end`."""
    scope = user_scope(user)
    if not scope.is_officer:
        return nothing_q()
    return scope.officer_place_q()


# ---------------------------------------------------------------- may X do Y


def can_approve(user: User) -> bool:
    """Whether the approvals page is there for this person at all."""
    scope = user_scope(user)
    return bool(scope.head_school_ids) or scope.is_officer


def ensure_can_decide(actor: User, role: Role) -> None:
    scope = user_scope(actor)
    if role.user_id == actor.pk or role.school_id is None or not can_approve(actor):
        raise PermissionDenied
    if scope.officer_over(upazila_id=role.upazila_id, district_id=role.district_id, division_id=role.division_id):
        return
    if role.kind == K.TEACHER and scope.is_head_teacher_of(role.school_id):
        return
    raise PermissionDenied


def grantable_kinds(actor: User) -> frozenset[str]:
    """Every kind of role this person may grant somewhere."""
    scope = user_scope(actor)
    kinds: set[str] = set()
    for held in scope.kinds:
        if held == K.HEAD_TEACHER and not scope.head_school_ids:
            continue
        kinds |= GRANTABLE.get(held, frozenset())
    return frozenset(kinds)


def can_grant(actor: User, *, kind: str, school: School | None, upazila_id: int | None,
              district_id: int | None, division_id: int | None) -> bool:
    """May `actor` grant (or end) a role of `kind` placed here? Officers only within their area,
    head teachers only teachers of their own school, national admins anything."""
    scope = user_scope(actor)
    if scope.is_national_admin:
        return True
    if kind in GRANTABLE[K.HEAD_TEACHER] and school is not None and scope.is_head_teacher_of(school.pk):
        return True
    levels = (
        (K.UPAZILA_OFFICER, upazila_id, scope.officer_upazila_ids),
        (K.DISTRICT_OFFICER, district_id, scope.officer_district_ids),
        (K.DIVISION_OFFICER, division_id, scope.officer_division_ids),
    )
    return any(
        kind in GRANTABLE[level] and place_id is not None and place_id in held
        for level, place_id, held in levels
    )


def can_end(actor: User, role: Role) -> bool:
    """May `actor` end this role? The same rule as granting it; nobody ends their own role."""
    if role.user_id == actor.pk:
        return False
    school = School(pk=role.school_id) if role.school_id else None
    return can_grant(actor, kind=role.kind, school=school, upazila_id=role.upazila_id,
                     district_id=role.district_id, division_id=role.division_id)


def can_invite(actor: User) -> bool:
    scope = user_scope(actor)
    return bool(scope.head_school_ids) or scope.is_officer


def can_manage_roles(actor: User) -> bool:
    """The roles page: officers and national admins."""
    return user_scope(actor).is_officer


def can_set_password(user: User) -> bool:
    """Officers (and national admins) may keep a password besides SMS codes."""
    return user_scope(user).is_officer


def can_keep_tokens(user: User) -> bool:
    """The API access tokens page (make, list, revoke): officers of an upazila, district or division, national
    admins and researchers, who pull reports from the API. Teachers, head teachers, mentors and course authors
    do not see it (the page answers 404); tokens they made before keep working (people/README.md)."""
    scope = user_scope(user)
    return scope.is_officer or scope.is_researcher or bool(getattr(user, "is_superuser", False))


def can_import_schools(user: User) -> bool:
    """The national school list is imported by national admins only."""
    return user_scope(user).is_national_admin


def ensure_can_import_schools(actor: User) -> None:
    if not can_import_schools(actor):
        raise PermissionDenied


def can_keep_clusters(user: User) -> bool:
    """Clusters are kept by officers of an upazila, district or division (local work: national admins
    correct the rare national case in Django's admin)."""
    scope = user_scope(user)
    return bool(scope.officer_upazila_ids or scope.officer_district_ids or scope.officer_division_ids)


def ensure_can_keep_cluster_at(actor: User, upazila: Upazila) -> None:
    scope = user_scope(actor)
    if not can_keep_clusters(actor) or not scope.officer_over(
            upazila_id=upazila.pk, district_id=upazila.district_id, division_id=upazila.division_id):
        raise PermissionDenied


def ensure_can_set_password(actor: User, user: User) -> None:
    """Officers (and national admins) may set their own password; nobody sets another's."""
    if actor.pk != user.pk or not can_set_password(actor):
        raise PermissionDenied
