"""The audit actions of the library's review part (review decisions, model contents, moderation), with the labels
the audit page shows; registered from registry_reviews.register (LibraryConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

CONTENT_REVIEWED = "library_reviewed"
CONTENT_PROMOTED = "library_promoted"
CONTENT_DEMOTED = "library_demoted"
CONTENT_HIDDEN = "library_hidden"
CONTENT_RESTORED = "library_restored"
REPORT_UPHELD = "library_report_upheld"
REPORT_DISMISSED = "library_report_dismissed"
COMMENT_HIDDEN = "library_comment_hidden"


def register() -> None:
    for action in (
        AuditAction(CONTENT_REVIEWED, _("Library content reviewed (published or sent back)")),
        AuditAction(CONTENT_PROMOTED, _("Library content made a model content")),
        AuditAction(CONTENT_DEMOTED, _("Library content no longer a model content")),
        AuditAction(CONTENT_HIDDEN, _("Library content hidden")),
        AuditAction(CONTENT_RESTORED, _("Library content shown again")),
        AuditAction(REPORT_UPHELD, _("Library report upheld (content hidden)")),
        AuditAction(REPORT_DISMISSED, _("Library report dismissed")),
        AuditAction(COMMENT_HIDDEN, _("Library comment hidden")),
    ):
        audit_actions.add(action)
