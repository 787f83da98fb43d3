"""The audit actions places records, with the labels the audit page shows; registered from PlacesConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

SCHOOLS_IMPORTED = "schools_imported"


def register() -> None:
    for action in (
        AuditAction(SCHOOLS_IMPORTED, _("Schools imported")),
    ):
        audit_actions.add(action)
