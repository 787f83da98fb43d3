"""Who may see and do what in supported practice (decision 0011). One place answers "which rows" (a `Q` per row
kind) and "may I" (`can_*` / `ensure_can_*`); services check again, and selectors' `access_*` answer 404 for
anything outside what a person may see.

- Plans, records, check rounds: her own; her head teacher's school; mentors and officers of the area; national
  people. A colleague (a teacher of the same school) sees a record only when it was shared with the circle.
  Researchers see counts, never rows (no names).
- Observations: the observed teacher, the observer, and her support line: the head teacher of her school and the
  mentors and officers of her upazila. Nobody else — not a district or national officer, not a colleague.
- Circles: a school's circle, its teachers and head teacher and the school's overseers; a cluster's circle, the
  teachers of its schools and the mentors and officers of its upazila."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.people.scope import everything_q, nothing_q, user_scope

if TYPE_CHECKING:
    from shikhon.people.models import User
    from shikhon.practice.models import Circle, Observation, PracticeRecord


# ---------------------------------------------------------------- which rows


def own_or_overseen_q(user: User, *, owner: str = "teacher") -> Q:
    """Her own rows (`owner` is the row's person field), her school's if she heads it, her area's if she
    oversees one, all for national people."""
    scope = user_scope(user)
    if scope.user_id is None:
        return nothing_q()
    if scope.is_national:
        return everything_q()
    return Q(**{f"{owner}_id": scope.user_id}) | scope.headed_or_overseen_q()


def plans_visible_to(user: User) -> Q:
    return own_or_overseen_q(user)


def records_visible_to(user: User) -> Q:
    """Records she may open: her own and her oversight's, plus colleagues' records shared with her school's circle."""
    scope = user_scope(user)
    if scope.user_id is None:
        return nothing_q()
    shared = Q(shared_with_circle=True, school_id__in=scope.school_ids) if scope.school_ids else nothing_q()
    return own_or_overseen_q(user) | shared


def check_rounds_visible_to(user: User) -> Q:
    return own_or_overseen_q(user)


def observations_visible_to(user: User) -> Q:
    """The observed teacher, the observer, her head teacher, and the mentors and officers of her upazila."""
    scope = user_scope(user)
    if scope.user_id is None:
        return nothing_q()
    q = Q(teacher_id=scope.user_id) | Q(observer_id=scope.user_id)
    if scope.head_school_ids:
        q |= Q(school_id__in=scope.head_school_ids)
    if scope.upazila_ids:
        q |= Q(upazila_id__in=scope.upazila_ids)
    return q


def circles_visible_to(user: User) -> Q:
    scope = user_scope(user)
    if scope.user_id is None:
        return nothing_q()
    if scope.is_national:
        return everything_q()
    q = scope.place_q()  # a school circle carries its school's ids; a cluster circle its upazila's
    if scope.school_ids:
        q |= Q(cluster__schools__in=scope.school_ids)
    return q


def meetings_visible_to(user: User) -> Q:
    scope = user_scope(user)
    if scope.user_id is None:
        return nothing_q()
    if scope.is_national:
        return everything_q()
    q = scope.place_q()
    if scope.school_ids:
        q |= Q(circle__cluster__schools__in=scope.school_ids)
    return q


# ---------------------------------------------------------------- may I


def can_acknowledge(actor: User, record: PracticeRecord) -> bool:
    """Her head teacher acknowledges her practice (not her own: a head teacher's record waits for an officer)."""
    scope = user_scope(actor)
    if record.teacher_id == actor.pk:
        return False
    return (record.school_id is not None and scope.is_head_teacher_of(record.school_id)) or scope.officer_over(
        upazila_id=record.upazila_id, district_id=record.district_id, division_id=record.division_id)


def ensure_can_acknowledge(actor: User, record: PracticeRecord) -> None:
    if not can_acknowledge(actor, record):
        raise PermissionDenied


def can_encourage(actor: User, record: PracticeRecord) -> bool:
    """A colleague who may see the record (not the teacher herself)."""
    if record.teacher_id == actor.pk:
        return False
    scope = user_scope(actor)
    if record.shared_with_circle and record.school_id in scope.school_ids:
        return True
    return record.school_id in scope.head_school_ids or scope.oversees(
        upazila_id=record.upazila_id, district_id=record.district_id, division_id=record.division_id)


def ensure_can_encourage(actor: User, record: PracticeRecord) -> None:
    if not can_encourage(actor, record):
        raise PermissionDenied


def can_lead(actor: User, circle: Circle) -> bool:
    """A school circle is led by the school's head teacher; a cluster's by the mentors and officers of its upazila.
    Officers over the place may always step in."""
    scope = user_scope(actor)
    if circle.school_id is not None and scope.is_head_teacher_of(circle.school_id):
        return True
    if circle.kind == "cluster" and circle.upazila_id in scope.upazila_ids:
        return True
    return scope.officer_over(upazila_id=circle.upazila_id, district_id=circle.district_id,
                              division_id=circle.division_id)


def ensure_can_lead(actor: User, circle: Circle) -> None:
    if not can_lead(actor, circle):
        raise PermissionDenied


def can_observe(actor: User, *, teacher_id: int, school_id: int | None, upazila_id: int | None) -> bool:
    """Observers: her head teacher, a colleague of her school (a peer), mentors and officers of her upazila."""
    if teacher_id == actor.pk or school_id is None:
        return False
    scope = user_scope(actor)
    return school_id in scope.school_ids or (upazila_id is not None and upazila_id in scope.upazila_ids)


def ensure_can_observe(actor: User, *, teacher_id: int, school_id: int | None, upazila_id: int | None) -> None:
    if not can_observe(actor, teacher_id=teacher_id, school_id=school_id, upazila_id=upazila_id):
        raise PermissionDenied


def is_observed_teacher(actor: User, observation: Observation) -> bool:
    return observation.teacher_id == actor.pk


def ensure_is_observed_teacher(actor: User, observation: Observation) -> None:
    if not is_observed_teacher(actor, observation):
        raise PermissionDenied


def is_observer(actor: User, observation: Observation) -> bool:
    return observation.observer_id == actor.pk


def ensure_is_observer(actor: User, observation: Observation) -> None:
    if not is_observer(actor, observation):
        raise PermissionDenied


def sees_area_counts(user: User) -> bool:
    """Officers, mentors, national people and researchers see ongoing-user counts of their areas (no names for
    researchers)."""
    scope = user_scope(user)
    return bool(scope.oversees_area or scope.is_researcher or scope.is_national)
