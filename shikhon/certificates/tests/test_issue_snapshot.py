"""What every certificate states (issue 10): the eligibility for face-to-face training, the issuing authority, the
hours of study, and one date of issue — Dhaka's, stored once — on the page and in the PDF alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from shikhon.certificates import eligibility, services
from shikhon.certificates.models import Certificate
from shikhon.certificates.selectors import verify_codes
from shikhon.certificates.services import certificate_issue, certificate_issue_training
from shikhon.certificates.tests import pdftext
from shikhon.core.bangla import format_date
from shikhon.core.clock import DHAKA

pytestmark = pytest.mark.django_db


def _text(certificate: Certificate) -> str:
    return "\n".join(pdftext.text_runs(certificate.pdf.read()))


def test_course_certificate_states_eligibility_authority_and_hours(rubi_certificate, course):
    certificate = rubi_certificate
    assert certificate.kind == Certificate.Kind.COURSE
    assert (certificate.authority_bn, certificate.authority_en) == (
        "প্রাথমিক শিক্ষা অধিদপ্তর", "Directorate of Primary Education")
    assert certificate.hours == course.estimated_hours
    text = _text(certificate)
    assert "This certificate makes its holder eligible for the face-to-face training." in text
    assert "প্রাথমিক শিক্ষা অধিদপ্তর" in text and "Directorate of Primary Education" in text
    assert f"Hours of study: {course.estimated_hours}" in text


def test_the_authority_comes_from_the_settings(settings, rubi_enrolment):
    settings.SHIKHON_CERTIFICATE_AUTHORITY_BN = "জাতীয় প্রাথমিক শিক্ষা একাডেমি"
    settings.SHIKHON_CERTIFICATE_AUTHORITY_EN = "National Academy for Primary Education"
    certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None
    assert "National Academy for Primary Education" in _text(certificate)
    settings.SHIKHON_CERTIFICATE_AUTHORITY_EN = "Someone else"  # issued certificates keep what they said
    certificate.refresh_from_db()
    assert certificate.authority_en == "National Academy for Primary Education"


def test_a_missing_logo_is_left_out_not_an_error(settings, rubi_enrolment):
    settings.SHIKHON_CERTIFICATE_LOGO = "img/no-such-logo.svg"
    certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None and certificate.pdf


def test_the_programme_is_named_when_a_reader_names_it(rubi_enrolment, monkeypatch):
    monkeypatch.setattr(eligibility, "_readers", [lambda family: ["Joyful maths, face to face"]])
    certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None
    assert certificate.eligible_for == "Joyful maths, face to face"
    assert "eligible for the face-to-face training Joyful maths, face to face." in _text(certificate)


def test_the_page_states_eligibility_authority_and_hours(client, people, rubi_certificate):
    client.force_login(people["teacher_rubi"])
    body = client.get(rubi_certificate.get_absolute_url()).content.decode()
    assert "This certificate makes its holder eligible for the face-to-face training." in body
    assert "প্রাথমিক শিক্ষা অধিদপ্তর" in body and "Hours of study" in body


def test_page_and_pdf_print_the_same_dhaka_date_near_midnight(client, people, rubi_enrolment, dhaka_small_hours):
    """01:30 in Dhaka is 19:30 UTC of the day before: both the page and the PDF print Dhaka's day."""
    certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None
    dhaka_day = certificate.issued_at.astimezone(DHAKA).date()
    assert certificate.issued_on == dhaka_day != certificate.issued_at.astimezone(dt.UTC).date()
    printed = format_date(dhaka_day, "bn")
    with translation.override("en"):
        printed_en = format_date(dhaka_day, "en")
    text = _text(certificate)  # the PDF's Bangla vowel signs do not survive text extraction: its English line
    assert f"Date: {printed_en}" in text and printed.split()[0] in text
    client.force_login(people["teacher_rubi"])
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert f'<dd id="issued-on">{printed}</dd>' in body
    verify = client.get(certificate.get_verify_url()).content.decode()
    assert printed in verify


def _training(people, places, key="training-invitation:1") -> Certificate:
    school = places["school_hatia"]
    return certificate_issue_training(
        key=key, user=people["teacher_rubi"], title="আনন্দে গণিত: মুখোমুখি প্রশিক্ষণ", hours=36,
        venue="উপজেলা রিসোর্স সেন্টার, হাতিয়া", held_from=dt.date(2026, 11, 1), held_to=dt.date(2026, 11, 6),
        place={"school_id": school.pk, "upazila_id": school.upazila_id, "district_id": school.district_id,
               "division_id": school.division_id})


def test_training_certificate_is_issued_once_per_key(people, places):
    first = _training(people, places)
    again = _training(people, places)
    assert first.pk == again.pk and Certificate.objects.count() == 1
    assert first.kind == Certificate.Kind.TRAINING and first.enrolment_id is None and first.family is None
    assert first.school_name == places["school_hatia"].name_bn and first.upazila_id == places["hatia"].pk
    assert _training(people, places, key="training-invitation:2").pk != first.pk


def test_training_certificate_pdf(people, places):
    text = _text(_training(people, places))
    assert "Certificate of face-to-face training" in text and "প্রশিক্ষণ সনদপত্র" in text
    assert "Hours of training: 36" in text and "Directorate of Primary Education" in text
    assert "রুবি আক্তার" in text and "Rubi Akter" in text
    assert "Venue: " in text and "1 November 2026 – 6 November 2026" in text
    assert "eligible" not in text


@pytest.mark.parametrize("key", ["", " ", "x" * 81])
def test_training_certificate_needs_a_key(people, places, key):
    with pytest.raises(ValueError):
        _training(people, places, key=key)
    assert not Certificate.objects.exists()


def test_a_training_certificate_is_verified_listed_and_revoked_like_a_course_certificate(client, people, places):
    certificate = _training(people, places)
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "This certificate is genuine" in body and "a face-to-face training" in body
    assert "উপজেলা রিসোর্স সেন্টার, হাতিয়া" in body and "Directorate of Primary Education" in body
    [result] = verify_codes([certificate.code])  # what the bulk verify API answers
    assert (result["status"], result["kind"], result["hours"]) == ("valid", "training", 36)
    assert result["course"] == "আনন্দে গণিত: মুখোমুখি প্রশিক্ষণ" and result["issued_on"] == certificate.issued_on
    client.force_login(people["teacher_rubi"])
    listed = client.get(reverse("certificates:list")).content.decode()
    assert certificate.get_absolute_url() in listed and "Face-to-face training" in listed
    services.certificate_revoke(actor=people["officer_hatia"], certificate=certificate, reason="ভুল করে দেওয়া।")
    assert "This certificate was revoked" in client.get(certificate.get_verify_url()).content.decode()


@pytest.mark.parametrize("who, status", [("teacher_rubi", 200), ("head_teacher_masuma", 200),
                                         ("officer_hatia", 200), ("teacher_of_other_school", 404),
                                         ("officer_other_upazila", 404), ("officer_sylhet_upazila", 404)])
def test_training_certificate_page_by_role(client, people, places, who, status):
    certificate = _training(people, places)
    client.force_login(people[who])
    assert client.get(certificate.get_absolute_url()).status_code == status
    assert client.get(reverse("certificates:pdf", kwargs={"pk": certificate.pk})).status_code == status


def test_a_course_certificate_cannot_lack_its_enrolment(rubi_certificate):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=rubi_certificate.pk).update(enrolment=None)


def test_pdfs_printed_for_another_address_are_drawn_again(settings, rubi_certificate,
                                                          django_capture_on_commit_callbacks):
    from shikhon.certificates.services import certificate_pdfs_refresh

    assert rubi_certificate.pdf_public_url == "https://shikhon.example.gov.bd"
    assert certificate_pdfs_refresh() == 0
    settings.SHIKHON_PUBLIC_URL = "http://127.0.0.1:8123"  # the demo on another port
    assert certificate_pdfs_refresh() == 1  # the old file dropped, the PDF task queued (run at once in tests)
    rubi_certificate.refresh_from_db()
    if not rubi_certificate.pdf:
        services.certificate_pdf_store(certificate_id=rubi_certificate.pk)
        rubi_certificate.refresh_from_db()
    assert rubi_certificate.pdf_public_url == "http://127.0.0.1:8123"
    assert f"http://127.0.0.1:8123/verify/{rubi_certificate.code}/" in _text(rubi_certificate)
    assert certificate_pdfs_refresh() == 0
