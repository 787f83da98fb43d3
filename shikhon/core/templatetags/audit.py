"""`{{ event.action|audit_action_label }}`: the label an app registered for an audit action."""

from __future__ import annotations

from django import template

from shikhon.core.audit import audit_action_label as _label

register = template.Library()


@register.filter
def audit_action_label(action: str) -> str:
    return _label(action)
