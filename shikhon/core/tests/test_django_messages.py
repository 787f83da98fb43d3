"""core/django_messages.py names Django's untranslated form messages so `make messages` keeps their Bangla: the
msgids must be Django's own (a reworded one after an upgrade would keep a Bangla no page asks for), and each has
its Bangla in the project's catalogue (or waiting in locale/bn/pending/). That the pages then say them in Bangla
is tests/test_bangla_pages.py's sweep of bad form input."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import django
from django.conf import settings

from shikhon.core import django_messages

ENTRY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', re.MULTILINE)


def _catalogue(path: Path) -> dict[str, list[str]]:
    """msgid (and msgid_plural) → its msgstr values, of a .po file."""
    out: dict[str, list[str]] = {}
    ids: list[str] = []
    for key, value in ENTRY.findall(path.read_text(encoding="utf-8")):
        text = "".join(re.findall(r'"(.*)"', value)).encode().decode("unicode_escape").encode("latin-1").decode()
        if key == "msgid":
            ids = [text]
        elif key == "msgid_plural":
            ids.append(text)
        else:
            for msgid in ids:
                out.setdefault(msgid, []).append(text)
    return out


def _named() -> list[str]:
    tree = ast.parse(Path(django_messages.__file__).read_text(encoding="utf-8"))
    return [arg.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and " " in arg.value]


def test_the_msgids_are_djangos_and_have_bangla():
    named = _named()
    assert len(named) == 2 * len(django_messages.SINGULAR_PLURAL) + len(django_messages.SINGLE)
    djangos = _catalogue(Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po")
    ours: dict[str, list[str]] = {}
    locale = Path(settings.BASE_DIR) / "locale" / "bn"
    for path in [locale / "LC_MESSAGES" / "django.po", *sorted((locale / "pending").glob("*.po"))]:
        for msgid, texts in _catalogue(path).items():
            ours.setdefault(msgid, texts)
    for msgid in named:
        assert msgid in djangos, f"not Django's msgid (any more?): {msgid}"
        assert ours.get(msgid) and all(ours[msgid]), f"no Bangla for {msgid}"

