"""Every page of the demo, for each role, reads in Bangla: no Latin digit and no English word in what a person
sees, with the project's catalogue switched on (and the translations waiting in locale/bn/pending/).

The demo (`demo_data` without videos) is loaded once for this module. For a visitor and one demo person of each
role (teachers at several stages of the demo course), the pages reachable from the home page are fetched with
the Django test client: a breadth-first walk over same-site links and redirects, a few pages of each URL shape
(`/modules/12/` and `/modules/13/` are one shape): tests/crawl.py's walk, which tests/browser/test_html_valid.py
shares. No page may answer with a server error.

Then the pages that tell a person what is wrong with a form: for each role, every <form method="post"> with a
visible text box on the pages its walk reached is posted once per form shape (its action's path shape and its
fields) with bad values: a text box 5,000 characters (more than its `maxlength`), a number box -99999999, a date
box 99/99/9999, a choice that is not one, a textarea 20,000 characters; hidden values (the CSRF token), checked
boxes and the first submit button as a browser sends them. Forms that sign out, switch the language or sync are
left out. No answer may be a server error, and a page that comes back must read in Bangla like the others, the
values the sweep typed excepted where the page echoes them (Django's "zzz is not one of the available choices").
Each post runs in a savepoint rolled back after it, so a bad post that succeeds changes nothing the next sees.

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

import copy
import dataclasses
import datetime as dt
import importlib
import pkgutil
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import crawl
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
    "teacher (practising: ongoing, certificate of practice)": "01711000018",
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
    """The seen text of a page, minus the allow-listed parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hides Latin) of the open elements
        self.seen: list[str] = []

    @property
    def _hidden(self) -> bool:
        return any(tag in NOT_SHOWN for tag, _ in self.stack)

    @property
    def _latin_ok(self) -> bool:
        return any(ok for _, ok in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
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


def seen_text(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    page.close()
    return page.seen


def _fetcher(client: Client) -> crawl.Fetch:
    """crawl.walk's fetch through the test client: (status, Location, Content-Type, HTML)."""

    def fetch(url: str) -> tuple[int, str, str, str]:
        response = client.get(url)
        kind = response.get("Content-Type", "")
        html = "" if response.streaming or "text/html" not in kind else response.content.decode()
        return response.status_code, response.get("Location", ""), kind, html or _error(response)

    return fetch


def _error(response: Any) -> str:
    """The exception behind a server error (the client keeps it), else nothing."""
    exc = getattr(response, "exc_info", None)
    return f"{exc[0].__name__}: {exc[1]}"[:300] if exc else ""


def _walk(client: Client) -> Iterator[crawl.Answer]:
    """The pages (and server errors) a client reaches from the home page (tests/crawl.py)."""
    return crawl.walk(_fetcher(client), max_pages=MAX_PAGES_PER_ROLE, max_per_shape=MAX_PAGES_PER_SHAPE)


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
    from shikhon.demo.practice import load_demo_practice

    locale = _catalogue(tmp_path_factory.mktemp("locale"))
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, LOCALE_PATHS=locale):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            course = load_demo_course(videos=False)
            load_demo_stages(course)
            load_demo_practice(course)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # the demo's people and outlines, cached by ids the next tests may reuse


@pytest.fixture(scope="module")
def walked() -> dict[str, list[tuple[str, str]]]:
    """(address, HTML) of the pages each role's walk reached, kept for the form sweep below."""
    return {}


def _client(role: str) -> Client:
    from shikhon.people.models import User
    from shikhon.people.phone import normalize_phone

    client = Client(raise_request_exception=False)
    if phone := ROLES[role]:
        client.force_login(User.objects.get(phone=normalize_phone(phone)))
    return client


def _latin(html: str, typed: tuple[str, ...] = ()) -> list[str]:
    """The Latin words and digits a person sees on a page; what the sweep typed (`typed`), where the page
    echoes it back, left out."""
    words: list[str] = []
    for text in seen_text(html):
        for value in sorted(typed, key=len, reverse=True):
            text = text.replace(value, " ")
        words += latin_in(text)
    return words


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_reads_in_bangla(demo: None, walked: dict[str, list[tuple[str, str]]], role: str) -> None:
    client = _client(role)
    problems: list[str] = []
    pages = walked[role] = []
    for answer in _walk(client):
        if answer.status >= 500:
            problems.append(f"{answer.url} answered {answer.status}: {answer.html[:300]}")
            continue
        pages.append((answer.url, answer.html))
        assert '<html lang="bn"' in answer.html, f"{role}: {answer.url} is not a Bangla page"
        if words := _latin(answer.html):
            problems.append(f"{answer.url}: {', '.join(sorted(set(words)))}")
    assert len(pages) > 2, f"the walk as {role} found only {len(pages)} pages"
    assert not problems, f"{role}: Latin on {len(problems)} of {len(pages)} pages:\n" + "\n".join(problems)


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
    for text in seen_text(html):
        words += latin_in(text)
    assert sorted(words) == sorted(found)


# ------------------------------------------------------------------- a bad form answers in Bangla

SWEPT_ROLES = list(ROLES)
TEXT_BOXES = frozenset({"text", "search", "email", "url", "tel", "number", "date"})
DATE_PLACEHOLDERS = frozenset({"dd/mm/yyyy", "দিন/মাস/বছর"})  # core.forms: every date box is a text box
LONG_TEXT = "x" * 5000
NEGATIVE = "-99999999"
BAD_DATE = "99/99/9999"
BAD_CHOICE = "zzz"
LONG_AREA = "x" * 20000
TYPED = (LONG_AREA, LONG_TEXT, NEGATIVE, BAD_DATE, BAD_CHOICE)  # echoed back, they are what a person typed


@dataclass
class Form:
    """A <form method="post"> of a page: its action as written and its controls, (tag, attributes)."""

    action: str
    controls: list[tuple[str, dict[str, str]]] = dataclasses.field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.open = Form(values.get("action", "")) if values.get("method", "").lower() == "post" else None
            if self.open:
                self.forms.append(self.open)
        elif self.open and tag in {"input", "select", "textarea", "button"} and values.get("name"):
            self.open.controls.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.open = None


def post_forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    parser.close()
    return parser.forms


def bad_values(form: Form) -> dict[str, list[str]] | None:
    """What the sweep posts in a form: every text box filled wrongly (too long, a huge negative number, an
    impossible date, an unknown choice) and the rest as a browser sends it (hidden values such as the CSRF
    token, checked boxes, the first submit button's name); None for a form without a visible text box."""
    data: dict[str, list[str]] = {}
    typed = False
    button = False
    for tag, attrs in form.controls:
        name, kind, value = attrs["name"], attrs.get("type", "text").lower(), attrs.get("value", "")
        if "disabled" in attrs:
            continue
        if tag == "textarea":
            data.setdefault(name, []).append(LONG_AREA)
            typed = True
        elif tag == "select":
            data.setdefault(name, []).append(BAD_CHOICE)
        elif tag == "button" or kind in {"submit", "image"}:
            if not button and attrs.get("type", "submit").lower() == "submit":
                data.setdefault(name, []).append(value)
                button = True
        elif kind == "hidden" or (kind in {"checkbox", "radio"} and "checked" in attrs):
            data.setdefault(name, []).append(value or ("on" if kind == "checkbox" else ""))
        elif kind in TEXT_BOXES:
            if kind == "number" or attrs.get("inputmode") in NUMBER_BOXES:
                bad = NEGATIVE
            elif kind == "date" or attrs.get("placeholder") in DATE_PLACEHOLDERS:
                bad = BAD_DATE
            else:
                limit = attrs.get("maxlength", "")
                bad = "x" * max(len(LONG_TEXT), int(limit) + 1 if limit.isdigit() else 0)
            data.setdefault(name, []).append(bad)
            typed = typed or "hidden" not in attrs
    return data if typed else None


def _forms_to_post(pages: list[tuple[str, str]]) -> Iterator[tuple[str, str, dict[str, list[str]]]]:
    """(page, action, data) of each post form of the pages, once per form shape: the shape of its action's path
    and the names of its fields. Forms posting to a skipped address (signing out, the language switch, sync)
    are left out."""
    shapes: set[tuple[str, tuple[str, ...]]] = set()
    for url, html in pages:
        for form in post_forms(html):
            action = crawl.local(form.action or url, base="http://testserver" + url, site="http://testserver")
            data = bad_values(form)
            if action is None or data is None:
                continue
            key = (crawl.shape(urlsplit(action).path), tuple(sorted(data)))
            if key not in shapes:
                shapes.add(key)
                yield url, action, data


@pytest.mark.django_db
@pytest.mark.parametrize("role", SWEPT_ROLES)
def test_every_bad_form_answers_in_bangla(demo: None, walked: dict[str, list[tuple[str, str]]], role: str) -> None:
    """Each post form with a text box that the role's walk reaches (the pages walked above, or walked again
    when this test runs alone), posted once per form shape with bad values: never a server error, and the page
    that says what is wrong reads in Bangla (what the sweep typed, echoed back, is typed text). Each post runs
    in a savepoint rolled back after it, so one that succeeds changes nothing the next form sees."""
    client = _client(role)
    pages = walked.get(role)
    if pages is None:
        pages = [(answer.url, answer.html) for answer in _walk(client) if answer.status == 200]
    problems: list[str] = []
    posted = answered = 0
    for url, action, data in _forms_to_post(pages):
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            response = client.post(action, data)
            transaction.set_rollback(True)
        client.cookies = cookies  # a post that signed in or out is undone with its session row
        cache.clear()  # what the post cached (outlines, counts) was rolled back; rate limits start again
        posted += 1
        where = f"{action} (form on {url})"
        if response.status_code >= 500:
            problems.append(f"{where} answered {response.status_code}: {_error(response)}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        answered += 1
        html = response.content.decode()
        if '<html lang="bn"' not in html:
            problems.append(f"{where} is not a Bangla page")
        elif words := _latin(html, TYPED):
            problems.append(f"{where}: {', '.join(sorted(set(words)))}")
    assert not problems, f"{role}: {len(problems)} of {posted} bad forms:\n" + "\n".join(problems)
    if role != "visitor":
        assert answered, f"{role}: none of the {posted} forms answered bad input with a page"


FORM = """
<form method="get" action="/courses/"><input name="q"></form>
<form method="post" action="/schools/7/edit/?next=/">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok"><input name="name" maxlength="9000">
  <input name="email" type="email"><input name="seats" inputmode="numeric" value="৩">
  <input name="size" type="number"><input name="starts" placeholder="দিন/মাস/বছর"><input name="ends" type="date">
  <input name="tel" type="tel" disabled><select name="grade"><option value="1">১</option></select>
  <textarea name="notes">old</textarea><input type="checkbox" name="notify" checked>
  <input type="checkbox" name="public" value="yes"><input type="radio" name="level" value="a">
  <input type="radio" name="level" value="b" checked><input type="file" name="photo">
  <button name="action" value="save">Save</button><button name="action" value="delete">Delete</button>
</form>
<form method="POST"><input type="hidden" name="csrfmiddlewaretoken" value="tok"><button>Done</button></form>
<form method="post" action="/notes/"><input name="q" hidden><input type="hidden" name="x" value="1"></form>
"""


def test_what_the_form_sweep_posts() -> None:
    forms_ = post_forms(FORM)
    assert [form.action for form in forms_] == ["/schools/7/edit/?next=/", "", "/notes/"]
    assert bad_values(forms_[0]) == {
        "csrfmiddlewaretoken": ["tok"], "name": ["x" * 9001], "email": [LONG_TEXT], "seats": [NEGATIVE],
        "size": [NEGATIVE], "starts": [BAD_DATE], "ends": [BAD_DATE], "grade": [BAD_CHOICE], "notes": [LONG_AREA],
        "notify": ["on"], "level": ["b"], "action": ["save"]}
    assert bad_values(forms_[1]) is None  # nothing to type in
    assert bad_values(forms_[2]) is None  # its only text box is hidden

    note = '<form method="post" action="{}"><textarea name="text"></textarea></form>'
    pages = [("/modules/1/", note.format("/modules/1/notes/") + note.format("/sign-out/")),
             ("/modules/2/", note.format("/modules/2/notes/") + note.format("/language/")),
             ("/schools/7/edit/?next=/", FORM)]
    assert [(url, action) for url, action, _ in _forms_to_post(pages)] == [
        ("/modules/1/", "/modules/1/notes/"), ("/schools/7/edit/?next=/", "/schools/7/edit/?next=/")]


@pytest.mark.parametrize(("html", "found"), [
    ("<ul class=errorlist><li>zzz কোনো বৈধ পছন্দ নয়।</li></ul>", []),
    (f"<p>{LONG_TEXT} লেখা</p><input inputmode=numeric value='{NEGATIVE}'>", []),
    ("<ul class=errorlist><li>Ensure this value has at most 200 characters (it has 5000).</li></ul>",
     ["Ensure", "this", "value", "has", "at", "most", "200", "characters", "it", "has", "5000"]),
    ("<li>xxxxx কোনো বৈধ পছন্দ নয়।</li>", ["xxxxx"]),
])
def test_what_the_form_sweep_counts(html: str, found: list[str]) -> None:
    assert sorted(_latin(html, TYPED)) == sorted(found)


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
