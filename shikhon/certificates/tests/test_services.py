from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from shikhon.certificates import services
from shikhon.certificates.codes import ALPHABET, LENGTH, format_code, new_code, normalize_code
from shikhon.certificates.models import Certificate
from shikhon.certificates.services import certificate_issue, certificate_pdf_ensure, certificate_revoke, public_url
from shikhon.certificates.tasks import certificate_issue_task
from shikhon.certificates.tests import pdftext
from shikhon.core import pdf as pdf_module
from shikhon.core import sms
from shikhon.core.models import AuditEvent
from shikhon.courses.signals import course_completed
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------ codes


def test_codes_are_16_characters_of_the_alphabet_and_differ():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert len(ALPHABET) == 32 and not set("01OI") & set(ALPHABET)  # 16 × 5 = 80 bits, nothing to confuse


@pytest.mark.parametrize("raw, expected", [
    ("ABCD2345EFGH6789", "ABCD2345EFGH6789"),
    ("abcd-2345-efgh-6789", "ABCD2345EFGH6789"),
    (" ABCD 2345 EFGH 6789 ", "ABCD2345EFGH6789"),
    ("ABCD–২৩৪৫–EFGH–৬৭৮৯", "ABCD2345EFGH6789"),  # en dashes, Bangla digits
    ("ABCD2345EFGH678", None),  # too short
    ("ABCD2345EFGH67899", None),  # too long
    ("ABCD2345EFGH6780", None),  # 0 is not in the alphabet
    ("ABCD2345EFGH678O", None),
    ("ABCD2345EFGH678!", None),
    ("", None),
    ("A" * 1000, None),
    (None, None),
])
def test_normalize_code(raw, expected):
    assert normalize_code(raw) == expected
    assert services.normalize_code is normalize_code


def test_format_code_groups_by_four():
    assert format_code("ABCD2345EFGH6789") == "ABCD-2345-EFGH-6789"


def test_public_url(settings):
    settings.SHIKHON_PUBLIC_URL = "https://shikhon.gov.bd/"
    assert public_url("/verify/X/") == "https://shikhon.gov.bd/verify/X/"
    settings.SHIKHON_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    assert public_url("/verify/X/") == "http://127.0.0.1:8000/verify/X/"
    settings.ALLOWED_HOSTS = [".example.org", "shikhon.gov.bd"]
    settings.SECURE_SSL_REDIRECT = True
    assert public_url("/v/") == "https://shikhon.gov.bd/v/"
    settings.ALLOWED_HOSTS = []
    assert public_url("/v/") == "http://127.0.0.1:8000/v/"


# ------------------------------------------------------------------------------------------------ issue


def test_issue_snapshots_the_enrolment(people, places, rubi_enrolment):
    certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None
    rubi, school = people["teacher_rubi"], places["school_hatia"]
    assert certificate.user == rubi and certificate.enrolment == rubi_enrolment
    assert certificate.course_id == rubi_enrolment.course_id and certificate.family == rubi_enrolment.family
    assert (certificate.holder_name_bn, certificate.holder_name_en) == ("রুবি আক্তার", "Rubi Akter")
    assert certificate.school_name == school.name_bn
    assert certificate.course_title == "আনন্দে গণিত শিখি"
    assert (certificate.school_id, certificate.upazila_id, certificate.district_id, certificate.division_id) == (
        school.pk, school.upazila_id, school.district_id, school.division_id)
    assert normalize_code(certificate.code) == certificate.code
    assert certificate.pdf.name.startswith("certificates/") and certificate.pdf.name.endswith(".pdf")
    assert not certificate.is_revoked


def test_issue_is_none_until_the_enrolment_is_completed(people, places, enrol):
    enrolment = enrol(people["teacher_rubi"], places["school_hatia"], completed=False)
    assert certificate_issue(enrolment_id=enrolment.pk) is None
    assert certificate_issue(enrolment_id=10**9) is None
    assert not Certificate.objects.exists()


def test_issue_twice_gives_the_same_certificate_and_one_notification(people, rubi_enrolment):
    first = certificate_issue(enrolment_id=rubi_enrolment.pk)
    second = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert first == second
    assert Certificate.objects.count() == 1
    notification = Notification.objects.get(recipient=people["teacher_rubi"])
    assert notification.kind == "certificate_issued"
    assert notification.event_key == f"certificate:{first.pk}:issued"
    assert notification.params == {"course": "আনন্দে গণিত শিখি", "code": format_code(first.code)}
    assert notification.url == first.get_absolute_url()


def test_task_twice_issues_once(rubi_enrolment):
    first = certificate_issue_task.enqueue(enrolment_id=rubi_enrolment.pk)
    second = certificate_issue_task.enqueue(enrolment_id=rubi_enrolment.pk)
    assert first.return_value == second.return_value == Certificate.objects.get().pk


def test_signal_after_commit_issues_exactly_one(people, rubi_enrolment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_completed.send(sender=None, enrolment_id=rubi_enrolment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        course_completed.send(sender=None, enrolment_id=rubi_enrolment.pk)
    certificate = Certificate.objects.get()
    assert certificate.enrolment == rubi_enrolment
    assert Notification.objects.filter(recipient=people["teacher_rubi"], kind="certificate_issued").count() == 1
    # She asked for an SMS by default: one, in Bangla, with the code.
    texts = [message for message in sms.outbox if format_code(certificate.code) in message.body]
    assert len(texts) == 1


def test_a_concurrent_issue_that_won_is_returned(rubi_enrolment):
    """Two workers: the other one wrote its row while we were rendering our PDF."""
    winner: list[Certificate] = []

    def render_while_the_other_worker_issues(certificate):
        other = Certificate(**{f.attname: getattr(certificate, f.attname)
                               for f in Certificate._meta.concrete_fields if f.attname != "id"})
        other.code, other.pdf = new_code(), ""
        other.save(force_insert=True)
        winner.append(other)
        return b"%PDF-1.7 ours"

    with mock.patch.object(services, "certificate_pdf_render", render_while_the_other_worker_issues):
        certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None and certificate.pk == winner[0].pk
    assert Certificate.objects.count() == 1
    assert not Notification.objects.exists()  # the winner's run tells her, not ours


def test_a_code_clash_tries_another_code(rubi_enrolment, people, places, enrol):
    other = certificate_issue(enrolment_id=enrol(people["teacher_of_other_school"], places["school_hatia_2"]).pk)
    codes = iter([other.code, "ABCD2345EFGH6789"])
    with mock.patch.object(services, "new_code", lambda: next(codes)):
        certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate.code == "ABCD2345EFGH6789"
    assert not certificate.pdf  # printed with the clashing code: dropped, made again on download
    certificate_pdf_ensure(certificate)
    assert "ABCD-2345-EFGH-6789" in pdftext.text_runs(certificate.pdf.read())


def test_issue_without_a_pdf_when_rendering_fails_and_the_pdf_is_made_later(rubi_enrolment):
    with mock.patch.object(services, "certificate_pdf_render", side_effect=OSError("no fonts")):
        certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None and certificate.pk
    assert not Certificate.objects.get().pdf
    certificate_pdf_ensure(certificate)
    assert Certificate.objects.get().pdf.name == certificate.pdf.name != ""
    assert certificate.pdf.read().startswith(b"%PDF")


def test_issue_without_a_pdf_queues_the_pdf_task_after_commit(rubi_enrolment, django_capture_on_commit_callbacks):
    with mock.patch.object(services, "certificate_pdf_render", side_effect=OSError("no fonts")), \
            django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert not Certificate.objects.get().pdf
    for callback in callbacks:
        callback()  # the immediate task backend runs the PDF task now, with the fonts back
    assert Certificate.objects.get().pdf.name.endswith(".pdf")
    assert services.certificate_pdf_store(certificate_id=certificate.pk).pdf.name == \
        Certificate.objects.get().pdf.name  # twice: the stored PDF is kept


def test_integrity_errors_other_than_a_clash_are_not_swallowed_forever(rubi_enrolment):
    with mock.patch.object(Certificate, "save", side_effect=IntegrityError("boom")), pytest.raises(RuntimeError):
        certificate_issue(enrolment_id=rubi_enrolment.pk)


# ------------------------------------------------------------------------------------------------ PDF


def test_pdf_is_a_bangla_pdf_with_the_font_the_code_and_the_verify_url(rubi_certificate):
    pdf = rubi_certificate.pdf.read()
    assert pdf.startswith(b"%PDF")
    assert pdftext.page_count(pdf) == 1
    assert any("Hind-Siliguri" in name for name in pdftext.font_names(pdf))
    assert pdftext.embedded_font_count(pdf) >= 1
    text = "\n".join(pdftext.text_runs(pdf))
    # Text read back through the fonts' ToUnicode maps: shaped conjuncts survive.
    assert "সনদপত্র" in text
    assert "শিক্ষক" in text
    assert "রুবি আক্তার" in text and "Rubi Akter" in text
    assert format_code(rubi_certificate.code) in text
    assert f"https://shikhon.example.gov.bd/verify/{rubi_certificate.code}/" in text
    assert "Certificate of completion" in text


def test_qr_code_encodes_the_absolute_verify_url(rubi_enrolment):
    with mock.patch("shikhon.core.pdf.qr_svg", wraps=pdf_module.qr_svg) as qr:
        certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    qr.assert_called_once_with(f"https://shikhon.example.gov.bd/verify/{certificate.code}/")


def test_pdf_date_in_bangla_digits(rubi_certificate):
    text = "\n".join(pdftext.text_runs(rubi_certificate.pdf.read()))
    year = str(rubi_certificate.issued_at.year)
    assert year.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")) in text
    assert "Date: " in text


# ------------------------------------------------------------------------------------------------ revoke


def test_officer_of_the_upazila_revokes_with_a_reason(people, rubi_certificate):
    officer = people["officer_hatia"]
    certificate = certificate_revoke(actor=officer, certificate=rubi_certificate, reason="  Quiz answers   copied. ")
    assert certificate.is_revoked and certificate.revoked_by == officer
    stored = Certificate.objects.get()
    assert stored.revoke_reason == "Quiz answers copied." and stored.revoked_at is not None
    event = AuditEvent.objects.get(action="certificate_revoked")
    assert event.actor == officer and event.target_id == str(certificate.pk)
    assert event.details == {"reason": "Quiz answers copied."}
    notification = Notification.objects.get(kind="certificate_revoked")
    assert notification.recipient == people["teacher_rubi"]
    assert notification.params == {"course": "আনন্দে গণিত শিখি", "reason": "Quiz answers copied."}


@pytest.mark.parametrize("who", ["officer_hatia", "officer_noakhali", "officer_chattagram", "national_admin_nasrin"])
def test_officers_over_the_place_may_revoke(people, rubi_certificate, who):
    certificate_revoke(actor=people[who], certificate=rubi_certificate, reason="Mistake.")
    assert Certificate.objects.get().is_revoked


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "officer_other_upazila",
                                 "officer_sylhet_upazila", "researcher_tanvir", "course_author_shirin",
                                 "no_role_user"])
def test_others_may_not_revoke(people, rubi_certificate, who):
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=people[who], certificate=rubi_certificate, reason="Mistake.")
    assert not Certificate.objects.get().is_revoked
    assert not AuditEvent.objects.filter(action="certificate_revoked").exists()


@pytest.mark.parametrize("reason, message", [
    ("", "Write why this certificate is revoked; the teacher will read it."),
    ("   ", "Write why this certificate is revoked; the teacher will read it."),
    ("x" * 301, "Write the reason in at most ৩০০ characters."),
])
def test_revoke_needs_a_reason(people, rubi_certificate, reason, message):
    with pytest.raises(ValidationError) as caught:
        certificate_revoke(actor=people["officer_hatia"], certificate=rubi_certificate, reason=reason)
    assert caught.value.message_dict == {"reason": [message]}
    assert not Certificate.objects.get().is_revoked


def test_revoke_twice_says_so(people, rubi_certificate):
    certificate_revoke(actor=people["officer_hatia"], certificate=rubi_certificate, reason="Mistake.")
    with pytest.raises(ValidationError) as caught:
        certificate_revoke(actor=people["officer_hatia"], certificate=rubi_certificate, reason="Again.")
    assert caught.value.messages == ["This certificate was already revoked."]
    assert AuditEvent.objects.filter(action="certificate_revoked").count() == 1
    assert Notification.objects.filter(kind="certificate_revoked").count() == 1
