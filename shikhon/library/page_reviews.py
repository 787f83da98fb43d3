"""What the reviews part adds to a content's page (library/content_page.py): context for
templates/library/content_page/_reviews.html — the latest review's feedback and scores for the author, her head
teacher and the area's mentors (with "revise" when changes are asked for); "review" for a mentor of the area while
it waits; promote or demote for national and district mentors; hide or restore for moderators; the "model content"
badge for everyone. At most one query (the latest review) beyond the person's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shikhon.library import permissions
from shikhon.library.models import State
from shikhon.library.rubric import score_lines
from shikhon.library.selectors import reviews as selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shikhon.library.models import Content


def content_page_context(request: HttpRequest, content: Content) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"reviews_is_model": content.is_model}
    if user is None or not user.is_authenticated:
        return context
    sees = selectors.sees_reviews(user, content)
    may_promote = permissions.can_promote(user, content)
    review = selectors.latest_review(content) if (sees or may_promote) else None
    is_author = content.author_id == user.pk
    context.update({
        "reviews_latest": review if sees else None,
        "reviews_scores": score_lines(review.rubric, review.scores) if (sees and review is not None) else [],
        "reviews_revise_url": (selectors.edit_link(content)
                               if is_author and content.state == State.CHANGES_REQUESTED else ""),
        "reviews_may_review": (content.state in selectors.WAITING and content.hidden_at is None
                               and permissions.can_review(user, content)),
        "reviews_may_promote": may_promote and review is not None and not content.is_model,
        "reviews_may_demote": may_promote and content.is_model,
        "reviews_may_moderate": permissions.can_moderate(user, content),
        "reviews_hidden_for_author": is_author and content.hidden_at is not None,
    })
    return context
