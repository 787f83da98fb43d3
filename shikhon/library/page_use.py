"""What the practice link adds to a content's page (library/content_page.py): context for
templates/library/content_page/_use.html ("Use it in your class", how many times it was used in class)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shikhon.library.models import Content


def content_page_context(request: HttpRequest, content: Content) -> dict[str, Any]:
    return {}
