"""Who organises face-to-face training, and which batches a person may see.

Upazila, district and division officers organise batches whose venue upazila lies in their area;
national administrators organise everywhere and alone keep programmes and online course costs.
Trainers see the batches they train (and take attendance); teachers see the batches they are
invited to. Everything else answers 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.people.scope import everything_q, nothing_q, user_scope
from shikhon.training.models import Batch, Invitation

if TYPE_CHECKING:
    from shikhon.people.models import User
    from shikhon.places.models import Upazila


def is_officer(user: User) -> bool:
    scope = user_scope(user)
    return bool(scope.is_national_admin or scope.officer_upazila_ids or scope.officer_district_ids
                or scope.officer_division_ids)


def can_manage_programmes(user: User) -> bool:
    return user_scope(user).is_national_admin


def can_manage_costs(user: User) -> bool:
    return user_scope(user).is_national_admin


def can_see_costs(user: User) -> bool:
    """The costs page: every officer (upazila, district, division) and national administrator, for their area;
    researchers read the national figures. Anyone else gets 404."""
    scope = user_scope(user)
    return bool(scope.is_officer or scope.is_national_admin or scope.is_researcher)


def costs_area_q(user: User) -> Q:
    """Which batches' costs a person sees: an officer's area, everything for national administrators and
    researchers, nothing for others."""
    scope = user_scope(user)
    if scope.is_national_admin or scope.is_researcher:
        return everything_q()
    return scope.officer_place_q()


def can_organise_at(user: User, upazila: Upazila) -> bool:
    return user_scope(user).officer_over(upazila_id=upazila.pk, district_id=upazila.district_id,
                                         division_id=upazila.division_id)


def can_organise(user: User, batch: Batch) -> bool:
    return user_scope(user).officer_over(upazila_id=batch.upazila_id, district_id=batch.district_id,
                                         division_id=batch.division_id)


def is_trainer(user: User, batch: Batch) -> bool:
    return bool(user.pk) and Batch.trainers.through.objects.filter(batch_id=batch.pk, user_id=user.pk).exists()


def can_take_attendance(user: User, batch: Batch) -> bool:
    return can_organise(user, batch) or is_trainer(user, batch)


def sees_batch_sheet(user: User, batch: Batch) -> bool:
    """The batch page (invitees, attendance, costs): its organisers and trainers, and national people.
    A teacher invited to it sees her invitation instead."""
    return can_take_attendance(user, batch) or user_scope(user).is_national


def ensure_can_manage_programmes(user: User) -> None:
    if not can_manage_programmes(user):
        raise PermissionDenied


def ensure_can_manage_costs(user: User) -> None:
    if not can_manage_costs(user):
        raise PermissionDenied


def ensure_can_organise_at(user: User, upazila: Upazila) -> None:
    if not can_organise_at(user, upazila):
        raise PermissionDenied


def ensure_can_organise(user: User, batch: Batch) -> None:
    if not can_organise(user, batch):
        raise PermissionDenied


def ensure_can_take_attendance(user: User, batch: Batch) -> None:
    if not can_take_attendance(user, batch):
        raise PermissionDenied


def batches_organisable_by(user: User) -> Q:
    """Batches whose venue lies in the officer's area (national admins: all; others: none)."""
    return user_scope(user).officer_place_q()


def batches_visible_to(user: User) -> Q:
    """Officers: their area; trainers: the batches they train; teachers: those they are invited to;
    national administrators and national mentors: all."""
    scope = user_scope(user)
    if scope.is_national:
        return everything_q()
    if not getattr(user, "pk", None):
        return nothing_q()
    return (scope.officer_place_q()
            | Q(pk__in=Batch.trainers.through.objects.filter(user_id=user.pk).values("batch_id"))
            | Q(pk__in=Invitation.objects.filter(teacher_id=user.pk).values("batch_id")))
