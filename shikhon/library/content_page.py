"""A content's page is drawn by the contents part (views_contents.content_detail); each other part adds its own
panel: a context function (`page_<part>.content_page_context(request, content) -> dict`, a bounded number of
queries) and a template `library/content_page/_<part>.html` that the page includes, in this order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shikhon.library import page_feedback, page_files, page_packs, page_reviews, page_use

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shikhon.library.models import Content

PANELS = (
    ("files", page_files.content_page_context),      # files, previews, video, downloads
    ("reviews", page_reviews.content_page_context),  # feedback beside her content; review / promote buttons
    ("use", page_use.content_page_context),          # use it in your class (practice), used-in-class count
    ("feedback", page_feedback.content_page_context),  # rating, comments, report, adapt, lineage
    ("packs", page_packs.content_page_context),      # save to the phone (service worker)
)


def panels_context(request: HttpRequest, content: Content) -> dict[str, Any]:
    """Every panel's context merged, and `library_panels`: the templates to include, in order."""
    context: dict[str, Any] = {"library_panels": [f"library/content_page/_{name}.html" for name, _f in PANELS]}
    for _name, function in PANELS:
        context.update(function(request, content))
    return context
