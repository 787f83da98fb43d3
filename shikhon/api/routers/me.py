"""The caller: who they are, their roles and the places they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Router

from shikhon.api.schemas import ErrorOut, MeOut
from shikhon.people.scope import user_scope
from shikhon.people.selectors import roles_of

if TYPE_CHECKING:
    from shikhon.people.models import Role, User

router = Router(tags=["me"])


def _place_name(role: Role, language: str) -> str:
    with translation.override(language):
        return role.place_name


def _role(role: Role) -> dict[str, Any]:
    return {
        "id": role.pk,
        "kind": role.kind,
        "status": role.status,
        "is_current": role.is_current,
        "starts_on": role.starts_on,
        "ends_on": role.ends_on,
        "school": role.school,
        "upazila": role.upazila,
        "district": role.district,
        "division": role.division,
        "place_name_bn": _place_name(role, "bn"),
        "place_name_en": _place_name(role, "en"),
    }


@router.get("/me", response={200: MeOut, 401: ErrorOut, 414: ErrorOut, 429: ErrorOut}, summary="The caller")
def me(request: HttpRequest) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]  # ninja sets it; django-stubs' HttpRequest lacks it
    scope = user_scope(user)
    return {
        "id": user.pk,
        "phone": user.phone,
        "name_bn": user.name_bn,
        "name_en": user.name_en,
        "roles": [_role(role) for role in roles_of(user)],
        "scope": {
            "kinds": sorted(scope.kinds),
            "is_national": scope.is_national,
            "is_researcher": scope.is_researcher,
            "school_ids": sorted(scope.school_ids),
            "head_school_ids": sorted(scope.head_school_ids),
            "upazila_ids": sorted(scope.upazila_ids),
            "district_ids": sorted(scope.district_ids),
            "division_ids": sorted(scope.division_ids),
            "pending_school_ids": sorted(scope.pending_school_ids),
        },
    }
