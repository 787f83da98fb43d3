"""The school import service: good files, every kind of bad row and bad file, idempotency."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import IntegrityError
from django.utils import translation

from shikhon.core.models import AuditEvent
from shikhon.core.tests import hostile
from shikhon.places import importing
from shikhon.places.importing import school_import, school_import_audited
from shikhon.places.models import School, Union, Upazila
from shikhon.places.tests.factories import SchoolFactory
from shikhon.places.tests.files import HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HATIA, SUBARNACHAR, NOAKHALI_COMPANIGANJ, SYLHET_COMPANIGANJ = 46, 47, 44, 275


def row(eiin="100001", name_bn="হাতিয়া সরকারি প্রাথমিক বিদ্যালয়", name_en="Hatia Government Primary School",
        kind="gov_primary", upazila="46", district="", union=""):
    return (eiin, name_bn, name_en, kind, upazila, district, union)


def run(rows, *, header=HEADER, name="schools.csv", dry_run=False, **kwargs):
    return school_import(rows_source=csv_bytes(rows, header, **kwargs), file_name=name, dry_run=dry_run)


def problems(report) -> dict[int, list[str]]:
    with translation.override("en"):
        return {p.row: [str(m) for m in p.messages] for p in report.problems}


def file_errors(report) -> list[str]:
    with translation.override("en"):
        return [str(m) for m in report.file_errors]


# --- good files -------------------------------------------------------------------------------


def test_good_csv_creates_schools_with_their_places():
    report = run([
        row(),
        row(eiin="100002", name_bn="চরকিং সরকারি প্রাথমিক বিদ্যালয়", name_en="", kind="secondary",
            union="Charking"),
    ])
    assert report.ok and report.stored
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    hatia = Upazila.objects.get(code=HATIA)
    first = School.objects.get(eiin="100001")
    assert (first.name_bn, first.name_en, first.kind) == (
        "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়", "Hatia Government Primary School", "gov_primary")
    assert (first.upazila_id, first.district_id, first.division_id) == (hatia.pk, hatia.district_id, hatia.division_id)
    assert first.union is None and first.is_active
    second = School.objects.get(eiin="100002")
    assert second.name_en == "" and second.kind == "secondary"
    assert second.union == Union.objects.get(code=425)


def test_csv_with_bom_semicolons_and_crlf_is_read():
    report = run([row()], bom=True, delimiter=";")
    assert report.stored, report.as_text()
    assert School.objects.filter(eiin="100001").exists()


def test_xlsx_with_numeric_cells_is_read():
    data = xlsx_bytes([(100001, "হাতিয়া বিদ্যালয়", "Hatia School", "Madrasa", 46, None, None),
                       (100002.0, "চর বিদ্যালয়", None, "reg_primary", 47.0, "Noakhali", "Charjabbar")])
    report = school_import(rows_source=data, file_name="Schools.XLSX")
    assert report.stored, report.as_text()
    assert School.objects.get(eiin="100001").kind == "madrasa"
    second = School.objects.get(eiin="100002")
    assert second.upazila.code == SUBARNACHAR and second.union.code == 431 and second.name_en == ""


def test_bangla_headers_bangla_digits_and_bangla_names():
    header = ("ইআইআইএন", "বিদ্যালয়ের নাম", "ইংরেজি নাম", "ধরন", "উপজেলা", "জেলা", "ইউনিয়ন")
    report = run([
        ("১০০০০১", "হাতিয়া বিদ্যালয়", "", "সরকারি প্রাথমিক বিদ্যালয়", "হাতিয়া", "", "সুখচর"),
        ("১০০০০২", "সুবর্ণচর বিদ্যালয়", "", "মাদ্রাসা", "৪৭", "নোয়াখালী", ""),
    ], header=header)
    assert report.stored, report.as_text()
    first = School.objects.get(eiin="100001")
    assert first.upazila.code == HATIA and first.union.code == 422 and first.kind == "gov_primary"
    assert School.objects.get(eiin="100002").upazila.code == SUBARNACHAR


def test_headers_are_case_insensitive_columns_in_any_order_extra_columns_reported():
    header = ("Upazila", "EIIN", "Kind", "Name_BN", "Remarks")
    report = run([("Hatia", "100001", "Secondary school", "হাতিয়া উচ্চ বিদ্যালয়", "new")], header=header)
    assert report.stored, report.as_text()
    assert report.ignored_columns == ["Remarks"]
    assert School.objects.get(eiin="100001").kind == "secondary"


@pytest.mark.parametrize("kind, stored", [
    ("gov_primary", "gov_primary"), ("Government primary school", "gov_primary"),
    ("SCHOOL AND COLLEGE", "higher_secondary"), ("স্কুল ও কলেজ", "higher_secondary"),
    ("মাধ্যমিক বিদ্যালয়", "secondary"), ("other", "other"),
])
def test_kind_as_value_or_label(kind, stored):
    assert run([row(kind=kind)]).stored
    assert School.objects.get(eiin="100001").kind == stored


@pytest.mark.parametrize("upazila", ["46", "৪৬", "Hatia", "hatia upazila", "হাতিয়া", "হাতিয়া উপজেলা"])
def test_upazila_by_code_or_name(upazila):
    assert run([row(upazila=upazila)]).stored
    assert School.objects.get(eiin="100001").upazila.code == HATIA


def test_ambiguous_upazila_name_needs_a_district():
    report = run([row(upazila="Companiganj")])
    assert not report.stored
    [message] = problems(report)[2]
    assert "More than one upazila is called “Companiganj”" in message
    assert "Noakhali" in message and "Sylhet" in message
    assert not School.objects.exists()

    report = run([row(upazila="Companiganj", district="Sylhet"),
                  row(eiin="100002", upazila="কোম্পানীগঞ্জ", district="নোয়াখালী")])
    assert report.stored, report.as_text()
    assert School.objects.get(eiin="100001").upazila.code == SYLHET_COMPANIGANJ
    assert School.objects.get(eiin="100002").upazila.code == NOAKHALI_COMPANIGANJ


def test_district_alias_spelling():
    report = run([row(upazila="Companiganj", district="Chittagong")])
    assert not report.stored  # Chattogram district has no Companiganj upazila
    assert "is not in" in problems(report)[2][0]
    assert run([row(upazila="Hatia", district="Noakhali District")]).stored


# --- bad rows: each is reported, nothing is stored -------------------------------------------


@pytest.mark.parametrize("bad, expected", [
    (row(eiin=""), "The EIIN is missing"),
    (row(eiin="12345"), "“12345” is not an EIIN"),
    (row(eiin="1234567"), "is not an EIIN"),
    (row(eiin="12a456"), "is not an EIIN"),
    (row(eiin="١٢٣٤٥٦"), "is not an EIIN"),  # Arabic-Indic digits are not Bangla digits
    (row(name_bn=""), "The Bangla name is missing"),
    (row(name_bn="ক" * 201), "longer than 200 characters"),
    (row(name_en="A" * 201), "English name is longer than 200 characters"),
    (row(name_bn="হাতিয়া\x1bবিদ্যালয়"), "hidden control characters"),
    (row(name_en="Hatia\x7fSchool"), "English name contains hidden control characters"),
    (row(name_bn="হাতিয়া \u202eবিদ্যালয়"), "Bangla name contains hidden control characters"),  # bidi override
    (row(name_en="Hatia\u2066 School"), "English name contains hidden control characters"),
    (row(kind=""), "The kind of school is missing"),
    (row(kind="university"), "“university” is not a kind of school we know"),
    (row(upazila=""), "The upazila is missing"),
    (row(upazila="9999"), "There is no upazila with the code 9999"),
    (row(upazila="Atlantis"), "No upazila is called “Atlantis”"),
    (row(district="Gotham"), "No district is called “Gotham”"),
    (row(upazila="Hatia", district="Sylhet"), "“Hatia” is not in Sylhet district"),
    (row(union="Nowhere"), "upazila has no union called “Nowhere”"),
    (row(union="431"), "is not in Hatia upazila"),  # a Subarnachar union
    (row(union="999999"), "There is no union with the code 999999"),
])
def test_each_bad_row_is_reported_and_nothing_is_stored(bad, expected):
    report = run([row(eiin="100009"), bad])
    assert not report.ok and not report.stored
    found = problems(report)
    assert list(found) == [3], found
    assert any(expected in message for message in found[3]), found
    assert not School.objects.exists()
    assert (report.created, report.updated) == (0, 0)
    with translation.override("en"):
        assert "Nothing was imported" in str(report.summary)


def test_ambiguous_union_name_needs_a_code():
    bhola_upazila = Upazila.objects.get(code=261)
    report = run([row(upazila="261", union="Awajpur")])
    assert "more than one union" in problems(report)[2][0]
    assert run([row(upazila="261", union="2353")]).stored
    assert School.objects.get(eiin="100001").union.upazila == bhola_upazila


def test_duplicate_eiin_in_the_file_names_the_first_row():
    report = run([row(), row(eiin="100002"), row(eiin="১০০০০১")])
    assert problems(report) == {4: ["EIIN 100001 is also on row 2. List each school only once."]}
    assert not School.objects.exists()


def test_all_problems_of_a_row_are_listed_and_row_numbers_follow_the_spreadsheet():
    report = run([row(), ("", "", "", "", "", "", ""), ("abc", "", "", "weird", "Atlantis", "", "")])
    found = problems(report)
    assert list(found) == [4]  # row 3 is blank and skipped, but still counted
    assert len(found[4]) == 4


def test_overly_long_cells_are_cut_in_messages():
    report = run([row(upazila="x" * 5000)])
    [message] = problems(report)[2]
    assert len(message) < 200


def test_good_rows_of_a_bad_file_are_not_stored():
    SchoolFactory(eiin="100001", name_bn="পুরনো নাম")
    report = run([row(name_bn="নতুন নাম"), row(eiin="100002"), row(eiin="bad")])
    assert not report.stored
    assert School.objects.get(eiin="100001").name_bn == "পুরনো নাম"
    assert not School.objects.filter(eiin="100002").exists()


def test_messages_show_numbers_in_the_readers_language():
    report = run([row(), row()])
    with translation.override("bn"):
        assert "২" in str(report.problems[0].messages[0])
    with translation.override("en"):
        assert "row 2" in str(report.problems[0].messages[0])


# --- bad files --------------------------------------------------------------------------------


def test_too_big_file_is_refused_before_reading(settings):
    settings.SHIKHON_IMPORT_MAX_BYTES = 2 * 2**20
    data = csv_bytes([row()]) + b"," * (2 * 2**20)
    report = school_import(rows_source=io.BytesIO(data), file_name="big.csv")
    assert file_errors(report) == ["The file is larger than 2 MB. Split the list into smaller files and import "
                                   "them one after another."]
    assert not School.objects.exists()


@pytest.mark.parametrize("name, data, expected", [
    ("schools.csv", hostile.pdf(), "Only CSV and Excel (.xlsx) files can be imported"),
    ("schools.xlsx", hostile.picture("PNG"), "Only CSV and Excel (.xlsx) files can be imported"),
    ("schools.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Old Excel files (.xls) cannot be read"),
    ("schools.csv", hostile.HTML, "web page code"),
])
def test_other_file_types_are_refused(name, data, expected):
    report = school_import(rows_source=data, file_name=name)
    assert expected in file_errors(report)[0]
    assert not School.objects.exists()


@pytest.mark.parametrize("name", ["schools.pdf", "schools", "schools.txt", "schools.xls"])
def test_the_type_is_read_from_the_bytes_not_the_name(name):
    assert run([row()], name=name).created == 1


@pytest.mark.parametrize("case", sorted(hostile.hostile("school_list")))
def test_the_hostile_corpus_is_refused_with_one_sentence(case):
    name, data = hostile.hostile("school_list")[case]
    report = school_import(rows_source=data, file_name=name)
    assert len(file_errors(report)) == 1 and "%(" not in file_errors(report)[0]
    assert not School.objects.exists()


def test_non_utf8_csv_is_refused():
    data = "eiin,name_bn,kind,upazila\n100001,Café école,other,46\n".encode("latin-1")
    assert "not in UTF-8" in file_errors(school_import(rows_source=data, file_name="a.csv"))[0]
    utf16 = "eiin,name_bn,kind,upazila\n100001,স্কুল,other,46\n".encode("utf-16")
    assert "not in UTF-8" in file_errors(school_import(rows_source=utf16, file_name="a.csv"))[0]


def test_csv_with_nul_bytes_is_refused_as_not_text():
    report = run([row(name_bn="হাতিয়া\x00বিদ্যালয়")])
    assert "not a CSV text file" in file_errors(report)[0]


def test_excel_file_named_csv_is_read_as_excel():
    report = school_import(rows_source=xlsx_bytes([row()]), file_name="schools.csv")
    assert report.created == 1


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"\x00" * 100,
    xlsx_bytes([row()])[:500],
])
def test_broken_xlsx_is_refused(data):
    report = school_import(rows_source=data, file_name="schools.xlsx")
    assert "The Excel file could not be read" in file_errors(report)[0]


def test_zip_bomb_xlsx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\x00" * (80 * 2**20))
    report = school_import(rows_source=out.getvalue(), file_name="bomb.xlsx")
    assert "The Excel file could not be read" in file_errors(report)[0]


def test_workbook_that_is_not_a_spreadsheet_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    report = school_import(rows_source=out.getvalue(), file_name="schools.xlsx")
    assert "Only CSV and Excel (.xlsx) files can be imported" in file_errors(report)[0]


def test_text_named_xlsx_is_read_as_the_text_it_is():
    report = school_import(rows_source=b"this is not a zip file at all", file_name="schools.xlsx")
    assert "The header row lacks these columns" in file_errors(report)[0]


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data):
    assert "The file is empty" in file_errors(school_import(rows_source=data, file_name="a.csv"))[0]


def test_header_without_rows_is_refused():
    report = run([])
    assert "has a header row but no schools" in file_errors(report)[0]


def test_missing_required_columns_are_named():
    report = run([("100001", "নাম")], header=("eiin", "name_bn"))
    assert file_errors(report) == [
        "The header row lacks these columns: kind, upazila. The first row must name the columns: eiin, name_bn, "
        "name_en, kind, upazila, district, union."]


def test_duplicate_column_is_refused():
    report = run([row() + ("100002",)], header=(*HEADER, "EIIN"))
    assert "The column “EIIN” appears twice" in file_errors(report)[0]


def test_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    report = run([row(eiin=f"10000{n}") for n in range(4)])
    assert file_errors(report) == ["The file has more than 3 rows. Split it into smaller files and import them "
                                   "one after another."]
    assert not School.objects.exists()


def test_unreadable_csv_is_refused():
    # A cell longer than the csv module's field limit (131,072 characters), e.g. an unclosed quote.
    data = b'eiin,name_bn,kind,upazila\n100001,"' + "ক".encode() * 200_000 + b'",other,46\n'
    report = school_import(rows_source=data, file_name="a.csv")
    assert "could not be read as CSV" in file_errors(report)[0]


# --- idempotency, updates, dry runs -----------------------------------------------------------


def test_importing_twice_changes_nothing_the_second_time():
    rows = [row(), row(eiin="100002", upazila="47", union="Charjabbar")]
    assert run(rows).created == 2
    stamps = dict(School.objects.values_list("eiin", "updated_at"))
    again = run(rows)
    assert again.stored and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(School.objects.values_list("eiin", "updated_at")) == stamps
    assert School.objects.count() == 2


def test_reimport_updates_changed_schools_only():
    run([row(), row(eiin="100002")])
    before = School.objects.get(eiin="100002").updated_at
    report = run([row(name_bn="হাতিয়া আদর্শ বিদ্যালয়", upazila="47", union="Charbata"), row(eiin="100002")])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    [change] = report.changes
    assert (change.row, change.eiin) == (2, "100001")
    assert set(change.fields) == {"name_bn", "upazila_id", "union_id"}
    with translation.override("en"):
        assert change.field_labels == "name (Bangla), upazila, union"
    school = School.objects.get(eiin="100001")
    subarnachar = Upazila.objects.get(code=SUBARNACHAR)
    assert school.name_bn == "হাতিয়া আদর্শ বিদ্যালয়"
    assert (school.upazila_id, school.district_id, school.division_id) == (
        subarnachar.pk, subarnachar.district_id, subarnachar.division_id)
    assert school.union.code == 432
    assert school.updated_at > school.created_at
    assert School.objects.get(eiin="100002").updated_at == before


def test_optional_columns_left_out_keep_what_is_stored():
    run([row(name_en="Hatia School", union="Sukhchar")])
    report = run([("100001", "হাতিয়া বিদ্যালয়", "secondary", "46")], header=("eiin", "name_bn", "kind", "upazila"))
    assert report.updated == 1
    school = School.objects.get(eiin="100001")
    assert school.name_en == "Hatia School" and school.union.code == 422 and school.kind == "secondary"
    # Moving to another upazila without a union column drops the old upazila's union.
    run([("100001", "হাতিয়া বিদ্যালয়", "secondary", "47")], header=("eiin", "name_bn", "kind", "upazila"))
    assert School.objects.get(eiin="100001").union is None


def test_blank_optional_cells_clear_stored_values():
    run([row(name_en="Hatia School", union="Sukhchar")])
    run([row(name_en="", union="")])
    school = School.objects.get(eiin="100001")
    assert school.name_en == "" and school.union is None


def test_dry_run_reports_but_stores_nothing():
    SchoolFactory(eiin="100001", name_bn="পুরনো নাম", upazila=Upazila.objects.get(code=HATIA))
    report = run([row(), row(eiin="100002")], dry_run=True)
    assert report.ok and not report.stored
    assert (report.created, report.updated) == (1, 1)
    assert School.objects.get(eiin="100001").name_bn == "পুরনো নাম"
    assert not School.objects.filter(eiin="100002").exists()
    with translation.override("en"):
        assert "Nothing was stored yet" in str(report.summary)


def test_concurrent_import_conflict_is_reported_not_raised(monkeypatch):
    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(School.objects, "bulk_create", clash)
    report = run([row()])
    assert not report.stored and report.created == 0
    assert "Another import changed the same schools" in file_errors(report)[0]


# --- the audited wrapper ----------------------------------------------------------------------


def test_audited_import_records_who_and_how_many(people):
    admin = people["national_admin_nasrin"]
    report = school_import_audited(actor=admin, rows_source=csv_bytes([row(eiin="200001"), row(eiin="200002")]),
                                   file_name="uploads/list.csv")
    assert report.stored
    event = AuditEvent.objects.get(action="schools_imported")
    assert event.actor == admin
    assert event.details == {"file_name": "list.csv", "rows": 2, "created": 2, "updated": 0, "unchanged": 0,
                             "source": "page"}
    assert event.summary == "list.csv: 2 created, 0 updated, 0 unchanged"


@pytest.mark.parametrize("rows, dry_run", [([row()], True), ([row(eiin="bad")], False)])
def test_no_audit_event_when_nothing_is_stored(rows, dry_run):
    school_import_audited(actor=None, rows_source=csv_bytes(rows), file_name="a.csv", dry_run=dry_run)
    assert not AuditEvent.objects.exists()


def test_report_as_text_lists_every_problem_in_english():
    report = run([row(eiin="bad"), row(eiin="100002", kind="")])
    with translation.override("en"):
        text = report.as_text()
    assert text.splitlines() == [
        "File: schools.csv",
        "Row 2 (EIIN bad): “bad” is not an EIIN. An EIIN is 6 digits, for example 108765.",
        "Row 3 (EIIN 100002): The kind of school is missing. Use one of: gov_primary, reg_primary, secondary, "
        "higher_secondary, madrasa, other.",
        "Rows with problems: 2 of 2. Nothing was imported. Fix the rows listed and upload the whole file again.",
    ]
