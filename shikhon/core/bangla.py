"""Bangla digits and dates. Numbers are stored with Western digits and shown in the reader's language."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import formats, translation

BN_DIGITS = "০১২৩৪৫৬৭৮৯"
_TO_BN = str.maketrans("0123456789", BN_DIGITS)
_TO_EN = str.maketrans(BN_DIGITS, "0123456789")


def to_bangla_digits(value: object) -> str:
    return str(value).translate(_TO_BN)


def to_western_digits(value: str) -> str:
    return value.translate(_TO_EN)


def localize_digits(value: object, language: str | None = None) -> str:
    language = language or translation.get_language() or "bn"
    text = str(value)
    return to_bangla_digits(text) if language.startswith("bn") else text


_TOKEN = re.compile(r"[A-Za-z0-9._:/@+-]+")


def localize_text_digits(text: object, language: str | None = None) -> str:
    """A sentence's numbers in the page's digits, leaving alone what is written with Latin letters and digits
    together: file formats (MP4, 3GP, UTF-8), file names, codes (ABCD-2345-EFGH-6789), web addresses.
    For messages built elsewhere (Django's "at most 200 characters (it has 250)")."""
    value = "" if text is None else str(text)
    language = language or translation.get_language() or "bn"
    if not language.startswith("bn"):
        return value
    return _TOKEN.sub(lambda m: m.group() if re.search(r"[A-Za-z]", m.group()) else to_bangla_digits(m.group()),
                      value)


def format_number(value: int | float, language: str | None = None) -> str:
    """Group thousands the South Asian way in Bangla (১২,৩৪,৫৬৭), the Western way in English."""
    language = language or translation.get_language() or "bn"
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:.2f}".partition(".")
        number, suffix = int(whole), "." + frac
    else:
        number, suffix = int(value), ""
    sign = "-" if number < 0 else ""
    digits = str(abs(number))
    if language.startswith("bn"):
        head, tail = digits[:-3], digits[-3:]
        groups: list[str] = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        grouped = ",".join([*groups, tail]) if groups else tail
        return to_bangla_digits(sign + grouped + suffix)
    return f"{sign}{abs(number):,}{suffix}"


BN_MONTHS = [
    "জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন",
    "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর",
]


def format_date(value: dt.date | dt.datetime, language: str | None = None) -> str:
    language = language or translation.get_language() or "bn"
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        from shikhon.core.clock import dhaka_date

        value = dhaka_date(value) if timezone.is_aware(value) else value.date()
    if language.startswith("bn"):
        return f"{to_bangla_digits(value.day)} {BN_MONTHS[value.month - 1]} {to_bangla_digits(value.year)}"
    return formats.date_format(value, "j F Y")
