"""A quick check of the HTML mistakes the Nu checker found on our pages, for the apps' view tests (the full
checker runs over every demo page in tests/browser/test_html_valid.py): duplicate ids, duplicate attributes,
`aria-describedby` / `<label for>` pointing to nothing, `<time datetime>` that is not a valid date or time."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

# HTML's "valid global date and time string" (and a date alone): at most three digits of a second's fraction.
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _value in attrs]
        for name, count in Counter(names).items():
            if count > 1:
                self.problems.append(f"<{tag}> has {count} “{name}” attributes")
        values = dict(attrs)
        if values.get("id"):
            self.ids[str(values["id"])] += 1
        for name in ("aria-describedby", "aria-labelledby"):
            for ref in (values.get(name) or "").split():
                self.references.append((f"<{tag} {name}>", ref))
        if tag == "label" and values.get("for"):
            self.references.append(("<label for>", str(values["for"])))
        if tag == "time" and "datetime" in values and not _DATETIME.match(values["datetime"] or ""):
            self.problems.append(f"<time datetime={values['datetime']!r}> is not a valid date and time")


def html_problems(html: str) -> list[str]:
    parser = _Collect()
    parser.feed(html)
    problems = list(parser.problems)
    problems += [f"id “{name}” is used {count} times" for name, count in parser.ids.items() if count > 1]
    problems += [f"{where} points to “{ref}”, which is not on the page" for where, ref in parser.references
                 if ref not in parser.ids]
    return problems
