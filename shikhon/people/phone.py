"""Bangladeshi mobile numbers, accepted as people type them and stored once in E.164.

The rule, exactly (one regular expression, `_TYPED`, applied after the separators are taken out):

    [ [+ | 00] 88 ] 0 1[3-9] dddddddd

that is, the 11-digit national number `01[3-9]` + 8 digits, optionally after the country prefix.
People write the prefix as "+880 1712345678" (E.164: country code 880, trunk 0 dropped) or as
"+88 01712345678" (country code glued to the 11 digits they know). Those are the same string of
digits, +8801712345678, so one grammar accepts both readings: `88` then the 11 national digits.
`+880`, `880` and `00880` are therefore all accepted in front of `1[3-9]…`, and nothing else is:

* "1712345678" (ten digits, the leading 0 missing) is refused: without the country prefix the
  trunk 0 is part of the number, and a ten-digit string may be a typo of a longer number.
* "+880 01712345678" (the trunk 0 kept after the country code, 14 digits) is refused: it is not a
  number that exists, and saying "type the 11 digits" is clearer than guessing.
* Prefixes outside 013–019 (010, 011, 012: not mobile operators) are refused.
* Digits must be Western (0–9) or Bangla (০–৯). Python's `str.isdigit()`, `int()` and `\\d` accept
  any script's digits (Devanagari, Arabic-Indic, fullwidth…); here only those two sets are
  translated and the expression is matched with explicit ASCII ranges, so any other digit is refused.
* Separators: spaces (also no-break spaces), tabs, line ends, "-", ".", "(" and ")" anywhere;
  "+" only at the very start.

Every refusal is the one ValidationError sentence INVALID_PHONE; no input raises anything else.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import to_western_digits

INVALID_PHONE = _(
    "This is not a Bangladeshi mobile number. Type the 11 digits, for example 01712345678."
)
MAX_TYPED = 40
# ASCII whitespace and the no-break spaces phones put in numbers; never control characters or NUL.
_SEPARATORS = re.compile(r"[ \t\r\n\u00a0\u2007\u202f\-.()]")
_TYPED = re.compile(r"(?:(?:\+|00)?88)?(01[3-9][0-9]{8})", re.ASCII)
STORED = re.compile(r"\+8801[3-9][0-9]{8}", re.ASCII)


def normalize_phone(raw: str) -> str:
    """Return +8801XXXXXXXXX for any usual way of writing a Bangladeshi mobile number (see the rule
    above); raise ValidationError(INVALID_PHONE) for anything else."""
    if not isinstance(raw, str) or len(raw) > MAX_TYPED:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    text = _SEPARATORS.sub("", to_western_digits(raw))
    match = _TYPED.fullmatch(text)
    if match is None:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return "+88" + match.group(1)


def is_stored_phone(value: object) -> bool:
    """True when `value` is a number as we store it: +880 1[3-9] and 8 more Western digits."""
    return isinstance(value, str) and STORED.fullmatch(value) is not None


def validate_stored_phone(value: object) -> None:
    """Model-field validator: the stored form only (full_clean refuses anything else)."""
    if not is_stored_phone(value):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")


def national_format(e164: str) -> str:
    """+8801712345678 → 01712-345678, as Bangladeshis write it."""
    if e164.startswith("+880") and len(e164) == 14:
        local = "0" + e164[4:]
        return f"{local[:5]}-{local[5:]}"
    return e164
