"""The audit actions courses records, with the labels the audit page shows; registered from CoursesConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

COURSE_SUBMITTED = "course_submitted"
COURSE_RETURNED = "course_returned"
COURSE_PUBLISHED = "course_published"
COURSE_IMPORTED = "course_imported"


def register() -> None:
    for action in (
        AuditAction(COURSE_SUBMITTED, _("Course sent for review")),
        AuditAction(COURSE_RETURNED, _("Course returned for changes")),
        AuditAction(COURSE_PUBLISHED, _("Course published")),
        AuditAction(COURSE_IMPORTED, _("Course imported")),
    ):
        audit_actions.add(action)
