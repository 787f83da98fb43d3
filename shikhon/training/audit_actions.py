"""The audit actions training records, with the labels the audit page shows; registered from TrainingConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

BATCH_SAVED = "batch_saved"
TRAINING_INVITED = "training_invited"
ATTENDANCE_TAKEN = "attendance_taken"
TRAINING_COMPLETED = "training_completed"


def register() -> None:
    for action in (
        AuditAction(BATCH_SAVED, _("Training batch saved")),
        AuditAction(TRAINING_INVITED, _("Teachers invited to training")),
        AuditAction(ATTENDANCE_TAKEN, _("Training attendance taken")),
        AuditAction(TRAINING_COMPLETED, _("Training completion recorded")),
    ):
        audit_actions.add(action)
