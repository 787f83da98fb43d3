"""The one way to write the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from shikhon.core.middleware import current_ip
from shikhon.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        details=details or {},
        ip_address=current_ip(),
    )
    event.full_clean(exclude=["actor"])
    event.save()
    return event
