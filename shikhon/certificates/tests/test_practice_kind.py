"""The certificate of practice (kind "practice", issue 11): issued once per key by certificate_issue_practice, a
snapshot like every certificate, its PDF, page, list and verification saying what it certifies; not counted as
a course certificate; revocable by officers over its place."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.urls import reverse

from shikhon.certificates.models import Certificate
from shikhon.certificates.selectors import certified_count_in, certified_user_ids
from shikhon.certificates.services import (
    certificate_issue_practice,
    certificate_pdf_render,
    certificate_revoke,
    eligibility_text,
)
from shikhon.certificates.tests import pdftext
from shikhon.people.scope import everything_q

pytestmark = pytest.mark.django_db

FAMILY = "0b7d2c1e-1111-4222-8333-444455556666"


@pytest.fixture
def issue(people, places):
    def make(key: str = f"practice:1:{FAMILY}", who: str = "teacher_rubi") -> Certificate:
        school = places["school_hatia"]
        return certificate_issue_practice(
            key=key, user=people[who], title="আনন্দে গণিত শিখি", held_from=dt.date(2026, 9, 1),
            held_to=dt.date(2026, 11, 20),
            place={"school_id": school.pk, "upazila_id": school.upazila_id, "district_id": school.district_id,
                   "division_id": school.division_id})
    return make


def test_issued_once_per_key(issue, people):
    first = issue()
    again = issue()
    assert first.pk == again.pk and Certificate.objects.count() == 1
    assert first.kind == Certificate.Kind.PRACTICE and first.enrolment_id is None and first.family is None
    assert first.holder_name_bn == "রুবি আক্তার" and first.school_name == "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়"
    assert first.pdf and first.issue_key == f"practice:1:{FAMILY}"
    assert issue(key=f"practice:2:{FAMILY}", who="teacher_of_other_school").pk != first.pk


def test_a_bad_key_is_refused(issue):
    with pytest.raises(ValueError):
        issue(key=" ")
    with pytest.raises(ValueError):
        issue(key="x" * 81)
    assert not Certificate.objects.exists()


def test_not_counted_as_a_course_certificate(issue, people):
    issue()
    assert certified_count_in(everything_q()) == 0
    assert eligibility_text(Certificate.objects.get()) == ""


def test_the_pdf_says_certificate_of_practice(issue):
    text = " ".join(pdftext.text_runs(certificate_pdf_render(issue())))
    assert "Certificate of practice" in text
    assert "Earned with classroom evidence" in text
    assert pdftext.page_count(certificate_pdf_render(issue())) == 1


def test_the_page_list_and_verify_say_so(client, issue, people):
    certificate = issue()
    client.force_login(people["teacher_rubi"])
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert "Certificate of practice: the course&#x27;s activities used in class" in body or \
        "Certificate of practice: the course's activities used in class" in body
    assert "Practised" in body and "Certificate of a face-to-face training" not in body
    assert "Certificate of practice" in client.get(reverse("certificates:list")).content.decode()
    client.logout()
    body = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "This certificate is genuine" in body and "Practised" in body


def test_revoked_by_the_officer_over_its_place(client, issue, people):
    certificate = issue()
    client.force_login(people["officer_other_upazila"])
    assert client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"}).status_code == 404
    client.force_login(people["officer_hatia"])
    url = reverse("certificates:revoke", args=[certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "প্রমাণ মেলেনি।"})
    assert response.status_code == 302 and Certificate.objects.get().is_revoked
    with pytest.raises(Exception, match="already revoked"):
        certificate_revoke(actor=people["officer_hatia"], certificate=certificate, reason="আবার।")
    client.logout()
    body = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "This certificate was revoked" in body


@pytest.mark.django_db(transaction=True)
def test_racing_issues_make_one(issue):
    """Two issues of one key at once: one row (the unique key decides), both answered with it."""
    results: list[int] = []

    def run() -> None:
        from django.db import connection

        try:
            results.append(issue().pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Certificate.objects.count() == 1 and len(set(results)) == 1
    assert list(certified_user_ids(uuid.UUID(FAMILY))) == []
