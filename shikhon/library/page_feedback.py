"""What the feedback part adds to a content's page (library/content_page.py): context for
templates/library/content_page/_feedback.html — the average rating and its count, her rating form, the latest
comments (hidden ones left out), the report link, the adapt button of a model content, and lineage both ways.

Queries, whatever the numbers: the latest comments (one); her rating (one, only for someone who may rate); the
chain it was adapted from (one, only for an adaptation); its adaptations with hers (one, only when it has any)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse

from shikhon.library import permissions
from shikhon.library.forms_feedback import STAR_WORDS
from shikhon.library.selectors import feedback as selectors
from shikhon.library.selectors import lineage
from shikhon.library.services.adapt import can_adapt
from shikhon.library.services.feedback import can_rate

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shikhon.library.models import Content


def _signed_in(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def content_page_context(request: HttpRequest, content: Content) -> dict[str, Any]:
    user = _signed_in(request)
    published = content.is_published
    rates = can_rate(user, content)
    mine = selectors.rating_of(user.pk, content) if rates else None
    comments, more_comments = selectors.latest_comments(content) if published else ([], False)
    ancestors, chain_goes_on = lineage.ancestry(content)
    adaptations, more_adaptations, my_adaptation = lineage.adaptations_panel(content, user)
    average = content.rating_average
    return {"feedback": {
        "published": published,
        "average": f"{average:.1f}" if average is not None and content.rating_count else "",
        "count": content.rating_count,
        "can_rate": rates,
        "my_stars": mine.stars if mine is not None else None,
        "stars": [{"value": n, "words": words, "glyphs": "★" * n, "checked": mine is not None and mine.stars == n}
                  for n, words in STAR_WORDS.items()],
        "can_take_part": published and permissions.can_take_part(user),
        "sign_in_url": f"{reverse('people:sign_in')}?{urlencode({'next': request.get_full_path()})}",
        "comments": comments,
        "more_comments": more_comments,
        "can_adapt": can_adapt(user, content),
        "my_adaptation": my_adaptation,
        "my_adaptation_url": selectors.edit_url(my_adaptation) if my_adaptation is not None else "",
        "ancestors": [(link, selectors.content_url_of(link.pk) if link.shown else "") for link in ancestors],
        "chain_goes_on": chain_goes_on,
        "adaptations": [(row, selectors.content_url(row)) for row in adaptations],
        "more_adaptations": more_adaptations,
    }}

