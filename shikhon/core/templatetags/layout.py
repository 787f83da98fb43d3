"""`{% layout_parts as layout %}`: the base layout's parts for this page (core.layout): the constant parts in
the active language and the destinations of the person's audience, the current one marked.
`{% icon "home" %}`: an icon drawn inline, hidden beside its visible label; `{% icon "home" label=text %}`
names one that stands alone."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from shikhon.core.layout import icon as _icon
from shikhon.core.layout import page_layout

register = template.Library()


@register.simple_tag(takes_context=True)
def layout_parts(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    return page_layout(user=getattr(request, "user", None), path=getattr(request, "path", "/"))


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    return _icon(name, label)
