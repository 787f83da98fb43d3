"""Short codes typed from a printed activity sheet: 6 characters from an alphabet with no look-alikes
(no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G), about 190 million of them."""

from __future__ import annotations

import secrets

ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
LENGTH = 6


def new_short_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_short_code(raw: str) -> str:
    """What a person typed, as stored: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:LENGTH + 2]
