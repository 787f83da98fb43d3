"""Who may see and do what with the weekly champions.

- An **announced** week and its champions: everyone, visitors included (the portal's champions were public).
- A week not yet announced (computed or confirmed) and the review page: only those who may confirm. Everyone else
  gets 404, exactly as for a week that does not exist.
- **Compute, confirm, announce**: national admins and national mentors. The champions are chosen nationally, so the
  people who answer for them are national: an area officer or mentor would be judging teachers of other areas
  against his own. Confirming is optional (the weekly job announces on its own, see services); it lets a national
  person look at the three before the country does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.people.scope import user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shikhon.people.models import User
    from shikhon.recognition.models import ChampionWeek

ANNOUNCED = "announced"


def can_confirm(user: User | AnonymousUser | None) -> bool:
    scope = user_scope(user)  # type: ignore[arg-type]
    return scope.user_id is not None and (scope.is_national_admin or scope.is_national_mentor)


def ensure_can_confirm(user: User | AnonymousUser | None) -> None:
    if not can_confirm(user):
        raise PermissionDenied


def weeks_visible_to(user: User | AnonymousUser | None) -> Q:
    """Weeks this person may open: announced ones; every week for those who may confirm."""
    if can_confirm(user):
        return Q()
    return Q(status=ANNOUNCED)


def can_see_week(user: User | AnonymousUser | None, week: ChampionWeek) -> bool:
    return week.status == ANNOUNCED or can_confirm(user)
