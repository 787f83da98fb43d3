"""Import the national school list from a CSV or Excel (.xlsx) file.

Every row is checked first; if any row (or the file itself) is wrong, nothing is stored and the
report says what to fix, row by row. A good file is stored in one transaction: new EIINs are
created (bulk_create in batches), known EIINs updated when something changed (one joined UPDATE
per batch, see `_update`), so importing the same file twice changes nothing.

This module is the data layer only: it knows nothing about roles. The page checks who may import
(people.views_import) and the management command runs as the system; both call
`school_import_audited`, which also writes the audit log.

Rows are validated here rather than with `School.full_clean()` one by one: the same rules (EIIN
validator, field lengths, kind choices, places that exist) are applied against lookups loaded
once, because 65,000 `full_clean()` calls with their uniqueness queries would take minutes.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shikhon.core import tabular
from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_number, to_western_digits
from shikhon.core.text import has_hidden_characters
from shikhon.core.uploads import UploadRefused, check_upload
from shikhon.places import audit_actions
from shikhon.places.models import District, School, Union, Upazila, eiin_validator

MAX_ROWS = 100_000
CREATE_BATCH = 1000
LOOKUP_BATCH = 500
FULL_SCAN_ROWS = 5000
MAX_CELL = 1000  # longer cells are cut before checking (they fail the length checks anyway)
MAX_COLUMNS = 50
SHOWN_VALUE = 40  # how much of a bad value a message repeats

NAME_BN_MAX = School._meta.get_field("name_bn").max_length or 200
NAME_EN_MAX = School._meta.get_field("name_en").max_length or 200
UPDATE_FIELDS = ["name_bn", "name_en", "kind", "upazila_id", "union_id", "district_id", "division_id"]

# Column names, compared after `_key()`: lower case, no spaces, underscores or punctuation.
COLUMNS: dict[str, tuple[str, ...]] = {
    "eiin": ("eiin", "eiin no", "eiin number", "ইআইআইএন", "ইআইআইএন নম্বর", "ইআইআইএন নং"),
    "name_bn": ("name_bn", "name bn", "name (bangla)", "bangla name", "name bangla", "নাম", "বাংলা নাম",
                "নাম (বাংলা)", "বিদ্যালয়ের নাম", "প্রতিষ্ঠানের নাম"),
    "name_en": ("name_en", "name en", "name (english)", "english name", "name english", "ইংরেজি নাম",
                "নাম (ইংরেজি)"),
    "kind": ("kind", "type", "school type", "school kind", "ধরন", "বিদ্যালয়ের ধরন", "প্রতিষ্ঠানের ধরন"),
    "upazila": ("upazila", "upazila code", "upazila name", "thana", "উপজেলা", "উপজেলার নাম", "উপজেলা কোড"),
    "district": ("district", "district code", "district name", "zila", "জেলা", "জেলার নাম", "জেলা কোড"),
    "union": ("union", "union code", "union name", "ইউনিয়ন", "ইউনিয়নের নাম", "ইউনিয়ন কোড"),
}
REQUIRED_COLUMNS = ("eiin", "name_bn", "kind", "upazila")

# Ways people write a kind of school, besides the stored value and the English label.
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    School.Kind.GOVERNMENT_PRIMARY: ("সরকারি প্রাথমিক বিদ্যালয়", "সরকারি প্রাথমিক", "government primary", "gps"),
    School.Kind.REGISTERED_PRIMARY: ("রেজিস্টার্ড বেসরকারি প্রাথমিক বিদ্যালয়", "বেসরকারি প্রাথমিক বিদ্যালয়",
                                     "registered primary", "rngps"),
    School.Kind.SECONDARY: ("মাধ্যমিক বিদ্যালয়", "মাধ্যমিক", "secondary", "high school"),
    School.Kind.HIGHER_SECONDARY: ("স্কুল ও কলেজ", "স্কুল এন্ড কলেজ", "school and college", "school & college"),
    School.Kind.MADRASA: ("মাদ্রাসা", "মাদরাসা", "madrasah", "madrassa"),
    School.Kind.OTHER: ("অন্যান্য", "অন্য", "other"),
}
# Other English spellings of district names in common use.
DISTRICT_ALIASES = {
    "chittagong": "chattogram", "cumilla": "comilla", "barishal": "barisal", "bogra": "bogura",
    "jessore": "jashore", "jhalokati": "jhalakathi", "jhalokathi": "jhalakathi", "netrakona": "netrokona",
    "maulvibazar": "moulvibazar", "nawabganj": "chapainawabganj",
}
_PLACE_WORDS = ("upazila", "upozila", "thana", "district", "zila", "zilla", "উপজেলা", "জেলা", "থানা")


# ---------------------------------------------------------------------------------------------
# The report


class _Num:
    """A number shown in the reader's language when the message is displayed."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __str__(self) -> str:
        return format_number(self.value)


class _Names:
    """Places named in the reader's language when the message is displayed."""

    def __init__(self, places: Iterable[Any]) -> None:
        self.places = list(places)

    def __str__(self) -> str:
        return ", ".join(str(p) for p in self.places)


@dataclass(frozen=True)
class Message:
    """A translatable sentence rendered in the language active when it is shown."""

    text: str | Promise
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.text) % {k: str(v) for k, v in self.params.items()} if self.params else str(self.text)


@dataclass
class RowProblem:
    row: int
    eiin: str
    messages: list[Message]


@dataclass
class RowChange:
    row: int
    eiin: str
    fields: list[str]

    @property
    def field_labels(self) -> str:
        names = {"upazila_id": "upazila", "union_id": "union", "district_id": "upazila", "division_id": "upazila"}
        labels = dict.fromkeys(
            str(getattr(School._meta.get_field(names.get(f, f)), "verbose_name", f)) for f in self.fields)
        return ", ".join(labels)


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stored: bool = False
    file_errors: list[Message] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.problems

    @property
    def bad_rows(self) -> int:
        return len(self.problems)

    def as_text(self) -> str:
        """Plain-text report (the management command prints it)."""
        lines = [str(Message(_("File: %(name)s"), {"name": self.file_name}))]
        lines += [str(m) for m in self.file_errors]
        if self.ignored_columns:
            lines.append(str(Message(_("Columns not used: %(columns)s"), {"columns": ", ".join(self.ignored_columns)})))
        for problem in self.problems:
            for m in problem.messages:
                lines.append(str(Message(_("Row %(row)s (EIIN %(eiin)s): %(problem)s"), {
                    "row": _Num(problem.row), "eiin": problem.eiin or "—", "problem": m})))
        if not self.file_errors:
            lines.append(str(self.summary))
        return "\n".join(lines)

    @property
    def summary(self) -> Message:
        counts = {"rows": _Num(self.rows), "created": _Num(self.created), "updated": _Num(self.updated),
                  "unchanged": _Num(self.unchanged), "bad": _Num(self.bad_rows)}
        if self.file_errors:
            return Message(_("The file could not be read, so nothing was imported."))
        if self.problems:
            return Message(_("Rows with problems: %(bad)s of %(rows)s. Nothing was imported. "
                             "Fix the rows listed and upload the whole file again."), counts)
        if self.dry_run:
            return Message(_("Every row is correct. Rows: %(rows)s. New schools: %(created)s. To change: "
                             "%(updated)s. Already up to date: %(unchanged)s. Nothing was stored yet; import "
                             "the file without “check only” to store it."), counts)
        return Message(_("The school list was imported. Rows: %(rows)s. Schools added: %(created)s. "
                         "Changed: %(updated)s. Already up to date: %(unchanged)s."), counts)


# ---------------------------------------------------------------------------------------------
# Reading the file


class _FileProblem(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message.text))
        self.message = message


# Comparison key for names: NFC, case-folded, letters, Bangla signs and digits only (the header key).
_key = tabular.header_key
_PLACE_WORD_KEYS = frozenset(_key(w) for w in _PLACE_WORDS)


@functools.lru_cache(maxsize=8192)
def _place_key(value: str) -> str:
    """`_key` without words like "upazila" or "জেলা" that people add to a place's name."""
    words = [w for w in value.split() if _key(w) not in _PLACE_WORD_KEYS]
    return _key(" ".join(words) or value)


def _clean(text: str) -> str:
    """One space between words, otherwise as written; control characters stay so they can be reported."""
    return " ".join(text.split())


def _file_problem(problem: tabular.TableProblem) -> _FileProblem:
    if problem.code == "empty":
        return _FileProblem(Message(_("The file is empty. Upload the school list with a header row and one row "
                                      "per school.")))
    return _FileProblem(Message(problem.text, problem.params))


def _read_all(rows_source: IO[bytes] | bytes | File, limit: int) -> bytes:
    try:
        return tabular.read_bytes(rows_source, max_bytes=limit)
    except tabular.TableProblem as problem:
        raise _file_problem(problem) from problem


def _rows(data: bytes, kind: str) -> tabular.Table:
    """The school list read by the shared reader (core.tabular), by the type the upload checks read from its
    bytes ("csv" or "xlsx"), not its name."""
    limits = tabular.Limits(max_bytes=0, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_cell=MAX_CELL)
    try:
        return tabular.read_table(data, kind="xlsx" if kind == "xlsx" else "csv", limits=limits)
    except tabular.TableProblem as problem:
        raise _file_problem(problem) from problem


# ---------------------------------------------------------------------------------------------
# Looking up places and kinds (loaded once per import: 64 districts, 494 upazilas, 4,540 unions)


class _Places:
    def __init__(self) -> None:
        self.districts = {d.pk: d for d in District.objects.all()}
        self.district_by_code = {d.code: d for d in self.districts.values()}
        self.district_by_name: dict[str, list[District]] = {}
        for d in self.districts.values():
            for key in {_place_key(d.name_en), _place_key(d.name_bn)}:
                self.district_by_name.setdefault(key, []).append(d)
        self.upazilas = {u.pk: u for u in Upazila.objects.all()}
        self.upazila_by_code = {u.code: u for u in self.upazilas.values()}
        self.upazila_by_name: dict[str, list[Upazila]] = {}
        for u in self.upazilas.values():
            for key in {_place_key(u.name_en), _place_key(u.name_bn)}:
                self.upazila_by_name.setdefault(key, []).append(u)
        self.union_by_code: dict[int, Union] = {}
        self.union_by_name: dict[tuple[int, str], list[Union]] = {}
        for n in Union.objects.all():
            self.union_by_code[n.code] = n
            for key in {_place_key(n.name_en), _place_key(n.name_bn)}:
                self.union_by_name.setdefault((n.upazila_id, key), []).append(n)
        self.kinds = _kind_lookup()

    def district(self, value: str) -> District | None:
        digits = to_western_digits(value)
        if digits.isascii() and digits.isdigit():
            return self.district_by_code.get(int(digits))
        key = _place_key(value)
        found = self.district_by_name.get(DISTRICT_ALIASES.get(key, key)) or self.district_by_name.get(key)
        return found[0] if found and len(found) == 1 else None


def _kind_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for kind in School.Kind:
        names = [kind.value, *KIND_ALIASES.get(kind, ())]
        for language in ("en", "bn"):
            with translation.override(language):
                names.append(str(kind.label))
        for name in names:
            lookup.setdefault(_key(name), kind.value)
    return lookup


def _shown(value: str) -> str:
    value = "".join(ch if unicodedata.category(ch) != "Cc" else "�" for ch in value)
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def _has_control(value: str) -> bool:
    """Control, bidi and other hidden characters (core.text): schools are written by bulk_create, past
    the cleaning fields, so a row holding any is refused with a sentence."""
    return has_hidden_characters(value)


@dataclass
class _Row:
    row: int
    eiin: str
    name_bn: str
    name_en: str | None
    kind: str
    upazila: Upazila
    union: Union | None  # None: no union (or column absent, see has_union)


def _check_row(row_no: int, cells: dict[str, str], places: _Places, seen: dict[str, int],
               messages: list[Message]) -> _Row | None:
    """Validate one row; append a sentence for each problem; return the clean row when it is good."""
    raw_eiin = cells.get("eiin", "")
    eiin = to_western_digits(raw_eiin).strip()
    if not eiin:
        messages.append(Message(_("The EIIN is missing. Every school needs its 6-digit EIIN.")))
    else:
        try:
            if not eiin.isascii():
                raise ValidationError("")
            eiin_validator(eiin)
        except ValidationError:
            messages.append(Message(_("“%(value)s” is not an EIIN. An EIIN is 6 digits, for example 108765."),
                                    {"value": _shown(raw_eiin)}))
        else:
            if eiin in seen:
                messages.append(Message(_("EIIN %(eiin)s is also on row %(row)s. List each school only once."),
                                        {"eiin": eiin, "row": _Num(seen[eiin])}))
            else:
                seen[eiin] = row_no

    name_bn = cells.get("name_bn", "")
    if not name_bn:
        messages.append(Message(_("The Bangla name is missing. Write the school's name in Bangla.")))
    elif len(name_bn) > NAME_BN_MAX:
        messages.append(Message(_("The Bangla name is longer than %(max)s characters. Shorten it."),
                                {"max": _Num(NAME_BN_MAX)}))
    elif _has_control(name_bn):
        messages.append(Message(_("The Bangla name contains hidden control characters. Retype it.")))
    name_en: str | None = cells.get("name_en")
    if name_en is not None:
        if len(name_en) > NAME_EN_MAX:
            messages.append(Message(_("The English name is longer than %(max)s characters. Shorten it."),
                                    {"max": _Num(NAME_EN_MAX)}))
        elif _has_control(name_en):
            messages.append(Message(_("The English name contains hidden control characters. Retype it.")))

    raw_kind = cells.get("kind", "")
    kind = places.kinds.get(_key(raw_kind)) if raw_kind else None
    if not raw_kind:
        messages.append(Message(_("The kind of school is missing. Use one of: %(kinds)s."),
                                {"kinds": ", ".join(School.Kind.values)}))
    elif kind is None:
        messages.append(Message(_("“%(value)s” is not a kind of school we know. Use one of: %(kinds)s."),
                                {"value": _shown(raw_kind), "kinds": ", ".join(School.Kind.values)}))

    upazila = _check_upazila(cells, places, messages)
    union: Union | None = None
    raw_union = cells.get("union", "")
    if upazila is not None and raw_union:
        union = _check_union(raw_union, upazila, places, messages)

    if messages or kind is None or upazila is None:
        return None
    return _Row(row=row_no, eiin=eiin, name_bn=name_bn, name_en=name_en, kind=kind, upazila=upazila, union=union)


def _check_upazila(cells: dict[str, str], places: _Places, messages: list[Message]) -> Upazila | None:
    raw = cells.get("upazila", "")
    raw_district = cells.get("district", "")
    district = places.district(raw_district) if raw_district else None
    if raw_district and district is None:
        messages.append(Message(_("No district is called “%(value)s”. Write the district's name in English or "
                                  "Bangla, or its code."), {"value": _shown(raw_district)}))
    if not raw:
        messages.append(Message(_("The upazila is missing. Write the upazila's name or its code.")))
        return None
    digits = to_western_digits(raw)
    if digits.isascii() and digits.isdigit():
        upazila = places.upazila_by_code.get(int(digits)) if len(digits) < 10 else None
        if upazila is None:
            messages.append(Message(_("There is no upazila with the code %(value)s. Check the code, or write the "
                                      "upazila's name instead."), {"value": _shown(raw)}))
            return None
        candidates = [upazila]
    else:
        candidates = places.upazila_by_name.get(_place_key(raw), [])
        if not candidates:
            messages.append(Message(_("No upazila is called “%(value)s”. Check the spelling, or use the upazila "
                                      "code."), {"value": _shown(raw)}))
            return None
    if district is not None:
        in_district = [u for u in candidates if u.district_id == district.pk]
        if not in_district:
            messages.append(Message(_("The upazila “%(value)s” is not in %(district)s district. Check the upazila "
                                      "and district columns."), {"value": _shown(raw), "district": district}))
            return None
        candidates = in_district
    if len(candidates) > 1:
        messages.append(Message(
            _("More than one upazila is called “%(value)s” (in %(districts)s districts). Add a district column "
              "with the district's name, or use the upazila code."),
            {"value": _shown(raw), "districts": _Names(places.districts[u.district_id] for u in candidates)},
        ))
        return None
    return candidates[0]


def _check_union(raw: str, upazila: Upazila, places: _Places, messages: list[Message]) -> Union | None:
    digits = to_western_digits(raw)
    if digits.isascii() and digits.isdigit():
        union = places.union_by_code.get(int(digits)) if len(digits) < 10 else None
        if union is None:
            messages.append(Message(_("There is no union with the code %(value)s. Check the code, or write the "
                                      "union's name instead."), {"value": _shown(raw)}))
            return None
        if union.upazila_id != upazila.pk:
            messages.append(Message(_("The union “%(union)s” is not in %(upazila)s upazila. Check the union and "
                                      "upazila columns."), {"union": union, "upazila": upazila}))
            return None
        return union
    found = places.union_by_name.get((upazila.pk, _place_key(raw)), [])
    if not found:
        messages.append(Message(_("%(upazila)s upazila has no union called “%(value)s”. Check the spelling, or "
                                  "use the union code."), {"value": _shown(raw), "upazila": upazila}))
        return None
    if len(found) > 1:
        messages.append(Message(_("%(upazila)s upazila has more than one union called “%(value)s”. Use the union "
                                  "code instead."), {"value": _shown(raw), "upazila": upazila}))
        return None
    return found[0]


def _header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    """Map our column names to positions; list the columns we do not use."""
    try:
        match = tabular.match_header(cells, COLUMNS)
    except tabular.TableProblem as problem:
        raise _file_problem(problem) from problem
    missing = [name for name in REQUIRED_COLUMNS if name not in match.positions]
    if missing:
        raise _FileProblem(Message(_("The header row lacks these columns: %(columns)s. The first row must name the "
                                     "columns: eiin, name_bn, name_en, kind, upazila, district, union."),
                                   {"columns": ", ".join(missing)}))
    return match.positions, [_shown(_clean(title)) for title in match.ignored]


# ---------------------------------------------------------------------------------------------
# The service


def school_import(*, rows_source: IO[bytes] | bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    """Check every row of a school list and, when all are good and this is not a dry run, store them."""
    return _import(rows_source=rows_source, file_name=file_name, dry_run=dry_run, on_stored=None)


def school_import_audited(*, actor: Any, rows_source: IO[bytes] | bytes, file_name: str,
                          dry_run: bool = False, source: str = "page") -> ImportReport:
    """`school_import`, plus an audit event in the same transaction when schools were stored.

    `actor` is the person importing (None when the management command runs as the system). Places
    knows nothing about roles: a person's import goes through `people.services.schools_import`, which
    checks who may import (national admins) before calling this; nothing else passes a person here."""

    def record(report: ImportReport) -> None:
        audit_record(
            actor=actor, action=audit_actions.SCHOOLS_IMPORTED,
            summary=(f"{report.file_name}: {report.created} created, {report.updated} updated, "
                     f"{report.unchanged} unchanged"),
            details={"file_name": report.file_name, "rows": report.rows, "created": report.created,
                     "updated": report.updated, "unchanged": report.unchanged, "source": source},
        )

    return _import(rows_source=rows_source, file_name=file_name, dry_run=dry_run, on_stored=record)


def _import(*, rows_source: IO[bytes] | bytes, file_name: str, dry_run: bool,
            on_stored: Callable[[ImportReport], None] | None) -> ImportReport:
    report = ImportReport(file_name=PurePath(file_name or "").name[:200], dry_run=dry_run)
    try:
        # The shared upload checks: size, type from the bytes (CSV text or a real .xlsx), the archive inspected.
        checked = check_upload(use="school_list", file=rows_source)
    except UploadRefused as refused:
        params = {k: _Num(v) if isinstance(v, int) else v for k, v in refused.params.items()}
        report.file_errors.append(Message(refused.text, params))
        return report
    try:
        data = _read_all(checked.file, settings.SHIKHON_IMPORT_MAX_BYTES)
        rows, columns = _check_rows(_rows(data, checked.kind), report)
    except _FileProblem as problem:
        report.file_errors.append(problem.message)
        return report
    if report.ok:
        _plan_and_store(rows, columns, report, on_stored)
    return report


def _check_rows(table: tabular.Table, report: ImportReport) -> tuple[list[_Row], set[str]]:
    places = _Places()
    positions, report.ignored_columns = _header(table.header)
    seen: dict[str, int] = {}
    good: list[_Row] = []
    try:
        for row in table.rows:  # the reader skips blank rows and stops past MAX_ROWS
            report.rows += 1
            record = row.cells
            cells = {name: _clean(record[index]) if index < len(record) else "" for name, index in positions.items()}
            messages: list[Message] = []
            clean = _check_row(row.number, cells, places, seen, messages)
            if messages:
                report.problems.append(RowProblem(row=row.number, eiin=_shown(cells.get("eiin", "")),
                                                  messages=messages))
            elif clean is not None:
                good.append(clean)
    except tabular.TableProblem as problem:
        raise _file_problem(problem) from problem
    if report.rows == 0:
        raise _FileProblem(Message(_("The file has a header row but no schools. Add one row per school and upload "
                                     "it again.")))
    return good, set(positions)


def _existing(eiins: list[str]) -> dict[str, tuple[Any, ...]]:
    """Known schools among these EIINs: eiin → (pk, *UPDATE_FIELDS)."""
    columns = ["eiin", "pk", *UPDATE_FIELDS]
    found: dict[str, tuple[Any, ...]] = {}
    if len(eiins) > FULL_SCAN_ROWS:  # a national list: one pass over the table beats thousands of IN lists
        wanted = set(eiins)
        for eiin, *values in School.objects.values_list(*columns).iterator(chunk_size=10_000):
            if eiin in wanted:
                found[eiin] = tuple(values)
        return found
    for start in range(0, len(eiins), LOOKUP_BATCH):
        for eiin, *values in School.objects.filter(eiin__in=eiins[start:start + LOOKUP_BATCH]).values_list(*columns):
            found[eiin] = tuple(values)
    return found


def _update(changed: list[tuple[int, dict[str, Any]]], now: Any) -> None:
    """Write the changed schools: one UPDATE … FROM (VALUES …) per batch of rows.

    Django's bulk_update builds CASE WHEN expressions that grow with the batch (minutes for 65,000
    schools on SQLite), and one UPDATE per row is slow on SQLite inside a savepoint. A joined
    update from a VALUES list works the same on SQLite (3.33+) and PostgreSQL, which both name
    the VALUES columns column1, column2, …"""
    by_attname = {f.attname: f for f in School._meta.concrete_fields}
    fields = [by_attname[name] for name in ["id", *UPDATE_FIELDS, "updated_at"]]
    quote = connection.ops.quote_name
    table, pk_column = quote(School._meta.db_table), quote(fields[0].column or "id")
    assignments = ", ".join(f"{quote(f.column or f.attname)} = v.column{n}" for n, f in enumerate(fields[1:], 2))
    plain_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # PostgreSQL infers each VALUES column's type from its values; a column that is all NULL
    # would be text, so the first row says the types.
    typed_row = plain_row
    if connection.vendor == "postgresql":
        typed_row = "(" + ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields) + ")"
    per_statement = max(1, min(1000, (connection.features.max_query_params or 10_000) // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(changed), per_statement):
            batch = changed[start:start + per_statement]
            rows = ", ".join([typed_row] + [plain_row] * (len(batch) - 1))
            # Only model metadata and placeholders go into the statement; every value is a parameter.
            sql = f"UPDATE {table} SET {assignments} FROM (VALUES {rows}) AS v WHERE {table}.{pk_column} = v.column1"  # noqa: S608
            params: list[Any] = []
            for pk, values in batch:
                values = {**values, "id": pk, "updated_at": now}
                params += [f.get_db_prep_save(values[f.attname], connection) for f in fields]
            cursor.execute(sql, params)


def _plan_and_store(rows: list[_Row], columns: set[str], report: ImportReport,
                    on_stored: Callable[[ImportReport], None] | None) -> None:
    """Sort rows into new, changed and unchanged schools; store them unless this is a dry run.

    Optional columns that are not in the file leave those values of known schools as they are."""
    existing = _existing([row.eiin for row in rows])
    index = {name: position for position, name in enumerate(UPDATE_FIELDS, start=1)}
    new: list[_Row] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        known = existing.get(row.eiin)
        if known is None:
            new.append(row)
            continue
        values: dict[str, Any] = {
            "name_bn": row.name_bn, "kind": row.kind, "upazila_id": row.upazila.pk,
            "district_id": row.upazila.district_id, "division_id": row.upazila.division_id,
        }
        values["name_en"] = (row.name_en or "") if "name_en" in columns else known[index["name_en"]]
        if "union" in columns:
            values["union_id"] = row.union.pk if row.union is not None else None
        elif known[index["upazila_id"]] != row.upazila.pk:
            values["union_id"] = None  # the old union belongs to the old upazila
        else:
            values["union_id"] = known[index["union_id"]]
        differing = [name for name in UPDATE_FIELDS if known[index[name]] != values[name]]
        if differing:
            changed.append((known[0], values))
            report.changes.append(RowChange(row=row.row, eiin=row.eiin, fields=differing))
        else:
            report.unchanged += 1
    report.created, report.updated = len(new), len(changed)
    if report.dry_run:
        return
    try:
        with transaction.atomic():
            School.objects.bulk_create([
                School(eiin=row.eiin, name_bn=row.name_bn, name_en=row.name_en or "", kind=row.kind,
                       upazila_id=row.upazila.pk, district_id=row.upazila.district_id,
                       division_id=row.upazila.division_id, union_id=row.union.pk if row.union else None)
                for row in new
            ], batch_size=CREATE_BATCH)
            if changed:
                _update(changed, timezone.now())
            report.stored = True
            if on_stored is not None:
                on_stored(report)
    except IntegrityError:
        report.stored = False
        report.created = report.updated = report.unchanged = 0
        report.changes.clear()
        report.file_errors.append(Message(_("Another import changed the same schools at the same moment, so "
                                            "nothing was imported. Upload the file again.")))
