"""What the practice link adds to a content's page (library/content_page.py): context for
templates/library/content_page/_use.html ("Use it in your class", how many times it was used in class).

The count is the content's own `used_in_class` (kept by practice's record service through
`library.services.usage`), so the panel reads nothing beyond the content row; whether to offer "Use it in your
class" comes from the reader's scope (one query, cached on the request's user and shared with the other panels).
The link to practice's plan form is written in the template with `{% url %}`: the library sits below practice
in the layers and never imports it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shikhon.people.scope import user_scope

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shikhon.library.models import Content


def _teaches(request: HttpRequest) -> bool:
    """A teacher or head teacher with a school role: the people who plan and record practice in a class."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(user_scope(user).school_ids)


def content_page_context(request: HttpRequest, content: Content) -> dict[str, Any]:
    return {
        "library_use_offer": content.is_published and _teaches(request),
        "library_use_count": content.used_in_class,
    }
