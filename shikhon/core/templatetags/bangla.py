"""Template filters: `{{ n|num }}`, `{{ d|bndate }}`, `{{ text|digits }}` — Bangla digits in Bangla;
`{{ d|iso }}` for a `<time datetime>`; `{{ name|bdi }}` isolates text a person typed."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

from shikhon.core.bangla import format_date, format_number, localize_digits, localize_text_digits
from shikhon.core.text import clean_user_text

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
def textdigits(value: object) -> str:
    """A sentence (an error message) with its numbers in the page's digits; MP4, 3GP, file names, codes and
    web addresses stay as written (core.bangla.localize_text_digits)."""
    return localize_text_digits(value)


def _typed(value: object) -> str:
    """The value as text, hidden control characters removed (rows written before decision 0008 may hold
    them); already-safe markup (`|linebreaksbr`) stays safe: removing characters cannot make a tag."""
    text = clean_user_text(str(value), multiline=True)
    return mark_safe(text) if isinstance(value, SafeData) else text  # noqa: S308 - see above


@register.filter
def bdi(value: object) -> str:
    """`{{ user.display_name|bdi }}`: text a person typed, isolated in `<bdi>` so its direction (a Bangla,
    English or Arabic name) cannot reorder the text around it, and without bidi controls or other hidden
    characters (decision 0008). Escaped as usual; nothing for an empty value."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", _typed(value))


@register.filter
def isolate(value: object) -> str:
    """`|bdi` for PDFs (templates *_pdf.html): also wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL
    ISOLATE, which Pango (WeasyPrint's text layout) honours whatever it makes of `<bdi>`."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>\u2068{}\u2069</bdi>", _typed(value))


@register.filter
def iso(value: object) -> str:
    """For `<time datetime="{{ when|iso }}">`: a date, or a date and time in the current time zone to the
    second (HTML allows at most three digits of a second's fraction; `date:'c'` gives six)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


@register.filter
def bndate(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value)
    return "" if value is None else str(value)
