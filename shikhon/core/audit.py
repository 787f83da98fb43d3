"""The one way to write the audit log, and the registry of its actions.

core knows none of the actions: each app registers its own from its `AppConfig.ready`
(e.g. `shikhon/people/audit_actions.py`), with the label the audit page shows. `AuditEvent.action` is a
plain string checked against this registry, so a new action touches only its app and no migration here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext

from shikhon.core.middleware import current_ip
from shikhon.core.models import AuditEvent
from shikhon.core.registry import Registry


@dataclass(frozen=True)
class AuditAction:
    name: str  # stored in AuditEvent.action (at most 40 characters)
    label: str | Promise  # "Role granted": what the audit page shows


audit_actions: Registry[AuditAction] = Registry("audit action")


def audit_action_label(name: str) -> str:
    """The label of an action; an action no app registers any more (an old row) shows its stored name."""
    entry = audit_actions.find(name)
    return str(entry.label) if entry is not None else gettext("Other action (%(name)s)") % {"name": name}


def audit_action_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered action, for a filter on the audit page."""
    return [(action.name, str(action.label)) for action in audit_actions]


def _event(*, actor: Any, action: str, target: models.Model | None, summary: str,
           details: dict[str, Any] | None, ip: str | None) -> AuditEvent:
    audit_actions.get(action)  # an action nobody registered is a programming error: say so at once
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        details=details or {},
        ip_address=ip,
    )
    event.full_clean(exclude=["actor"])
    return event


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = _event(actor=actor, action=action, target=target, summary=summary, details=details, ip=current_ip())
    event.save()
    return event


def audit_record_many(*, actor: Any, action: str, targets: Iterable[models.Model], summary: str = "",
                      details: dict[str, Any] | None = None) -> list[AuditEvent]:
    """One event per target, written in one statement (bulk writes stay constant in their size)."""
    ip = current_ip()
    events = [_event(actor=actor, action=action, target=target, summary=summary, details=details, ip=ip)
              for target in targets]
    return AuditEvent.objects.bulk_create(events)
