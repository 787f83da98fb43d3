"""What the packs part adds to a content's page (library/content_page.py): "Save to phone" for a published content,
through the offline app's service worker (offline.js fetches the addresses `offline:content_save` answers and caches
them). Context for templates/library/content_page/_packs.html; no query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shikhon.library.models import Content


def content_page_context(request: HttpRequest, content: Content) -> dict[str, Any]:
    if not content.is_published or not request.user.is_authenticated:
        return {"packs_save_url": ""}
    try:
        url = reverse("offline:content_save", kwargs={"pk": content.pk})
    except NoReverseMatch:
        url = ""
    return {"packs_save_url": url, "packs_save_key": f"content-{content.pk}"}
