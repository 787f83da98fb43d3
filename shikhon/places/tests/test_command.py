"""`manage.py import_schools <path> [--dry-run]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from shikhon.core.models import AuditEvent
from shikhon.places.models import School
from shikhon.places.tests.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD = [("100001", "হাতিয়া বিদ্যালয়", "Hatia School", "gov_primary", "46", "", ""),
        ("100002", "চরকিং বিদ্যালয়", "", "madrasa", "Hatia", "", "Charking")]


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_schools", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_good_file_and_prints_the_report_in_english(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(GOOD))
    out, _ = run(path)
    assert "The school list was imported. Rows: 2. Schools added: 2. Changed: 0. Already up to date: 0." in out
    assert set(School.objects.values_list("eiin", flat=True)) == {"100001", "100002"}
    event = AuditEvent.objects.get(action="schools_imported")
    assert event.actor is None and event.details["source"] == "command" and event.details["created"] == 2


def test_xlsx_and_a_second_run_changes_nothing(tmp_path):
    path = tmp_path / "schools.xlsx"
    path.write_bytes(xlsx_bytes(GOOD))
    run(path)
    out, _ = run(path)
    assert "Schools added: 0. Changed: 0. Already up to date: 2." in out


def test_dry_run_stores_nothing(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(GOOD))
    out, _ = run(path, "--dry-run")
    assert "Every row is correct. Rows: 2. New schools: 2. To change: 0." in out
    assert not School.objects.exists() and not AuditEvent.objects.exists()


def test_bad_rows_exit_non_zero_with_each_problem_listed(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes([*GOOD, ("12", "", "", "gov_primary", "Companiganj", "", "")]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(path)
    assert not School.objects.exists()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_schools", str(path), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "Row 4 (EIIN 12): “12” is not an EIIN." in text
    assert "Row 4 (EIIN 12): The Bangla name is missing." in text
    assert "More than one upazila is called “Companiganj” (in Noakhali, Sylhet districts)" in text


@pytest.mark.parametrize("name, data, expected", [
    ("schools.csv", b"", "The file is empty"),
    ("schools.csv", b"%PDF-1.4\n", "Only CSV and Excel (.xlsx) files can be imported"),
    ("schools.xlsx", b"PK\x03\x04 not a workbook", "The Excel file could not be read"),
])
def test_bad_files_exit_non_zero(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_schools", str(path), stdout=io.StringIO(), stderr=err)
    assert expected in err.getvalue()


def test_missing_path_exits_non_zero(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run(tmp_path / "nowhere.csv")
