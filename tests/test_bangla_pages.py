"""Every page of the demo, for each role, reads in Bangla: no Latin digit and no English word in what a person
sees, with the project's catalogue switched on (and the translations waiting in locale/bn/pending/).

The demo (`demo_data` without videos) is loaded once for this module. For a visitor and one demo person of each
role (teachers at several stages of the demo course), the pages reachable from the home page are fetched with
the Django test client: a breadth-first walk over same-site links and redirects, a few pages of each URL shape
(`/modules/12/` and `/modules/13/` are one shape), as tests/browser/test_html_valid.py walks them.

What counts as seen: the text of the page (the <title> too) without <script>, <style> and <template>, and the
attributes a person sees or hears: `placeholder`, `aria-label`, `title`, `alt`, and `value` of a button and of a
number or date box (`inputmode="numeric"`/`"decimal"`, or the date box's placeholder): the pre-filled numbers.
The value of a plain text box and the text of a `<textarea>` are what a person typed, like `<bdi>` below; hidden
inputs, options' values, checkboxes and radios are never shown.

The allow-list — what stays Latin, and why:
- text a person typed, which the pages print inside `<bdi>` (names, titles; decision 0008: stored as written);
- codes and machine text: inside `<code>`, `<kbd>`, `<samp>` or an element marked `translate="no"` (token
  prefixes, EIIN numbers, column names), an element in another language on purpose (`lang="en"`: the language
  switch's "English"), and anything shaped like a code, capital letters and digits mixed (an activity's short
  code 7VY9CP, a certificate code ABCD-2345-EFGH-6789);
- a phone number in an input box (`type="tel"`): people type and read them with Western digits too;
- web addresses (`https://…`, as printed on a certificate) and file names (`notes.pdf`, `.zip`);
- the word EIIN (the schools' official identifier has no Bangla name), the site's Latin name "Shikhon", file
  formats (MP4, PDF, WebVTT …), "API" and the names of Chrome and Excel, which people see written that way on
  their phones and computers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
import shutil
import subprocess
from collections import Counter, deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django import forms
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

import shikhon
from config.settings.base import BASE_DIR
from config.settings.base import LOCALE_PATHS as REAL_LOCALE_PATHS

# One person of each role, and teachers at each stage of the demo course (shikhon/demo).
ROLES: dict[str, str | None] = {
    "visitor": None,
    "teacher (certified)": "01711000007",
    "teacher (just started)": "01711000011",
    "teacher (half-way)": "01711000013",
    "teacher (invited to training)": "01711000015",
    "teacher (awaiting approval)": "01711000008",
    "head teacher": "01711000006",
    "mentor": "01711000005",
    "upazila officer": "01711000004",
    "district officer": "01711000003",
    "division officer": "01711000002",
    "researcher": "01711000009",
    "course author": "01711000012",
    "national admin": "01711000001",
}
MAX_PAGES_PER_ROLE = 120
MAX_PAGES_PER_SHAPE = 2
SKIP_PREFIXES = ("/sign-out/", "/api/", "/media/", "/static/", "/videos/", "/django-admin/", "/sync/", "/bench/",
                 "/i18n/", "/language/")
SKIP_SUFFIXES = (".pdf", ".json", ".zip", ".js", ".webmanifest", ".csv", ".xlsx", ".png", ".jpg", ".svg", ".mp4",
                 ".webm", ".txt", ".xml", ".vtt")
SKIP_WORDS = ("/download", "/export")

# --- the allow-list (see the module's text)
LATIN_ELEMENTS = frozenset({"bdi", "code", "kbd", "samp", "textarea"})
NOT_SHOWN = frozenset({"script", "style", "template", "noscript"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
SEEN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
BUTTONS = frozenset({"submit", "button", "reset"})
NUMBER_BOXES = frozenset({"numeric", "decimal"})
ALLOWED_WORDS = frozenset({"EIIN", "Shikhon", "PDF", "MP4", "WebM", "3GP", "MOV", "PNG", "JPEG", "JPG", "WebP",
                           "WebVTT", "CSV", "XLSX", "ZIP", "UTF-8", "API", "Chrome", "Excel"})
ALLOWED_UPPER = frozenset(word.upper() for word in ALLOWED_WORDS)  # "zip" and "ZIP" alike
FILE_NAME = re.compile(r"[\w.-]*\.(?:pdf|zip|csv|xlsx|vtt|mp4|webm|png|jpe?g|webp|json)\b", re.IGNORECASE)
WEB_ADDRESS = re.compile(r"https?://\S+")
CODE = re.compile(r"\b(?=[A-Z0-9-]*[0-9])(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{4,}(?:-[A-Z0-9]{4,})*\b")
LATIN_WORD = re.compile(r"[A-Za-z](?:[A-Za-z0-9'’-]*[A-Za-z0-9])?")
LATIN_DIGITS = re.compile(r"[0-9]+")


class _Page(HTMLParser):
    """The seen text of a page (minus the allow-listed parts) and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hides Latin) of the open elements
        self.seen: list[str] = []
        self.hrefs: list[str] = []

    @property
    def _hidden(self) -> bool:
        return any(tag in NOT_SHOWN for tag, _ in self.stack)

    @property
    def _latin_ok(self) -> bool:
        return any(ok for _, ok in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])
        latin_ok = (tag in LATIN_ELEMENTS or values.get("translate") == "no"
                    or values.get("lang", "bn").startswith("en"))
        if not self._hidden and not self._latin_ok and not latin_ok:
            for name in SEEN_ATTRIBUTES:
                if values.get(name):
                    self.seen.append(values[name])
            kind = values.get("type", "").lower()
            number_box = kind in {"number", "date"} or values.get("inputmode") in NUMBER_BOXES
            if tag == "input" and values.get("value") and (kind in BUTTONS or number_box):
                self.seen.append(values["value"])
        if tag not in VOID:
            self.stack.append((tag, latin_ok))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._latin_ok and data.strip():
            self.seen.append(data)


def latin_in(text: str) -> list[str]:
    """The Latin words and digits in seen text, allow-listed ones left out."""
    text = CODE.sub(" ", WEB_ADDRESS.sub(" ", FILE_NAME.sub(" ", text)))
    found = [word for word in LATIN_WORD.findall(text) if word.upper() not in ALLOWED_UPPER]
    found += LATIN_DIGITS.findall(LATIN_WORD.sub(" ", text))
    return found


def seen_text(html: str) -> tuple[list[str], list[str]]:
    page = _Page()
    page.feed(html)
    page.close()
    return page.seen, page.hrefs


def _shape(path: str, query: str) -> str:
    keys = sorted(part.split("=", 1)[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


def _walk(client: Client, role: str) -> Iterator[tuple[str, str]]:
    """(address, HTML) of each page a role reaches from the home page."""
    seen: set[str] = {"/"}
    shapes: Counter[str] = Counter()
    queue: deque[str] = deque(["/"])
    pages = 0
    while queue and pages < MAX_PAGES_PER_ROLE:
        target = queue.popleft()
        response = client.get(target)
        assert response.status_code < 500, f"{role}: {target} answered {response.status_code}"
        if 300 <= response.status_code < 400:
            links = [response["Location"]]
        elif response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        else:
            pages += 1
            html = response.content.decode()
            yield target, html
            links = seen_text(html)[1]
        for href in links:
            parts = urlsplit(urljoin("http://testserver" + target, href))
            if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
                continue
            path = parts.path or "/"
            if (path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES)
                    or any(word in path for word in SKIP_WORDS)):
                continue
            local = urlunsplit(("", "", path, parts.query, ""))
            shape = _shape(path, parts.query)
            if local in seen or shapes[shape] >= MAX_PAGES_PER_SHAPE:
                continue
            seen.add(local)
            shapes[shape] += 1
            queue.append(local)


def _catalogue(tmp: Path) -> list[Path]:
    """The project's catalogue with the helpers' pending translations merged in (compiled with GNU gettext);
    just the project's when there are none or gettext is missing."""
    pending = sorted((BASE_DIR / "locale" / "bn" / "pending").glob("*.po"))
    if not pending or not (shutil.which("msgcat") and shutil.which("msgfmt")):
        return list(REAL_LOCALE_PATHS)
    out = tmp / "bn" / "LC_MESSAGES"
    out.mkdir(parents=True)
    main = BASE_DIR / "locale" / "bn" / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgcat", "--use-first", "-o", str(out / "django.po"), str(main), *map(str, pending)],
                   check=True, capture_output=True)
    subprocess.run(["msgfmt", "-o", str(out / "django.mo"), str(out / "django.po")], check=True,
                   capture_output=True)
    return [tmp]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The demo loaded once for the module, in a transaction rolled back at its end."""
    from shikhon.demo.course import load_demo_course, load_demo_stages
    from shikhon.demo.data import load_demo

    locale = _catalogue(tmp_path_factory.mktemp("locale"))
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, LOCALE_PATHS=locale):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            load_demo_stages(load_demo_course(videos=False))
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # the demo's people and outlines, cached by ids the next tests may reuse


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_reads_in_bangla(demo: None, role: str) -> None:
    from shikhon.people.models import User
    from shikhon.people.phone import normalize_phone

    client = Client()
    if phone := ROLES[role]:
        client.force_login(User.objects.get(phone=normalize_phone(phone)))
    problems: list[str] = []
    pages = 0
    for url, html in _walk(client, role):
        pages += 1
        assert '<html lang="bn"' in html, f"{role}: {url} is not a Bangla page"
        words: list[str] = []
        for text in seen_text(html)[0]:
            words += latin_in(text)
        if words:
            problems.append(f"{url}: {', '.join(sorted(set(words)))}")
    assert pages > 2, f"the walk as {role} found only {pages} pages"
    assert not problems, f"{role}: Latin on {len(problems)} of {pages} pages:\n" + "\n".join(problems)


@pytest.mark.parametrize(("html", "found"), [
    ("<p>৩ জন</p>", []),
    ("<p>3 জন</p>", ["3"]),
    ("<p>Save</p><script>var x = 1</script><style>a{b:0}</style>", ["Save"]),
    ('<p><bdi>Rubi 2</bdi> <code>ABC123</code> <span translate="no">100001</span></p>', []),
    ('<input type="tel" value="01711000007"><input type="hidden" value="7"><input value="Rubi 12">', []),
    ('<input inputmode="numeric" value="12"><input type="submit" value="Save"><textarea>01711-000005</textarea>',
     ["12", "Save"]),
    ("<p>https://shikhon.gov.bd/verify/AB12 Chrome-এ (.zip) API (zip)</p>", []),
    ("<p>কোড: 7VY9CP, যেমন ABCD-2345-EFGH-6789; MAQJM7 ABCDEF A1</p>", ["ABCDEF", "A1"]),
    ('<a href="/x/1/" title="Page 2" aria-label="next">৩</a>', ["Page", "2", "next"]),
    ("<p>EIIN: <span translate=no>100001</span>, notes.pdf, MP4</p>", []),
    ('<select><option value="3">৩</option></select><img alt="A">', ["A"]),
])
def test_what_the_sweep_counts(html: str, found: list[str]) -> None:
    words: list[str] = []
    for text in seen_text(html)[0]:
        words += latin_in(text)
    assert sorted(words) == sorted(found)


# ------------------------------------------------------------------------- every form reads Bangla digits


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(shikhon.__path__, "shikhon."):
        name = module.name
        if ".tests" in name or ".migrations" in name or "management" in name:
            continue
        if name.rsplit(".", 1)[-1].startswith(("forms", "views")):
            importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("shikhon.") and ".tests" not in cls.__module__:
            found.append(cls)
    return found


def test_every_form_of_the_project_reads_bangla_digits():
    """A date field that is Django's own would refuse "০৩/১২/২০২৬": use core.forms.DateField."""
    checked = 0
    for form in _project_forms():
        for name, field in form.base_fields.items():
            where = f"{form.__module__}.{form.__name__}.{name}"
            if isinstance(field, forms.DateField):
                assert field.to_python("০৩/১২/২০২৬") == dt.date(2026, 12, 3), where
                checked += 1
            elif isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
                assert field.to_python("১২") == 12, where
                checked += 1
    assert checked >= 5


def test_the_catalogue_grade_filter_reads_in_bangla_digits():
    from shikhon.courses.forms import CatalogueForm

    with translation.override("bn"):
        html = str(CatalogueForm()["grade"])
    assert 'value="12"' in html and not re.search(r">[^<]*[0-9][^<]*<", html)
