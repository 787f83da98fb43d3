"""Mentor review (decision 0012): a mentor of the content's area (never its author) takes a submitted version into
review and decides — publish it, or ask for changes with feedback — scoring every rubric criterion 1–4. One review
per version. Publishing makes the version the one people see (the previously published version is superseded, kept)
and copies its fields onto the content; asking for changes sends it back to the author, who revises it as a new
version. The author is told either way.

Two mentors deciding one version at once: the content row is locked (`select_for_update`) and the version moves
out of review by a conditional update, so exactly one decision is stored and the other mentor reads a sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.library import audit_actions, notifications_reviews, permissions
from shikhon.library.models import Content, ContentVersion, Review, State
from shikhon.library.rubric import RubricError, average, current_rubric, definition_of, validate_scores
from shikhon.library.selectors.reviews import WAITING, content_link
from shikhon.library.services.copying import copy_version_onto
from shikhon.notify.services import notification_send

if TYPE_CHECKING:
    from shikhon.people.models import User

FEEDBACK_MAX = 4000
Decision = Review.Decision


def _locked(content: Content) -> tuple[Content, ContentVersion]:
    """The content and its latest version, locked for this transaction."""
    content = Content.objects.select_for_update(of=("self",)).get(pk=content.pk)
    if content.latest_version_id is None:
        raise ValidationError(_("This content has nothing to review."), code="no_version")
    version = ContentVersion.objects.select_for_update(of=("self",)).get(pk=content.latest_version_id)
    return content, version


def _not_waiting() -> ValidationError:
    return ValidationError(_("This content is not waiting for review: another mentor may have decided it already. "
                             "Open the queue again."), code="not_waiting")


@transaction.atomic
def review_start(*, actor: User, content: Content) -> ContentVersion:
    """Take the latest version into review (submitted → under review). Opening it again while under review is
    fine (nothing changes)."""
    permissions.ensure_can_review(actor, content)
    content, version = _locked(content)
    permissions.ensure_can_review(actor, content)
    if version.state == State.UNDER_REVIEW:
        return version
    if version.state != State.SUBMITTED or content.hidden_at is not None:
        raise _not_waiting()
    version.state = State.UNDER_REVIEW
    version.save(update_fields=["state"])
    content.state = State.UNDER_REVIEW
    content.save(update_fields=["state", "updated_at"])
    return version


def _score_error(exc: RubricError) -> ValidationError:
    if exc.code == "missing":
        message = _("Give a score from 1 to 4 for every part of the rubric.")
    elif exc.code == "unknown":
        message = _("This form could not be read. Please open it again.")
    else:
        message = _("Each score is from 1 to 4.")
    field = f"score_{exc.key}" if exc.key and exc.code != "unknown" else "scores"
    return ValidationError({field: ValidationError(message, code=exc.code)})


def _clean_feedback(decision: str, feedback: str) -> str:
    text = (feedback or "").strip()
    if len(text) > FEEDBACK_MAX:
        raise ValidationError({"feedback": ValidationError(
            _("Feedback is at most %(limit)s characters.") % {"limit": FEEDBACK_MAX}, code="too_long")})
    if decision == Decision.CHANGES and not text:
        raise ValidationError({"feedback": ValidationError(
            _("Write what she should change: your feedback is what she revises from."), code="required")})
    return text


@transaction.atomic
def review_submit(*, actor: User, content: Content, scores: dict[str, Any], decision: str,
                  feedback: str = "") -> Review:
    """Decide the latest version: publish it or ask for changes, with every criterion scored 1–4 (feedback needed
    when asking for changes). Answers the stored review; the author is told after commit."""
    permissions.ensure_can_review(actor, content)
    if decision not in Decision.values:
        raise ValidationError({"decision": ValidationError(_("Choose: publish, or ask for changes."),
                                                           code="decision")})
    rubric = current_rubric()
    try:
        clean = validate_scores(definition_of(rubric), scores)
    except RubricError as exc:
        raise _score_error(exc) from None
    text = _clean_feedback(decision, feedback)
    content, version = _locked(content)
    permissions.ensure_can_review(actor, content)
    if version.state not in WAITING or content.hidden_at is not None:
        raise _not_waiting()
    now = timezone.now()
    new_state = State.PUBLISHED if decision == Decision.PUBLISH else State.CHANGES_REQUESTED
    # The version leaves review once: a second decision finds no row in a waiting state.
    moved = ContentVersion.objects.filter(pk=version.pk, state__in=WAITING).update(state=new_state, decided_at=now)
    if moved != 1:
        raise _not_waiting()
    version.state, version.decided_at = new_state, now
    try:
        with transaction.atomic():
            review = Review.objects.create(version=version, content=content, reviewer=actor, rubric=rubric,
                                           scores=clean, average=average(clean), decision=decision, feedback=text)
    except IntegrityError:
        raise _not_waiting() from None
    fields = ["state", "updated_at"]
    if decision == Decision.PUBLISH:
        previous = content.published_version_id
        if previous is not None and previous != version.pk:
            ContentVersion.objects.filter(pk=previous).update(state=State.SUPERSEDED)
        content.published_version = version
        if content.published_at is None:
            content.published_at = now
        content.mentor_score = review.average
        fields += ["published_version", "published_at", "mentor_score", *copy_version_onto(content, version)]
    content.state = new_state
    content.save(update_fields=list(dict.fromkeys(fields)))
    audit_record(actor=actor, action=audit_actions.CONTENT_REVIEWED, target=content,
                 summary=f"Library content reviewed: {decision}",
                 details={"version": version.number, "review_id": review.pk, "decision": decision,
                          "scores": clean, "rubric": rubric.version})
    _tell_author(content, review, actor)
    return review


def _tell_author(content: Content, review: Review, actor: User) -> None:
    kind = (notifications_reviews.PUBLISHED if review.decision == Decision.PUBLISH
            else notifications_reviews.CHANGES_REQUESTED)
    author, url = content.author, content_link(content)
    params = {"name": actor.name_bn, "title": content.title if review.decision == Decision.PUBLISH
              else review.version.title}
    transaction.on_commit(lambda: notification_send(
        recipient=author, kind=kind, event_key=f"library-review:{review.pk}", params=params, url=url))
