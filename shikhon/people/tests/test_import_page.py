"""The school-list upload page: national admins only, report in the reader's language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shikhon.core.models import AuditEvent
from shikhon.places.models import School
from shikhon.places.tests.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/schools/import/"
GOOD = [("200001", "নতুন বিদ্যালয়", "New School", "gov_primary", "46", "", ""),
        ("100001", "হাতিয়া সরকারি প্রাথমিক বিদ্যালয় (নতুন নাম)", "Hatia Government Primary School", "gov_primary",
         "46", "", "")]
EVERYONE_ELSE = ["teacher_rubi", "head_teacher_masuma", "teacher_pending_zahid", "teacher_of_other_school",
                 "teacher_subarnachar", "head_teacher_subarnachar", "mentor_hatia", "officer_hatia",
                 "officer_other_upazila", "officer_noakhali", "officer_sylhet_upazila", "officer_chattagram",
                 "researcher_tanvir", "no_role_user"]


@pytest.fixture
def nasrin(client, people):
    client.force_login(people["national_admin_nasrin"])
    return people["national_admin_nasrin"]


def upload(client, data, name="schools.csv", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})


def test_url_name():
    assert reverse("people:import_schools") == URL


def test_national_admin_sees_the_form(client, nasrin):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page and 'name="check_only"' in page


@pytest.mark.parametrize("who", EVERYONE_ELSE)
def test_everyone_else_gets_404_and_cannot_import(client, people, who):
    client.force_login(people[who])
    assert client.get(URL).status_code == 404
    assert upload(client, csv_bytes(GOOD)).status_code == 404
    assert not School.objects.filter(eiin="200001").exists()
    assert not AuditEvent.objects.exists()


def test_visitors_are_sent_to_sign_in(client, places):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("people:sign_in") in response.url


def test_import_stores_schools_and_says_how_many(client, nasrin):
    client.cookies["django_language"] = "en"
    response = upload(client, csv_bytes(GOOD))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The school list was imported. Schools added: 1. Changed: 1." in page
    assert "Schools changed" in page and "name (Bangla)" in page
    assert School.objects.get(eiin="200001").name_en == "New School"
    assert School.objects.get(eiin="100001").name_bn.endswith("(নতুন নাম)")
    event = AuditEvent.objects.get(action="schools_imported")
    assert event.actor == nasrin and event.details["created"] == 1 and event.details["updated"] == 1


def test_check_only_stores_nothing(client, nasrin):
    client.cookies["django_language"] = "en"
    page = upload(client, xlsx_bytes(GOOD), name="schools.xlsx", check_only="on").content.decode()
    assert "Every row is correct. Rows: 2. New schools: 1. To change: 1." in page
    assert "Schools that would change" in page
    assert not School.objects.filter(eiin="200001").exists()
    assert not AuditEvent.objects.exists()


def test_bad_rows_are_listed_in_bangla_and_nothing_is_stored(client, nasrin):
    rows = [*GOOD, ("১২৩", "", "", "gov_primary", "46", "", "")]
    page = upload(client, csv_bytes(rows)).content.decode()
    assert "সারি ৪" in page or "Row ৪" in page  # the row number in Bangla digits
    assert "“১২৩”" in page
    assert not School.objects.filter(eiin="200001").exists()


def test_long_error_lists_are_capped_at_200_rows(client, nasrin):
    client.cookies["django_language"] = "en"
    rows = [(f"bad{n}", "নাম", "", "gov_primary", "46", "", "") for n in range(230)]
    page = upload(client, csv_bytes(rows)).content.decode()
    assert page.count("is not an EIIN") == 200
    assert "…and 30 more rows with problems." in page
    assert "Rows with problems: 230 of 230. Nothing was imported." in page


@pytest.mark.parametrize("name, data, expected", [
    ("schools.pdf", b"%PDF-1.4", "Only CSV and Excel (.xlsx) files can be imported"),
    ("schools.csv", "eiin,name_bn\n1,é\n".encode("latin-1"), "The file is not in UTF-8"),
    ("schools.xlsx", b"PK\x03\x04broken", "The Excel file could not be read"),
    ("schools.csv", b"eiin,name\n100001,x\n", "The header row lacks these columns: name_bn, kind, upazila."),
])
def test_bad_files_get_a_clear_sentence(client, nasrin, name, data, expected):
    client.cookies["django_language"] = "en"
    response = upload(client, data, name=name)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_too_big_upload_is_refused_before_it_is_read(client, nasrin, settings):
    settings.SHIKHON_IMPORT_MAX_BYTES = 2**20
    client.cookies["django_language"] = "en"
    response = upload(client, csv_bytes(GOOD) + b"#" * (2**20 + 100_000))
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not School.objects.filter(eiin="200001").exists()


def test_a_file_is_required(client, nasrin):
    response = client.post(URL, {})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
