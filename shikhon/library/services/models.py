"""Model contents (decision 0012): a national mentor, or a district mentor of the content's district, promotes a
published content that a mentor has reviewed; any teacher may then adapt it. Demoting needs a reason. Both are
audited and the author is told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.library import audit_actions, notifications_reviews, permissions
from shikhon.library.models import Content, Review
from shikhon.library.selectors.reviews import content_link
from shikhon.notify.services import notification_send

if TYPE_CHECKING:
    from shikhon.people.models import User

REASON_MAX = 500


def _locked(content: Content) -> Content:
    return Content.objects.select_for_update(of=("self",)).select_related("author").get(pk=content.pk)


def clean_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": ValidationError(_("Write the reason: the author reads it."),
                                                         code="required")})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": ValidationError(
            _("The reason is at most %(limit)s characters.") % {"limit": REASON_MAX}, code="too_long")})
    return text


def _tell(content: Content, kind: str, event: str, params: dict[str, str]) -> None:
    author, url = content.author, content_link(content)
    transaction.on_commit(lambda: notification_send(recipient=author, kind=kind, event_key=event, params=params,
                                                    url=url))


@transaction.atomic
def content_promote(*, actor: User, content: Content) -> Content:
    """Make a published, reviewed content a model content."""
    permissions.ensure_can_promote(actor, content)
    content = _locked(content)
    permissions.ensure_can_promote(actor, content)
    if content.is_model:
        raise ValidationError(_("This content is already a model content."), code="already_model")
    if not Review.objects.filter(content=content).exists():
        raise ValidationError(_("Only a content a mentor has reviewed can become a model content."),
                              code="not_reviewed")
    now = timezone.now()
    content.is_model, content.model_since, content.model_by = True, now, actor
    content.save(update_fields=["is_model", "model_since", "model_by", "updated_at"])
    audit_record(actor=actor, action=audit_actions.CONTENT_PROMOTED, target=content,
                 summary="Library content made a model content", details={"title": content.title})
    _tell(content, notifications_reviews.PROMOTED, f"library-promoted:{content.pk}:{now.timestamp():.0f}",
          {"title": content.title})
    return content


@transaction.atomic
def content_demote(*, actor: User, content: Content, reason: str) -> Content:
    """A model content is a model content no more (the reason is kept in the audit log and told to the author)."""
    permissions.ensure_can_promote(actor, content)
    text = clean_reason(reason)
    content = _locked(content)
    permissions.ensure_can_promote(actor, content)
    if not content.is_model:
        raise ValidationError(_("This content is not a model content."), code="not_model")
    content.is_model, content.model_since, content.model_by = False, None, None
    content.save(update_fields=["is_model", "model_since", "model_by", "updated_at"])
    audit_record(actor=actor, action=audit_actions.CONTENT_DEMOTED, target=content,
                 summary="Library content no longer a model content", details={"reason": text})
    _tell(content, notifications_reviews.DEMOTED, f"library-demoted:{content.pk}:{timezone.now().timestamp():.0f}",
          {"title": content.title, "reason": text})
    return content
