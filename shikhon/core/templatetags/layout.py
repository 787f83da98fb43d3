"""`{% layout_parts as layout %}`: the base layout's parts for this page (core.layout): the constant parts in
the active language and the destinations of the person's audience, the current one marked."""

from __future__ import annotations

from typing import Any

from django import template

from shikhon.core.layout import page_layout

register = template.Library()


@register.simple_tag(takes_context=True)
def layout_parts(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    return page_layout(user=getattr(request, "user", None), path=getattr(request, "path", "/"))
