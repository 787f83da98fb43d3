"""Verification codes: 16 characters from 32 that are easy to read aloud and type (no 0/O, no 1/I),
so 80 bits from `secrets`. Stored without separators; shown as XXXX-XXXX-XXXX-XXXX."""

from __future__ import annotations

import re
import secrets

from shikhon.core.bangla import to_western_digits

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 16
GROUP = 4
# What people put between the groups when they type or copy a code: spaces of every kind and dashes.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_code(code: str) -> str:
    """ABCD2345EFGH6789 → ABCD-2345-EFGH-6789."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def normalize_code(raw: object) -> str | None:
    """A typed code as stored (upper case, no separators, Western digits), or None when it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    code = to_western_digits(_SEPARATORS.sub("", raw)).upper()
    return code if _VALID.match(code) else None
