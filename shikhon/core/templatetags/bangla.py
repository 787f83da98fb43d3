"""Template filters: `{{ n|num }}`, `{{ d|bndate }}`, `{{ text|digits }}` — Bangla digits in Bangla."""

from __future__ import annotations

import datetime as dt

from django import template

from shikhon.core.bangla import format_date, format_number, localize_digits

register = template.Library()


@register.filter
def num(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        return format_number(value if isinstance(value, (int, float)) else int(str(value)))
    except (TypeError, ValueError):
        return localize_digits(value)


@register.filter
def digits(value: object) -> str:
    return "" if value is None else localize_digits(value)


@register.filter
def bndate(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value)
    return "" if value is None else str(value)
