"""The audit actions supported practice records, with the labels the audit page shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

RECORD_ACKNOWLEDGED = "practice_acknowledged"
CIRCLE_MEETING_RECORDED = "circle_meeting_recorded"
OBSERVATION_PROPOSED = "observation_proposed"
OBSERVATION_ANSWERED = "observation_answered"
RULE_SAVED = "practice_rule_saved"


def register() -> None:
    for action in (
        AuditAction(RECORD_ACKNOWLEDGED, _("Practice record acknowledged")),
        AuditAction(CIRCLE_MEETING_RECORDED, _("Circle meeting recorded")),
        AuditAction(OBSERVATION_PROPOSED, _("Lesson observation proposed")),
        AuditAction(OBSERVATION_ANSWERED, _("Lesson observation answered by the teacher")),
        AuditAction(RULE_SAVED, _("Practice rule saved (a new version)")),
    ):
        audit_actions.add(action)
