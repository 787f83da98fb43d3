"""The library's own places a person may go from its front page, by what she may do there: her contents (a
school role), the review queue (mentors), moderation (mentors and officers), offline packs (everyone signed in) and
the weekly champions (everyone). No query beyond her scope (cached with her user)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from shikhon.people.scope import user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import Promise

    from shikhon.people.models import User


def library_links(user: User | AnonymousUser | None) -> list[tuple[str, Promise]]:
    """(URL name, label) pairs, in the order the front page shows them."""
    links: list[tuple[str, Promise]] = []
    if user is not None and getattr(user, "is_authenticated", False):
        scope = user_scope(user)  # type: ignore[arg-type]
        mentor = bool(scope.is_national_mentor or scope.mentor_upazila_ids or scope.mentor_district_ids
                      or scope.mentor_division_ids)
        if scope.school_ids:
            links += [("library:mine", _("My contents")), ("library:new", _("Share a new content"))]
        if mentor:
            links.append(("library:review_queue", _("Contents to review")))
        if mentor or scope.is_area_officer:
            links.append(("library:moderation", _("Reported contents")))
        links.append(("library:packs", _("Offline packs")))
    links.append(("recognition:index", _("Weekly champions")))
    return links
