"""The audit actions certificates records, with the labels the audit page shows (CertificatesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

CERTIFICATE_REVOKED = "certificate_revoked"


def register() -> None:
    for action in (
        AuditAction(CERTIFICATE_REVOKED, _("Certificate revoked")),
    ):
        audit_actions.add(action)
