"""The packs part's vocabulary in the registries lower apps keep: the audit action of asking for a pack (who built
what). The build task is queued by the request, not periodic."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import AuditAction, audit_actions

PACK_REQUESTED = "library_pack_requested"


def register() -> None:
    audit_actions.add(AuditAction(PACK_REQUESTED, _("Offline pack asked for")))
