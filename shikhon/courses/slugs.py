"""Course web addresses made from Bangla titles: "আনন্দে গণিত শিখি" → "anonde-gonit-shikhi".

A small table transliterates Bangla to Latin letters the way Bangladeshi authors spell Bangla words in
English letters (the inherent vowel read as "o", dropped at the end of a word; ষ and শ as "sh"). Latin letters
and digits in a title are kept, Bangla digits become Western ones, everything else separates words. A title that
leaves nothing usable gets "course", and a name another course family uses gets the next number ("-2", "-3" …).
Existing slugs never change: only a new course, an empty slug field or an imported name that is taken gets one."""

from __future__ import annotations

import re
import uuid

from django.utils.text import slugify

from shikhon.courses.models import Course

MAX_LENGTH = 70  # the field holds 80: room for "-<number>"
FALLBACK = "course"

VOWELS = {"অ": "o", "আ": "a", "ই": "i", "ঈ": "i", "উ": "u", "ঊ": "u", "ঋ": "ri", "এ": "e", "ঐ": "oi", "ও": "o",
          "ঔ": "ou"}
VOWEL_SIGNS = {"া": "a", "ি": "i", "ী": "i", "ু": "u", "ূ": "u", "ৃ": "ri", "ে": "e", "ৈ": "oi", "ো": "o", "ৌ": "ou",
               "ৗ": "ou"}
CONSONANTS = {"ক": "k", "খ": "kh", "গ": "g", "ঘ": "gh", "ঙ": "ng", "চ": "ch", "ছ": "chh", "জ": "j", "ঝ": "jh",
              "ঞ": "n", "ট": "t", "ঠ": "th", "ড": "d", "ঢ": "dh", "ণ": "n", "ত": "t", "থ": "th", "দ": "d", "ধ": "dh",
              "ন": "n", "প": "p", "ফ": "f", "ব": "b", "ভ": "bh", "ম": "m", "য": "j", "র": "r", "ল": "l", "শ": "sh",
              "ষ": "sh", "স": "s", "হ": "h", "\u09dc": "r", "\u09dd": "rh", "\u09df": "y"}  # ড় ঢ় য়
SIGNS = {"ৎ": "t", "ং": "ng", "ঃ": "h", "ঁ": ""}
HASANTA = "\u09cd"
NUKTA = "\u09bc"
DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
# Decomposed ড় ঢ় য় (letter + nukta) read as the composed letters.
_COMPOSE = {"\u09a1" + NUKTA: "\u09dc", "\u09a2" + NUKTA: "\u09dd", "\u09af" + NUKTA: "\u09df"}


def _compose(text: str) -> str:
    for decomposed, composed in _COMPOSE.items():
        text = text.replace(decomposed, composed)
    return text


def transliterate(text: str) -> str:
    """Bangla letters in Latin ones; other letters and digits kept, Bangla digits made Western."""
    text = _compose(text).translate(DIGITS)
    out: list[str] = []
    for index, char in enumerate(text):
        nxt = text[index + 1] if index + 1 < len(text) else ""
        if char in CONSONANTS:
            # য after a hasanta is the y-phala (ব্যাগ → byag).
            out.append("y" if char == "য" and index and text[index - 1] == HASANTA else CONSONANTS[char])
            # The inherent vowel: none before a vowel sign or a hasanta, nor at the end of a word.
            if nxt and nxt not in VOWEL_SIGNS and nxt != HASANTA and nxt != NUKTA and _in_word(nxt):
                out.append("o")
        elif char in VOWEL_SIGNS:
            out.append(VOWEL_SIGNS[char])
        elif char in VOWELS:
            out.append(VOWELS[char])
        elif char in SIGNS:
            out.append(SIGNS[char])
        elif char in (HASANTA, NUKTA, "\u200c", "\u200d"):
            continue
        else:
            out.append(char)
    return "".join(out)


def _in_word(char: str) -> bool:
    return char in CONSONANTS or char in VOWELS or char in SIGNS or char.isalnum()


def slug_base(title: str) -> str:
    """The web address name a title reads as (lowercase Latin letters, digits and hyphens), or "course"."""
    latin = slugify(transliterate(title or ""))
    latin = re.sub(r"[^a-z0-9-]+", "", latin.replace("_", "-"))
    latin = re.sub(r"-{2,}", "-", latin).strip("-")
    return latin[:MAX_LENGTH].strip("-") or FALLBACK


def free_slug(wanted: str, *, family: uuid.UUID | None) -> str:
    """`wanted` when no other course family uses it, else `wanted-2`, `wanted-3` … (1 query)."""
    base = (slugify(wanted)[:MAX_LENGTH].strip("-") or FALLBACK) if wanted else FALLBACK
    others = Course.objects.filter(slug__startswith=base)
    if family is not None:
        others = others.exclude(family=family)
    taken = set(others.values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def slug_for_title(title: str, *, family: uuid.UUID | None = None) -> str:
    """A free web address name made from the title (transliterated, or numbered when taken)."""
    return free_slug(slug_base(title), family=family)
