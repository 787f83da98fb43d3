"""Who may see and do what in the teachers' library (decision 0012). One place answers "which rows" (a `Q` per row
kind) and "may I" (`can_*` / `ensure_can_*`); services check again, and `selectors.access` answers 404 for anything
outside what a person may see.

- A **published** content that is not hidden: everyone, visitors included.
- A content not yet published (draft, submitted, under review, changes requested): its author, the head teacher of
  the school she wrote it at, and the mentors of its area (upazila, district, division, national). Everyone else —
  officers, colleagues, researchers — gets 404.
- A **hidden** content (moderation): its author (who reads why), and the moderators of its area: its mentors and
  officers. Everyone else gets 404.
- Review: a mentor of the content's area, never her own content. Promote to model content: a national mentor, or a
  district mentor of the content's district (a published, reviewed content). Moderate (hide, restore, dismiss a
  report): the mentors and officers of the content's area.
- Comment and report: any signed-in person with a current role (`can_take_part`), on a published content. Rate and
  adapt: only teachers and head teachers with a current school role (ratings feed the champions and their own-school
  cap; mentors give their view through the review), never on her own content (`services.feedback.can_rate`,
  `services.adapt.can_adapt` narrow `can_take_part`).
- Offline packs: officers of an area (and national admins) build them; every signed-in person may download one (packs
  hold published contents only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.people.scope import Scope, everything_q, nothing_q, user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shikhon.library.models import Content
    from shikhon.people.models import User

PUBLISHED_Q = Q(published_version__isnull=False, hidden_at__isnull=True)


def _scope(user: User | AnonymousUser | None) -> Scope:
    return user_scope(user)  # type: ignore[arg-type]


# ---------------------------------------------------------------- which rows


def published_q() -> Q:
    """Contents anyone may see: published and not hidden."""
    return PUBLISHED_Q


def contents_visible_to(user: User | AnonymousUser | None) -> Q:
    """Every content this person may open: published ones; her own in any state; drafts of her school (head
    teacher) and area (mentors); hidden ones of the area she moderates."""
    scope = _scope(user)
    if scope.user_id is None:
        return PUBLISHED_Q
    mine = Q(author_id=scope.user_id)
    unpublished = Q(hidden_at__isnull=True) & (_head_q(scope) | scope.mentor_place_q())
    hidden = Q(hidden_at__isnull=False) & moderated_q(scope)
    return PUBLISHED_Q | mine | unpublished | hidden


def _head_q(scope: Scope) -> Q:
    return Q(school_id__in=scope.head_school_ids) if scope.head_school_ids else nothing_q()


def reviewable_q(user: User) -> Q:
    """Contents waiting for (or under) review that this mentor may review: her area's, not her own."""
    scope = _scope(user)
    if scope.user_id is None or not (scope.is_national_mentor or scope.mentor_upazila_ids
                                     or scope.mentor_district_ids or scope.mentor_division_ids):
        return nothing_q()
    return scope.mentor_place_q() & ~Q(author_id=scope.user_id)


def moderated_q(scope_or_user: Scope | User) -> Q:
    """Rows (contents, reports) in the areas this person moderates: as a mentor or an officer."""
    scope = scope_or_user if isinstance(scope_or_user, Scope) else _scope(scope_or_user)
    if scope.user_id is None:
        return nothing_q()
    if scope.is_national_mentor or scope.is_national_admin:
        return everything_q()
    return scope.mentor_place_q() | scope.officer_place_q()


# ---------------------------------------------------------------- may I


def _at(content: Content) -> dict[str, int | None]:
    return {"upazila_id": content.upazila_id, "district_id": content.district_id,
            "division_id": content.division_id}


def can_edit(user: User, content: Content) -> bool:
    return _scope(user).user_id == content.author_id and content.hidden_at is None


def can_review(user: User, content: Content) -> bool:
    scope = _scope(user)
    return (scope.user_id is not None and content.author_id != scope.user_id
            and scope.mentor_over(**_at(content)))


def can_promote(user: User, content: Content) -> bool:
    """National mentors, and district mentors of the content's district."""
    scope = _scope(user)
    if scope.user_id is None or not content.is_published:
        return False
    return scope.is_national_mentor or (content.district_id is not None
                                        and content.district_id in scope.mentor_district_ids)


def can_moderate(user: User, content: Content) -> bool:
    scope = _scope(user)
    if scope.user_id is None:
        return False
    return scope.mentor_over(**_at(content)) or scope.officer_over(**_at(content))


def can_take_part(user: User | AnonymousUser | None) -> bool:
    """Comment, report (and, with a school role, rate and adapt): a signed-in person with a current role (not a
    visitor, not pending)."""
    scope = _scope(user)
    return scope.user_id is not None and bool(scope.kinds)


def can_build_packs(user: User) -> bool:
    return _scope(user).is_area_officer


def _ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def ensure_can_edit(user: User, content: Content) -> None:
    _ensure(can_edit(user, content))


def ensure_can_review(user: User, content: Content) -> None:
    _ensure(can_review(user, content))


def ensure_can_promote(user: User, content: Content) -> None:
    _ensure(can_promote(user, content))


def ensure_can_moderate(user: User, content: Content) -> None:
    _ensure(can_moderate(user, content))


def ensure_can_take_part(user: User) -> None:
    _ensure(can_take_part(user))


def ensure_can_build_packs(user: User) -> None:
    _ensure(can_build_packs(user))
