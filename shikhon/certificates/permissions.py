"""Who may see and revoke certificates.

Her own; a head teacher, her school's; officers and mentors, their area's; national people, all.
Officers over the certificate's place (and national admins) may revoke it. Hidden rows answer 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.people.scope import everything_q, nothing_q, user_scope

if TYPE_CHECKING:
    from shikhon.certificates.models import Certificate
    from shikhon.people.models import User


def certificates_visible_to(user: User) -> Q:
    scope = user_scope(user)
    if scope.user_id is None:
        return nothing_q()
    if scope.is_national:
        return everything_q()
    return Q(user_id=scope.user_id) | scope.headed_or_overseen_q()


def sees_others(user: User) -> bool:
    """Whether the list page shows other people's certificates (and so offers a search)."""
    scope = user_scope(user)
    return bool(scope.is_national or scope.head_school_ids or scope.oversees_area)


def can_revoke(actor: User, certificate: Certificate) -> bool:
    return user_scope(actor).officer_over(upazila_id=certificate.upazila_id, district_id=certificate.district_id,
                                          division_id=certificate.division_id)


def ensure_can_revoke(actor: User, certificate: Certificate) -> None:
    if not can_revoke(actor, certificate):
        raise PermissionDenied
