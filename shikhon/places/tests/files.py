"""Build school-list files (CSV and XLSX) in memory for import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

HEADER = ("eiin", "name_bn", "name_en", "kind", "upazila", "district", "union")


def csv_bytes(rows: Iterable[Sequence[object]], header: Sequence[str] = HEADER, *, bom: bool = False,
              delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Schools")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def national_rows(count: int, upazila_codes: Sequence[int], *, start: int = 100000,
                  suffix: str = "") -> list[tuple[str, str, str, str, str, str, str]]:
    """`count` schools spread over the given upazilas (by code), EIINs from `start`."""
    kinds = ("gov_primary", "reg_primary", "secondary", "higher_secondary", "madrasa")
    return [
        (f"{start + n:06d}", f"বিদ্যালয় নম্বর {n}{suffix}", f"School number {n}{suffix}", kinds[n % len(kinds)],
         str(upazila_codes[n % len(upazila_codes)]), "", "")
        for n in range(count)
    ]
