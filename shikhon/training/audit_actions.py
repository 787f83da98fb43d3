"""The audit actions training records, with the labels the audit page shows; registered from TrainingConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

BATCH_SAVED = "batch_saved"
TRAINING_INVITED = "training_invited"
ATTENDANCE_TAKEN = "attendance_taken"
TRAINING_COMPLETED = "training_completed"
BATCH_CHANGED = "batch_changed"
BATCH_CANCELLED = "batch_cancelled"
INVITATION_WITHDRAWN = "invitation_withdrawn"


def register() -> None:
    for action in (
        AuditAction(BATCH_SAVED, _("Training batch saved")),
        AuditAction(TRAINING_INVITED, _("Teachers invited to training")),
        AuditAction(ATTENDANCE_TAKEN, _("Training attendance taken")),
        AuditAction(TRAINING_COMPLETED, _("Training completion recorded")),
        AuditAction(BATCH_CHANGED, _("Training batch moved (dates or venue); invitees told")),
        AuditAction(BATCH_CANCELLED, _("Training batch cancelled")),
        AuditAction(INVITATION_WITHDRAWN, _("Training invitation withdrawn")),
    ):
        audit_actions.add(action)
