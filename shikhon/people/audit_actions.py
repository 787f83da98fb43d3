"""The audit actions people records, with the labels the audit page shows; registered from PeopleConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

ROLE_GRANTED = "role_granted"
ROLE_ENDED = "role_ended"
MEMBERSHIP_APPROVED = "membership_approved"
MEMBERSHIP_REJECTED = "membership_rejected"
INVITATION_SENT = "invitation_sent"
TOKEN_CREATED = "token_created"  # noqa: S105 - an action name, not a secret
TOKEN_REVOKED = "token_revoked"  # noqa: S105
PASSWORD_SET = "password_set"  # noqa: S105
SIGNED_IN = "signed_in"


def register() -> None:
    for action in (
        AuditAction(ROLE_GRANTED, _("Role granted")),
        AuditAction(ROLE_ENDED, _("Role ended")),
        AuditAction(MEMBERSHIP_APPROVED, _("Membership approved")),
        AuditAction(MEMBERSHIP_REJECTED, _("Membership rejected")),
        AuditAction(INVITATION_SENT, _("Invitation sent")),
        AuditAction(TOKEN_CREATED, _("Access token created")),
        AuditAction(TOKEN_REVOKED, _("Access token revoked")),
        AuditAction(PASSWORD_SET, _("Password set")),
        AuditAction(SIGNED_IN, _("Signed in")),
    ):
        audit_actions.add(action)
