"""What the home page shows each person. Area counts are cached briefly: they are read on every
visit and change slowly (later issues move them to rollup tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import cache

from shikhon.people.scope import user_scope
from shikhon.people.selectors import pending_approvals, school_role_counts
from shikhon.places.selectors import active_school_count, areas_by_ids, schools_by_ids, upazila_count

if TYPE_CHECKING:
    from shikhon.people.models import User

COUNT_TTL = 600


def _area_counts(level: str, place_id: int | None) -> dict[str, int]:
    key = f"area-counts:{level}:{place_id}"
    counts = cache.get(key)
    if counts is None:
        area = {} if level == "national" else {f"{level}_id": place_id}
        counts = {
            "schools": active_school_count(**area),
            **school_role_counts(**area),
        }
        cache.set(key, counts, COUNT_TTL)
    return counts


def public_counts() -> dict[str, Any]:
    counts = cache.get("public-counts")
    if counts is None:
        counts = {
            "n_upazilas": upazila_count(),
            "n_schools": active_school_count(),
        }
        cache.set("public-counts", counts, COUNT_TTL)
    return counts


def home_for(user: User) -> dict[str, Any]:
    scope = user_scope(user)
    areas: list[dict[str, Any]] = []
    if scope.is_national:
        areas.append({"name": None, "level": "national", "url": None, **_area_counts("national", None)})
    for level, ids in (
        ("division", scope.division_ids),
        ("district", scope.district_ids),
        ("upazila", scope.upazila_ids),
    ):
        if not ids:  # most people oversee no area: don't even build the query
            continue
        for place in areas_by_ids(level, ids):
            areas.append({"name": str(place), "level": level, "url": place.get_absolute_url(),
                          **_area_counts(level, place.pk)})
    schools = list(schools_by_ids(scope.school_ids)) if scope.school_ids else []
    pending_own = list(schools_by_ids(scope.pending_school_ids)) if scope.pending_school_ids else []
    approvals = 0
    if scope.head_school_ids or scope.is_officer:
        approvals = pending_approvals(user).count()
    return {
        "scope": scope,
        "schools": schools,
        "pending_schools": pending_own,
        "areas": areas,
        "approvals": approvals,
    }
