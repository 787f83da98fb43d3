"""`{% layout_parts as layout %}`: the base layout's constant parts in the active language (core.layout)."""

from __future__ import annotations

from django import template

from shikhon.core.layout import layout_parts as _layout_parts

register = template.Library()


@register.simple_tag
def layout_parts() -> dict[str, str]:
    return _layout_parts()
