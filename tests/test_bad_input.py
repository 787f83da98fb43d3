"""Bad-input sweep: every URL of the project, fed junk, must never answer 500.

The URL list comes from the resolver and the query parameter names from the code and templates, so
pages added later are swept without touching this file. Each URL is requested with junk in its path
parameters (overflowing integers, NUL bytes, broken UTF-8, 10,000 characters) and with junk query
strings, as a signed-out visitor, a teacher and a national admin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.slow

ROOT = Path(settings.BASE_DIR)
LONG = "x" * 10_000

SENSIBLE = {"int": "1", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "1", "str": "1"}
JUNK_INT = ["0", "2147483648", "9223372036854775808", "99999999999999999999999999999999"]
JUNK_TEXT = [
    "%00", "a%00b", "%FF%FE", "%C3%28", LONG, "-1", "1e999", "%27%22%3C%3E", "..%2F..%2Fetc",
    "%E0%A7%A7%E0%A7%A8",  # Bangla digits ১২
    "%20",
]
JUNK_PATH = [*JUNK_TEXT, "a/b/c", "%00/%00"]

COMMON_PARAMS = {
    "q", "page", "next", "action", "sort", "order", "format", "lang", "language", "limit", "offset", "cursor",
    "page_size", "school", "upazila", "district", "division", "eiin", "kind", "status", "phone", "code", "since",
    "until", "year", "month", "week", "id", "pk", "search", "scope",
}
PARAM_IN_CODE = re.compile(r"""\.(?:GET|query_params)(?:\.get|\.getlist|\.__getitem__)?[\[(]\s*["']([\w\-]+)["']""")
PARAM_IN_TEMPLATE = re.compile(r"""\bname=["']([\w\-]+)["']""")


def _param_names() -> list[str]:
    names = set(COMMON_PARAMS)
    for path in ROOT.glob("shikhon/**/*.py"):
        if "/tests/" not in path.as_posix():
            names.update(PARAM_IN_CODE.findall(path.read_text(encoding="utf-8")))
    for folder in [ROOT / "templates", *ROOT.glob("shikhon/*/templates")]:
        for path in folder.rglob("*.html"):
            names.update(PARAM_IN_TEMPLATE.findall(path.read_text(encoding="utf-8")))
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


PARAMS = _param_names()


def _query(value: str) -> str:
    return "&".join(f"{name}={value}" for name in PARAMS)


QUERIES = {
    "NUL bytes": _query("%00"),
    "10,000-character values": _query(LONG),
    "invalid UTF-8 escapes": _query("%FF%FE%C3%28"),
    "huge numbers": _query("99999999999999999999999999999999"),
    "negative and odd numbers": "&".join(f"{n}=-1&{n}=1e999&{n}=NaN" for n in PARAMS),
    "brackets and repeats": "&".join(f"{n}[]=1&{n}[a]=%00&{n}=" for n in PARAMS),
}


# --- URL patterns → concrete paths -----------------------------------------------------------------

ROUTE_SLOT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Slot:
    kind: str
    sensible: str


def _regex_pieces(regex: str) -> list[str | Slot] | None:
    """Named groups become slots; gives up (None) on regex it cannot turn into a path."""
    text = regex.removeprefix("^").removesuffix("$").replace("\\/", "/").replace("\\.", ".").replace("\\-", "-")
    pieces: list[str | Slot] = []
    i = 0
    while i < len(text):
        if text.startswith("(?P<", i):
            depth, j = 0, i
            while j < len(text):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            body = text[text.index(">", i) + 1:j]
            first = body.split("|")[0]
            sensible = first if re.fullmatch(r"[\w\-]+", first) else "1"
            pieces.append(Slot("str", sensible))
            i = j + 1
        elif text.startswith((".*", ".+"), i):
            pieces.append(Slot("path", "1"))
            i += 2
        elif text[i] in "()[]*+?|\\{}^$":
            return None
        else:
            pieces.append(text[i])
            i += 1
    return pieces


def _pieces(pattern: object) -> list[str | Slot] | None:
    if isinstance(pattern, RoutePattern):
        route, pieces, last = str(pattern), [], 0
        for match in ROUTE_SLOT.finditer(route):
            pieces.append(route[last:match.start()])
            kind = match.group("converter") or "str"
            pieces.append(Slot(kind, SENSIBLE.get(kind, "1")))
            last = match.end()
        pieces.append(route[last:])
        return pieces
    if isinstance(pattern, RegexPattern):
        return _regex_pieces(str(pattern))
    return None


def _walk(patterns: list, prefix: list[str | Slot]) -> Iterator[tuple[str, list[str | Slot] | None]]:
    for entry in patterns:
        pieces = _pieces(entry.pattern)
        chain = None if pieces is None else [*prefix, *pieces]
        if isinstance(entry, URLResolver):
            if chain is not None:
                yield from _walk(entry.url_patterns, chain)
        elif isinstance(entry, URLPattern):
            yield str(entry.pattern), chain


def _render(chain: list[str | Slot], junk: str | None) -> str:
    out = []
    for piece in chain:
        if isinstance(piece, Slot):
            if junk is None:
                out.append(piece.sensible)
            elif piece.kind == "int":
                out.append(junk if junk.isdigit() else piece.sensible)
            else:
                out.append(junk)
        else:
            out.append(piece)
    return "/" + "".join(out)


def _paths() -> list[str]:
    paths: list[str] = []
    for _name, chain in _walk(get_resolver().url_patterns, []):
        if chain is None:
            continue
        base = _render(chain, None)
        paths.append(base)
        slots = [piece for piece in chain if isinstance(piece, Slot)]
        kinds = {slot.kind for slot in slots}
        junk: list[str] = []
        if "int" in kinds:
            junk += JUNK_INT
        if kinds - {"int"}:
            junk += JUNK_PATH if "path" in kinds else JUNK_TEXT
        paths += [_render(chain, value) for value in junk]
        paths += [f"{base}?{query}" for query in QUERIES.values()]
    return list(dict.fromkeys(paths))


def test_the_sweep_covers_every_url_pattern():
    patterns = list(_walk(get_resolver().url_patterns, []))
    unbuildable = [name for name, chain in patterns if chain is None]
    assert not unbuildable, f"cannot build a path for {unbuildable}; teach _regex_pieces the form"
    paths = _paths()
    assert len(patterns) >= 20
    assert "/places/division/9223372036854775808/" in paths
    assert any(p.startswith("/places/school/") and LONG in p for p in paths)
    assert "/?" + QUERIES["NUL bytes"] in paths


def _describe(response) -> str:
    exc = getattr(response, "exc_info", None)
    return f"{exc[0].__name__}: {exc[1]}"[:300] if exc else response.content[:200].decode(errors="replace")


def _sweep(client: Client, paths: list[str]) -> list[str]:
    failures = []
    for path in paths:
        response = client.get(path)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} GET {path[:160]}{'…' if len(path) > 160 else ''}\n"
                            f"    {_describe(response)}")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "teacher_rubi", "national_admin_nasrin"])
def test_no_url_answers_500_to_junk(people, who):
    client = Client(raise_request_exception=False)
    if who:
        client.force_login(people[who])
    failures = _sweep(client, _paths())
    assert not failures, f"{len(failures)} requests failed as {who or 'anonymous'}:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.urls("shikhon.core.tests.urls_errors")
def test_the_sweep_reports_a_failing_url():
    failures = _sweep(Client(raise_request_exception=False), [p for p in _paths() if p.startswith("/boom/")])
    assert len(failures) == 1 + len(QUERIES)
    assert "RuntimeError: boom for the 500 page test" in failures[0]
