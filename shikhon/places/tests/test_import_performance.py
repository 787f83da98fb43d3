"""A national school list (65,000 rows) imports in well under a minute, on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest

from shikhon.places.importing import school_import
from shikhon.places.models import School, Upazila
from shikhon.places.tests.files import csv_bytes, national_rows

N = 65_000


@pytest.mark.slow
@pytest.mark.clock_free
@pytest.mark.django_db
def test_national_school_list_imports_quickly_and_correctly(capsys):
    codes = sorted(Upazila.objects.values_list("code", flat=True))
    data = csv_bytes(national_rows(N, codes))

    started = time.perf_counter()
    report = school_import(rows_source=data, file_name="national.csv")
    first = time.perf_counter() - started
    assert report.ok and report.stored, report.as_text()[:2000]
    assert (report.rows, report.created, report.updated) == (N, N, 0)
    assert School.objects.count() == N
    per_upazila = School.objects.filter(upazila__code=codes[0]).count()
    assert per_upazila == len(range(0, N, len(codes)))
    sample = School.objects.select_related("upazila").get(eiin=f"{100000 + 4321:06d}")
    assert sample.name_bn == "বিদ্যালয় নম্বর 4321"
    assert sample.upazila.code == codes[4321 % len(codes)]
    assert (sample.district_id, sample.division_id) == (sample.upazila.district_id, sample.upazila.division_id)

    started = time.perf_counter()
    again = school_import(rows_source=data, file_name="national.csv")
    unchanged = time.perf_counter() - started
    assert (again.created, again.updated, again.unchanged) == (0, 0, N)

    # Every school renamed: the update path at national scale.
    renamed = csv_bytes(national_rows(N, codes, suffix=" (নতুন)"))
    started = time.perf_counter()
    third = school_import(rows_source=renamed, file_name="national.csv")
    updated = time.perf_counter() - started
    assert (third.created, third.updated) == (0, N)
    assert School.objects.get(eiin="100000").name_en == "School number 0 (নতুন)"

    with capsys.disabled():
        timing = (f"\n65,000-row import: create {first:.1f} s, unchanged re-import {unchanged:.1f} s, "
                  f"update all {updated:.1f} s")
        print(timing)  # noqa: T201
