"""Text that people type: one cleaner for every way in (forms, services, imports, the API).

`clean_user_text` removes the characters a person never means to type but an attacker or a bad copy-paste
brings in, and that change what *other* text looks like:

- bidirectional controls (LRE, RLE, PDF, LRO, RLO U+202A–U+202E; LRI, RLI, FSI, PDI U+2066–U+2069; LRM, RLM
  U+200E/U+200F; ALM U+061C): an RLO in a name reverses the text that follows it on a page or a PDF;
- control characters (C0, DEL, C1: NUL, escape, backspace…); in multi-line text newline and tab stay
  (CR LF and CR become LF), in one-line text line breaks and tabs become a space;
- other invisible characters that hide or smuggle text: the byte-order mark U+FEFF, the deprecated format
  controls U+206A–U+206F, interlinear annotation U+FFF9–U+FFFB, tag characters U+E0000–U+E007F, lone
  surrogates, and the line/paragraph separators U+2028/U+2029 (a newline or a space instead).

ZERO WIDTH JOINER (U+200D) and ZERO WIDTH NON-JOINER (U+200C) stay: Bangla spelling needs them (র‍্যাব,
জ্ঞান written with a visible hasant). Nothing else is changed: the text is stored as written (no Unicode
normalisation, no case change), only trimmed at both ends.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
ZWNJ = "\u200c"
ZWJ = "\u200d"

# Removed everywhere: everything above except the line breaks and tab, which depend on one line or many.
_HIDDEN = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (but tab, LF, CR), DEL, C1
    "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"  # bidi controls
    "\ufeff\u206a-\u206f\ufff9-\ufffb"  # BOM / zero width no-break space, deprecated formats, annotations
    "\U000e0000-\U000e007f"  # tag characters
    "\ud800-\udfff"  # lone surrogates (never valid text)
    "]"
)
_LINE_BREAK = re.compile("\r\n|[\r\u2028\u2029]")
_ONE_LINE_BREAKS = re.compile("[\t\n]")


def clean_user_text(value: str, *, multiline: bool = False) -> str:
    """`value` without hidden control characters, trimmed; one line unless `multiline`."""
    text = _HIDDEN.sub("", value)
    text = _LINE_BREAK.sub("\n", text)
    if not multiline:
        text = _ONE_LINE_BREAKS.sub(" ", text)
    return text.strip()


def has_hidden_characters(value: str) -> bool:
    """Whether `value` holds a character `clean_user_text` removes whatever the number of lines."""
    return _HIDDEN.search(value) is not None


def _clean_one_line(value: Any) -> Any:
    return clean_user_text(value) if isinstance(value, str) else value


def _clean_multiline(value: Any) -> Any:
    return clean_user_text(value, multiline=True) if isinstance(value, str) else value


# For API and offline payload schemas (pydantic): `name: UserText`, `note: UserMultilineText`. Length limits go
# after, so they count the cleaned text: `Annotated[UserText, StringConstraints(max_length=120)]`.
UserText = Annotated[str, BeforeValidator(_clean_one_line)]
UserMultilineText = Annotated[str, BeforeValidator(_clean_multiline)]
