"""Reads of the shared kernel. Who may read them is decided by the caller (core knows no roles)."""

from __future__ import annotations

from django.db.models import QuerySet

from shikhon.core.models import AuditEvent


def audit_events(*, action: str | None = None) -> QuerySet[AuditEvent]:
    """The audit log, newest first, with each actor fetched in the same query."""
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-pk")
    if action:
        events = events.filter(action=action)
    return events
