"""Fails when the Bangla catalogue has untranslated or fuzzy entries, or its .mo is stale."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
po = ROOT / "locale" / "bn" / "LC_MESSAGES" / "django.po"
mo = po.with_suffix(".mo")


def main() -> int:
    if not po.exists():
        print(f"missing {po}")
        return 1
    entries, current, problems = [], {}, []
    state = None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, state = {}, None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("msgctxt "):
            state = "msgctxt"
            current["msgctxt"] = line[8:].strip('"')
        elif line.startswith('"') and state == "msgctxt":
            current["msgctxt"] += line.strip('"')
        elif line.startswith("msgid "):
            state = "msgid"
            current["msgid"] = line[6:].strip('"')
        elif line.startswith("msgid_plural"):
            state = "plural"
        elif line.startswith("msgstr"):
            state = "msgstr"
            current.setdefault("msgstr", [])
            current["msgstr"].append(line.split(" ", 1)[1].strip('"'))
        elif line.startswith('"') and state == "msgid":
            current["msgid"] += line.strip('"')
        elif line.startswith('"') and state == "msgstr":
            current["msgstr"][-1] += line.strip('"')
    for entry in entries:
        if not entry.get("msgid"):
            continue
        if entry.get("fuzzy") or not all(entry.get("msgstr", [""])):
            problems.append(entry["msgid"][:70])
    if problems:
        print(f"{len(problems)} Bangla translations missing or fuzzy in {po.relative_to(ROOT)}:")
        for msgid in problems[:30]:
            print("  -", msgid)
        return 1
    import gettext

    if not mo.exists():
        print(f"missing {mo.relative_to(ROOT)}: run `make messages`.")
        return 1
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog}
    def key(entry: dict) -> str:  # the catalogue keys a msgid with a context as "context\x04msgid"
        msgid = entry["msgid"].replace('\\"', '"')
        return f"{entry['msgctxt']}\x04{msgid}" if "msgctxt" in entry else msgid

    missing = [e["msgid"] for e in entries if e.get("msgid") and key(e) not in compiled]
    if missing:
        print(f"{mo.relative_to(ROOT)} is older than the .po ({len(missing)} entries): run `make messages`.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
