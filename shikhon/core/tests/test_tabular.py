"""The shared CSV/XLSX reader: limits, encodings, Bangla headers, and hostile files answered with a sentence."""

from __future__ import annotations

import io
import time
import unicodedata
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from shikhon.core import tabular
from shikhon.core.tabular import Limits, TableProblem, header_key, match_header, read_table, rows_of

SMALL = Limits(max_bytes=2**20, max_rows=5, max_columns=4, max_cell=20)


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


Read = tuple[list[str], list[tuple[int, list[str]]]]


def table(data: bytes, kind: tabular.Kind = "csv", limits: Limits = SMALL) -> Read:
    read = read_table(data, kind=kind, limits=limits)
    return read.header, [(row.number, row.cells) for row in read.rows]


def problem(data: bytes, kind: tabular.Kind = "csv", limits: Limits = SMALL) -> TableProblem:
    with pytest.raises(TableProblem) as caught:
        table(data, kind, limits)
    return caught.value


# ------------------------------------------------------------------------------------------- good files


def test_csv_with_a_bom_bangla_header_and_blank_rows_keeps_line_numbers() -> None:
    data = "\ufeffইআইআইএন,নাম\n\n১০১,রূপসী বিদ্যালয়\n,\n102,\"Hatia, Model\"\n".encode()
    header, rows = table(data)
    assert header == ["ইআইআইএন", "নাম"]
    assert rows == [(3, ["১০১", "রূপসী বিদ্যালয়"]), (5, ["102", "Hatia, Model"])]


def test_semicolon_and_tab_separated_files_are_read() -> None:
    assert table(b"a;b\n1;2\n")[1] == [(2, ["1", "2"])]
    assert table(b"a\tb\n1\t2\n")[1] == [(2, ["1", "2"])]


def test_xlsx_rows_as_text() -> None:
    header, rows = table(xlsx([["EIIN", "নাম"], [101.0, "রূপসী"], [None, None], [102, True]]), "xlsx")
    assert header == ["EIIN", "নাম"]
    assert rows == [(2, ["101", "রূপসী"]), (4, ["102", "True"])]


def test_the_header_is_nfc_and_spaced_once() -> None:
    decomposed = unicodedata.normalize("NFD", "উপজেলা  কোড")
    assert read_table(f"{decomposed},x\n1,2\n".encode(), kind="csv", limits=SMALL).header == ["উপজেলা কোড", "x"]


def test_rows_of_answers_what_was_read_before_the_problem() -> None:
    rows, trouble = rows_of(b"a\n1\n2\n3\n4\n5\n6\n7\n", kind="csv", limits=SMALL)
    assert [r.cells for r in rows] == [["a"], ["1"], ["2"], ["3"], ["4"], ["5"]]
    assert trouble is not None and trouble.code == "too_many_rows"
    rows, trouble = rows_of(b"a\n1\n", kind="csv", limits=SMALL)
    assert len(rows) == 2 and trouble is None


# ------------------------------------------------------------------------------------------- limits


def test_more_rows_than_the_limit_is_refused_in_the_readers_language() -> None:
    refused = problem(b"a\n" + b"1\n" * 6)
    assert refused.code == "too_many_rows"
    with translation.override("en"):
            assert str(refused) == ("The file has more than 5 rows. Split it into smaller files and import them one "
                                "after another.")
    with translation.override("bn"):
        assert "৫" in str(refused) and "5" not in str(refused)


def test_a_huge_row_count_stops_at_the_limit_without_reading_on() -> None:
    data = b"a\n" + b"1\n" * 3_000_000  # 6 MB of rows
    started = time.monotonic()
    assert problem(data, limits=Limits(max_bytes=0, max_rows=1000)).code == "too_many_rows"
    assert time.monotonic() - started < 5


def test_millions_of_blank_rows_are_not_rows() -> None:
    header, rows = table(b"a,b\n" + b",\n" * 200_000 + b"1,2\n", limits=Limits(max_bytes=0, max_rows=1))
    assert rows == [(200_002, ["1", "2"])]


def test_too_many_columns_is_refused_with_the_row() -> None:
    refused = problem(b"a,b\n1,2,3,4,5\n")
    assert refused.code == "too_many_columns" and "Row ২ has more than ৪ columns" in str(refused)  # Bangla digits
    assert table(b"a,b,,,,,,,\n1,2,,,,,,,,,\n")[1] == [(2, ["1", "2"])]  # empty columns at the end do not count


def test_an_xlsx_sheet_reads_one_column_past_the_limit_and_no_further() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b"])
    sheet.cell(row=2, column=1, value="x")
    sheet.cell(row=3, column=5, value="one too far")
    out = io.BytesIO()
    book.save(out)
    refused = problem(out.getvalue(), "xlsx")
    assert refused.code == "too_many_columns" and "Row ৩" in str(refused)
    # A sheet whose rows reach column 16,000 is read as quickly as a narrow one; what lies past the limit
    # and the one column after it is never read.
    sheet.cell(row=3, column=5).value = None
    for row in range(4, 2004):
        sheet.cell(row=row, column=16000, value="far away")
    out = io.BytesIO()
    book.save(out)
    started = time.monotonic()
    assert table(out.getvalue(), "xlsx", Limits(max_rows=10, max_columns=4))[1] == [(2, ["x"])]
    assert time.monotonic() - started < 10


def test_long_cells_are_cut() -> None:
    assert table(b"a\n" + b"x" * 500 + b"\n")[1] == [(2, ["x" * 20])]
    assert table(xlsx([["a"], ["y" * 500]]), "xlsx")[1] == [(2, ["y" * 20])]


def test_bytes_over_the_limit_are_refused_before_reading() -> None:
    refused = problem(b"a\n" + b"1\n" * 1000, limits=Limits(max_bytes=1000))
    assert refused.code == "too_big"
    stream = io.BytesIO(b"a\n1\n")
    stream.size = 5_000_000  # type: ignore[attr-defined]  # an upload that says how big it is
    assert problem(stream, limits=Limits(max_bytes=1000)).code == "too_big"  # type: ignore[arg-type]
    assert table(b"a\n1\n", limits=Limits(max_bytes=0))[1] == [(2, ["1"])]  # 0: no limit


@pytest.mark.parametrize("data", [b"", b"   \n\n", b",,,\n,\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert problem(data).code == "empty"


# ------------------------------------------------------------------------------------------- hostile files


def test_legacy_8_bit_bangla_and_utf16_are_refused_as_not_utf8() -> None:
    assert problem("নাম\n".encode("utf-16")).code == "not_utf8"
    assert problem(b"name\n\xe0\xa6\n").code == "not_utf8"  # a cut UTF-8 sequence
    assert problem("Ecole,Élan\n".encode("cp1252")).code == "not_utf8"
    assert "CSV UTF-8" in str(problem(b"a\n\xff\n"))


def test_binary_and_the_wrong_kind_are_refused() -> None:
    assert problem(b"a,b\n\x00\x01\x02").code == "not_csv"
    assert problem(xlsx([["a"], ["1"]]), "csv").code == "not_csv"  # an .xlsx read as CSV
    assert problem(b"a,b\n1,2\n", "xlsx").code == "bad_xlsx"  # text read as Excel
    assert problem(b"PK\x03\x04 not really a zip", "xlsx").code == "bad_xlsx"
    with pytest.raises(ValueError, match="not a table kind"):
        read_table(b"a\n1\n", kind="pdf", limits=SMALL)  # type: ignore[arg-type]


def test_a_line_the_csv_reader_cannot_read_names_its_line() -> None:
    refused = problem(b"a\n1\n\"" + b"x" * 200_000 + b"\"\n", limits=Limits(max_bytes=0))
    with translation.override("en"):
        assert refused.code == "bad_csv" and "Line 3" in str(refused)


def test_formula_like_cells_are_text_as_written_and_never_evaluated() -> None:
    wide = Limits(max_cell=100)
    assert table(b'a,b\n=1+1,"=HYPERLINK(""http://x"")"\n', limits=wide)[1] == [
        (2, ["=1+1", '=HYPERLINK("http://x")'])]
    # openpyxl writes a formula without a computed value: the reader gives the cached value, here nothing.
    assert table(xlsx([["a", "b"], ["=1+1", "kept"]]), "xlsx", wide)[1] == [(2, ["", "kept"])]


# ------------------------------------------------------------------------------------------- headers


def test_header_key_matches_spellings() -> None:
    assert header_key("EIIN No.") == header_key("eiin_no") == header_key(" Eiin  NO ") == "eiinno"
    assert header_key("উপজেলা কোড ১") == header_key(unicodedata.normalize("NFD", "উপজেলা-কোড 1"))
    assert header_key("\ufeffনাম") == header_key("নাম")


COLUMNS = {"eiin": ("EIIN No", "ইআইআইএন"), "name_bn": ("নাম",), "kind": ("ধরন", "type")}


def test_match_header_finds_columns_by_any_title() -> None:
    match = match_header(["ইআইআইএন", "Remarks", "নাম", "", "TYPE"], COLUMNS, required=["eiin", "name_bn"])
    assert match.positions == {"eiin": 0, "name_bn": 2, "kind": 4}
    assert match.ignored == ["Remarks"]


def test_match_header_refuses_a_twice_named_or_missing_column() -> None:
    with pytest.raises(TableProblem) as twice:
        match_header(["EIIN No", "eiin"], COLUMNS)
    assert twice.value.code == "duplicate_column" and "“eiin” appears twice" in str(twice.value)
    with pytest.raises(TableProblem) as missing:
        match_header(["নাম"], COLUMNS, required=["eiin", "name_bn", "kind"])
    assert missing.value.code == "missing_columns" and "eiin, kind" in str(missing.value)
