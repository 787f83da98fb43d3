"""Bangladeshi mobile numbers, accepted as people type them and stored once in E.164."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import to_western_digits

INVALID_PHONE = _(
    "This is not a Bangladeshi mobile number. Type the 11 digits, for example 01712345678."
)
_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_phone(raw: str) -> str:
    """Return +8801XXXXXXXXX for any usual way of writing a Bangladeshi mobile number."""
    if not isinstance(raw, str) or len(raw) > 40 or "\x00" in raw:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    text = _SEPARATORS.sub("", to_western_digits(raw.strip()))
    if text.startswith("+"):
        digits = text[1:]
    elif text.startswith("00880"):
        digits = text[2:]
    else:
        digits = text
    if not digits.isdigit():
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    if len(digits) == 11 and digits.startswith("01"):
        digits = "88" + digits
    elif len(digits) == 10 and digits.startswith("1"):
        digits = "880" + digits
    if not (len(digits) == 13 and digits.startswith("8801")):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_format(e164: str) -> str:
    """+8801712345678 → 01712-345678, as Bangladeshis write it."""
    if e164.startswith("+880") and len(e164) == 14:
        local = "0" + e164[4:]
        return f"{local[:5]}-{local[5:]}"
    return e164
