"""Rows from a CSV or Excel (.xlsx) file a person uploads, within limits, with one sentence per refusal.

The file has passed the shared upload checks first (`core.uploads.check_upload`: size, type read from the
bytes, the .xlsx archive inspected); this module reads it:

- **limits** (`Limits`): bytes read (0 = none), rows with something in them after the header, columns, and
  characters per cell (longer cells are cut; the caller's own length checks then name the row);
- **encoding**: CSV must be UTF-8 (a BOM is fine; Excel's "CSV UTF-8" writes one); UTF-16, legacy 8-bit
  encodings and binary files are refused with what to do, never read as garbled Bangla;
- **headers**: the first row with something in it; `header_key` compares titles across spellings (NFC,
  Bangla or Western digits, case, spaces and punctuation) so `match_header` finds "ইআইআইএন নং" or "EIIN No";
- **values** are text as written: nothing is evaluated. A CSV cell such as `=HYPERLINK(…)` stays that text,
  an .xlsx formula gives its cached value (or nothing). Whoever writes such text into a CSV for a
  spreadsheet must escape it.

A refusal is a `TableProblem`: a translatable sentence with parameters, rendered in the reader's language
when shown (`str()`), and a `code` so a caller may say it in its own words. Rows are read lazily, so a
100,000-row list is checked as it is read and a bad file stops at the first sentence.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Literal

from django.core.files import File
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_number, to_western_digits

Kind = Literal["csv", "xlsx"]
MB = 2**20


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MB  # 0: no limit (as for the other upload limits)
    max_rows: int = 100_000  # rows with something in them, after the header
    max_columns: int = 50  # columns with something in them
    max_cell: int = 1000  # characters kept of one cell


class _Number:
    """A number shown in the reader's language when the sentence is rendered."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __str__(self) -> str:
        return format_number(self.value)

    def __int__(self) -> int:
        return self.value


class TableProblem(Exception):
    """Why the file cannot be read: `text` % `params` in the language active when shown; `code` says which."""

    def __init__(self, text: str | Promise, code: str, params: Mapping[str, object] | None = None) -> None:
        super().__init__(str(text))
        self.text = text
        self.code = code
        self.params: dict[str, object] = dict(params or {})

    def __str__(self) -> str:
        text = str(self.text)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


@dataclass(frozen=True)
class Row:
    number: int  # the line (CSV) or row (sheet) it was on, counting blank ones, as the person sees it
    cells: list[str]


@dataclass
class Table:
    header: list[str]  # the titles as written (NFC, one space between words, no BOM)
    header_row: int
    rows: Iterator[Row]  # the rows after the header with something in them; may raise TableProblem


@dataclass
class HeaderMatch:
    positions: dict[str, int]  # our column name → its index in a row
    ignored: list[str] = field(default_factory=list)  # titles of columns we do not use


# ------------------------------------------------------------------------------------------- reading

def read_bytes(source: IO[bytes] | bytes | File, *, max_bytes: int) -> bytes:
    """All of the file, refusing one larger than `max_bytes` (0: no limit) or with nothing in it."""
    too_big = TableProblem(_("The file is larger than %(limit)s MB. Split the list into smaller files and import "
                             "them one after another."), "too_big", {"limit": _Number(max(1, max_bytes // MB))})
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        size = getattr(source, "size", None)
        if max_bytes and isinstance(size, int) and size > max_bytes:
            raise too_big
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        data = source.read(max_bytes + 1) if max_bytes else source.read()
    if max_bytes and len(data) > max_bytes:
        raise too_big
    if not data.strip():
        raise _empty()
    return data


def read_table(source: IO[bytes] | bytes | File, *, kind: Kind, limits: Limits) -> Table:
    """The header (the first row with something in it) and an iterator over the rows after it. `kind` is
    the type the upload checks read from the bytes, not the file's name."""
    data = read_bytes(source, max_bytes=limits.max_bytes)
    records = _records(data, kind, limits)
    for number, cells in records:
        if any(cell.strip() for cell in cells):
            header = [" ".join(unicodedata.normalize("NFC", cell.lstrip("\ufeff")).split()) for cell in cells]
            return Table(header=header, header_row=number, rows=_data_rows(records, limits))
    raise _empty()


def rows_of(source: IO[bytes] | bytes | File, *, kind: Kind, limits: Limits) -> tuple[list[Row], TableProblem | None]:
    """Every row (the header first) read before the first problem, and that problem (None when the file
    was read to its end): for small imports that report everything at once."""
    rows: list[Row] = []
    try:
        table = read_table(source, kind=kind, limits=limits)
        rows.append(Row(table.header_row, table.header))
        rows.extend(table.rows)
    except TableProblem as problem:
        return rows, problem
    return rows, None


def _empty() -> TableProblem:
    return TableProblem(_("The file is empty. Upload it with a header row and one row per entry."), "empty")


def _data_rows(records: Iterator[tuple[int, list[str]]], limits: Limits) -> Iterator[Row]:
    count = 0
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > limits.max_rows:
            raise TableProblem(_("The file has more than %(max)s rows. Split it into smaller files and import them "
                                 "one after another."), "too_many_rows", {"max": _Number(limits.max_rows)})
        yield Row(number, cells)


def _records(data: bytes, kind: Kind, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    if kind == "xlsx":
        return _xlsx_records(data, limits)
    if kind == "csv":
        return _csv_records(data, limits)
    raise ValueError(f"not a table kind: {kind!r}")


def _cell(value: object, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:limit]


def _trimmed(cells: list[str], number: int, limits: Limits) -> list[str]:
    """The cells without the empty ones at the end; a row with too many columns is refused."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    if end > limits.max_columns:
        raise TableProblem(_("Row %(row)s has more than %(max)s columns. Keep only the columns of the list and "
                             "upload the file again."), "too_many_columns",
                           {"row": _Number(number), "max": _Number(limits.max_columns)})
    return cells[:end]


def _csv_records(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    not_utf8 = TableProblem(_("The file is not in UTF-8, so Bangla text would be garbled. In Excel choose “Save "
                              "as” → “CSV UTF-8”, then upload it again."), "not_utf8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 ("Unicode text" from Excel)
        raise not_utf8
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise TableProblem(_("This file is not a CSV text file. Save the list as “CSV UTF-8” or as an Excel "
                             ".xlsx file and upload it again."), "not_csv")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8 from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            # A record ends on the line the reader reached (a quoted cell may span lines).
            yield reader.line_num, _trimmed([_cell(value, limits.max_cell) for value in record], reader.line_num,
                                            limits)
    except csv.Error as exc:
        raise TableProblem(_("Line %(line)s of the file could not be read as CSV. Check its quotation marks, save "
                             "the file again and upload it."), "bad_csv", {"line": _Number(reader.line_num)}) from exc


def _xlsx_records(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    broken = TableProblem(_("The Excel file could not be read; it may be damaged. Open it in Excel or LibreOffice, "
                            "save it again as .xlsx and upload it again."), "bad_xlsx")
    import openpyxl  # the archive itself was inspected by the upload checks (names, sizes, zip bombs)

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, InvalidFileException)  # noqa: BLE001
        raise broken from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return
        try:
            # One column past the limit is read, so a row that uses it is refused without reading the
            # thousands of empty columns a sheet may claim.
            rows = sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True)
            for number, values in enumerate(rows, start=1):
                yield number, _trimmed([_cell(value, limits.max_cell) for value in values], number, limits)
        except TableProblem:
            raise
        except Exception as exc:  # damaged sheet XML part-way through  # noqa: BLE001
            raise broken from exc
    finally:
        book.close()


# ------------------------------------------------------------------------------------------- headers

# Everything but letters, digits and Bangla signs (vowel signs are marks, which \w would drop).
_NOT_KEY = re.compile(r"[^\w\u0980-\u09ff]|_")


@functools.lru_cache(maxsize=8192)
def header_key(value: str) -> str:
    """Comparison key for titles and names: NFC, case-folded, Western digits, letters and Bangla signs only."""
    return _NOT_KEY.sub("", unicodedata.normalize("NFC", to_western_digits(value.lstrip("\ufeff"))).casefold())


def match_header(header: Sequence[str], columns: Mapping[str, Sequence[str]], *,
                 required: Sequence[str] = ()) -> HeaderMatch:
    """Our column names found in a header row, by any of their titles (`columns`: name → titles, Bangla or
    English). A title given twice, or a required column missing, is a `TableProblem`."""
    titles = {header_key(title): name for name, names in columns.items() for title in (name, *names)}
    match = HeaderMatch(positions={})
    for index, title in enumerate(header):
        name = titles.get(header_key(title))
        if name is None:
            if title.strip():
                match.ignored.append(title[:40])
        elif name in match.positions:
            raise TableProblem(_("The column “%(column)s” appears twice in the header row. Keep one and upload the "
                                 "file again."), "duplicate_column", {"column": title[:40]})
        else:
            match.positions[name] = index
    missing = [name for name in required if name not in match.positions]
    if missing:
        raise TableProblem(_("The header row lacks these columns: %(columns)s. Name them in the first row and "
                             "upload the file again."), "missing_columns", {"columns": ", ".join(missing)})
    return match
