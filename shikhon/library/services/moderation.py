"""Moderation (decision 0012): the mentors and officers of a content's area handle reports — uphold one (the content
is hidden, every open report on it closed) or dismiss it — and may hide or restore a content, or hide a comment,
directly. Every action is audited; the author is told when her content is hidden or shown again (with the reason).
A hidden content is seen only by its author and the area's moderators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.library import audit_actions, notifications_reviews, permissions
from shikhon.library.models import Comment, Content, Report
from shikhon.library.selectors.reviews import content_link
from shikhon.library.services.models import clean_reason
from shikhon.notify.services import notification_send

if TYPE_CHECKING:
    import datetime as dt

    from shikhon.people.models import User

OPEN = Report.Status.OPEN


def _tell(content: Content, kind: str, when: dt.datetime, params: dict[str, str]) -> None:
    author, url = content.author, content_link(content)
    event = f"{kind}:{content.pk}:{when.timestamp():.0f}"
    transaction.on_commit(lambda: notification_send(recipient=author, kind=kind, event_key=event, params=params,
                                                    url=url))


def _hide(actor: User, content: Content, text: str, now: dt.datetime) -> int:
    """Hide the (locked) content and close its open reports as upheld; answers how many reports were closed."""
    content.hidden_at, content.hidden_by, content.hidden_reason = now, actor, text
    content.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    closed = Report.objects.filter(content=content, status=OPEN).update(
        status=Report.Status.UPHELD, decided_by=actor, decided_at=now)
    audit_record(actor=actor, action=audit_actions.CONTENT_HIDDEN, target=content,
                 summary="Library content hidden", details={"reason": text, "reports_closed": closed})
    _tell(content, notifications_reviews.HIDDEN, now, {"title": content.title, "reason": text})
    return closed


def _locked_content(pk: int) -> Content:
    return Content.objects.select_for_update(of=("self",)).select_related("author").get(pk=pk)


def _locked_open_report(actor: User, report: Report) -> Report:
    permissions.ensure_can_moderate(actor, report.content)
    report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if report.status != OPEN:
        raise ValidationError(_("This report has already been handled by another moderator."), code="handled")
    return report


@transaction.atomic
def report_uphold(*, actor: User, report: Report, reason: str) -> Report:
    """The report is right: the content is hidden (if it is not already) and every open report on it is closed."""
    text = clean_reason(reason)
    report = _locked_open_report(actor, report)
    content = _locked_content(report.content_id)
    permissions.ensure_can_moderate(actor, content)
    now = timezone.now()
    if content.hidden_at is None:
        _hide(actor, content, text, now)
    else:
        Report.objects.filter(content=content, status=OPEN).update(
            status=Report.Status.UPHELD, decided_by=actor, decided_at=now)
    audit_record(actor=actor, action=audit_actions.REPORT_UPHELD, target=report, summary="Library report upheld",
                 details={"content_id": content.pk, "reason": text, "report_reason": report.reason})
    report.refresh_from_db()
    return report


@transaction.atomic
def report_dismiss(*, actor: User, report: Report) -> Report:
    """No problem found: the report is closed and the content stays as it is."""
    report = _locked_open_report(actor, report)
    report.status, report.decided_by, report.decided_at = Report.Status.DISMISSED, actor, timezone.now()
    report.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=audit_actions.REPORT_DISMISSED, target=report,
                 summary="Library report dismissed",
                 details={"content_id": report.content_id, "report_reason": report.reason})
    return report


@transaction.atomic
def content_hide(*, actor: User, content: Content, reason: str) -> Content:
    """Hide a content directly (its open reports are closed as upheld)."""
    permissions.ensure_can_moderate(actor, content)
    text = clean_reason(reason)
    content = _locked_content(content.pk)
    permissions.ensure_can_moderate(actor, content)
    if content.hidden_at is not None:
        raise ValidationError(_("This content is already hidden."), code="already_hidden")
    _hide(actor, content, text, timezone.now())
    return content


@transaction.atomic
def content_restore(*, actor: User, content: Content, reason: str) -> Content:
    """Show a hidden content again."""
    permissions.ensure_can_moderate(actor, content)
    text = clean_reason(reason)
    content = _locked_content(content.pk)
    permissions.ensure_can_moderate(actor, content)
    if content.hidden_at is None:
        raise ValidationError(_("This content is not hidden."), code="not_hidden")
    content.hidden_at, content.hidden_by, content.hidden_reason = None, None, ""
    content.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_record(actor=actor, action=audit_actions.CONTENT_RESTORED, target=content,
                 summary="Library content shown again", details={"reason": text})
    _tell(content, notifications_reviews.RESTORED, timezone.now(), {"title": content.title})
    return content


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment) -> Comment:
    """Hide a comment (its text is no longer shown to readers)."""
    permissions.ensure_can_moderate(actor, comment.content)
    comment = Comment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
    if comment.hidden_at is not None:
        raise ValidationError(_("This comment is already hidden."), code="already_hidden")
    comment.hidden_at, comment.hidden_by = timezone.now(), actor
    comment.save(update_fields=["hidden_at", "hidden_by"])
    audit_record(actor=actor, action=audit_actions.COMMENT_HIDDEN, target=comment, summary="Library comment hidden",
                 details={"content_id": comment.content_id, "author_id": comment.author_id})
    return comment
