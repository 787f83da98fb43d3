"""Reads of the reviews part: the mentor's review queue, the moderation queue, a content's latest review, and who
sees which review panel. Every list is one bounded query (related rows joined)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from shikhon.library import permissions
from shikhon.library.models import Comment, Content, Report, Review, State
from shikhon.library.permissions import moderated_q, reviewable_q
from shikhon.library.selectors.access import _pk
from shikhon.people.scope import user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shikhon.people.models import User

WAITING = (State.SUBMITTED, State.UNDER_REVIEW)
PAGE_SIZE = 25


def is_mentor(user: User | AnonymousUser | None) -> bool:
    """A mentor of at least one area now (or a national mentor): the people with a review queue."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = user_scope(user)  # type: ignore[arg-type]
    return bool(scope.is_national_mentor or scope.mentor_upazila_ids or scope.mentor_district_ids
                or scope.mentor_division_ids)


def is_moderator(user: User | AnonymousUser | None) -> bool:
    """A mentor or an officer of at least one area (or national): the people with a moderation queue."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return is_mentor(user) or user_scope(user).is_area_officer  # type: ignore[arg-type]


def review_queue(user: User) -> QuerySet[Content]:
    """Her area's contents waiting for review or under review (not her own, not hidden), the longest waiting
    first."""
    return (Content.objects.filter(reviewable_q(user), state__in=WAITING, hidden_at__isnull=True)
            .select_related("latest_version", "subject", "author")
            .order_by("latest_version__submitted_at", "pk"))


def moderation_queue(user: User) -> QuerySet[Report]:
    """Open reports of the area this person moderates, the oldest first."""
    return (Report.objects.filter(moderated_q(user), status=Report.Status.OPEN)
            .select_related("content", "reporter").order_by("created_at", "pk"))


def reviews_of(content: Content) -> QuerySet[Review]:
    """A content's mentors' reviews, newest first, each with its reviewer, rubric and version (one query)."""
    return (Review.objects.filter(content=content).select_related("reviewer", "rubric", "version")
            .order_by("-created_at", "-pk"))


def latest_review(content: Content) -> Review | None:
    return reviews_of(content).first()


def sees_reviews(user: User | AnonymousUser | None, content: Content) -> bool:
    """The author, the head teacher of her school and the mentors of the area read a content's reviews."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = user_scope(user)  # type: ignore[arg-type]
    return (content.author_id == scope.user_id
            or (content.school_id is not None and content.school_id in scope.head_school_ids)
            or scope.mentor_over(upazila_id=content.upazila_id, district_id=content.district_id,
                                 division_id=content.division_id))


def content_link(content: Content) -> str:
    """The content's page (the contents part's route); the review page while that route is not there."""
    try:
        return content.get_absolute_url()
    except NoReverseMatch:
        return reverse("library:review", kwargs={"pk": content.pk})


def edit_link(content: Content) -> str:
    """The contents part's page to revise a content ("" while that route is not there)."""
    try:
        return reverse("library:edit", kwargs={"pk": content.pk})
    except NoReverseMatch:
        return ""


def access_moderated_report(user: User, pk: object) -> Report:
    """A report in the area this person moderates (with its content); anything else is 404."""
    if not is_moderator(user):
        raise Http404
    report = (Report.objects.filter(permissions.moderated_q(user), pk=_pk(pk))
              .select_related("content").first())
    if report is None:
        raise Http404
    return report


def access_moderated_comment(user: User, pk: object) -> Comment:
    """A comment on a content this person moderates (with its content); anything else is 404."""
    if not is_moderator(user):
        raise Http404
    comment = Comment.objects.select_related("content").filter(pk=_pk(pk)).first()
    if comment is None or not permissions.can_moderate(user, comment.content):
        raise Http404
    return comment
