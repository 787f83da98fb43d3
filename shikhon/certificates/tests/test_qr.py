"""The QR code of a certificate, read from the drawn PDF page as a phone would read it (tests/qr.py: PDFium renders
the page, zxing-cpp decodes it): it opens SHIKHON_PUBLIC_URL's verify page of that certificate and no other,
whichever address the site has now — also when the stored PDF was drawn for another one."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shikhon.certificates import services
from shikhon.certificates.models import Certificate
from shikhon.certificates.tests import pdftext
from shikhon.certificates.tests.qr import qr_texts_in_pdf, qr_texts_in_png

pytestmark = pytest.mark.django_db


def _training(people, places) -> Certificate:
    school = places["school_hatia"]
    return services.certificate_issue_training(
        key="training-invitation:7", user=people["teacher_rubi"], title="আনন্দে গণিত: মুখোমুখি প্রশিক্ষণ", hours=36,
        venue="উপজেলা রিসোর্স সেন্টার, হাতিয়া", held_from=dt.date(2026, 11, 1), held_to=dt.date(2026, 11, 6),
        place={"school_id": school.pk, "upazila_id": school.upazila_id, "district_id": school.district_id,
               "division_id": school.division_id})


def _download(client, certificate: Certificate) -> bytes:
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _printed(pdf: bytes) -> str:
    return "".join(pdftext.text_runs(pdf))


# --------------------------------------------------------------------------------------------- the reader


def test_the_reader_finds_what_segno_drew_and_nothing_in_a_blank_page():
    png = io.BytesIO()
    segno.make("https://shikhon.gov.bd/verify/ABCD/", error="m", micro=False).save(png, kind="png", scale=5)
    assert qr_texts_in_png(png.getvalue()) == ["https://shikhon.gov.bd/verify/ABCD/"]
    blank = io.BytesIO()
    segno.make("x").save(blank, kind="png", scale=5, dark="white")  # drawn white on white: nothing to see
    assert qr_texts_in_png(blank.getvalue()) == []


# ------------------------------------------------------------------------------------- the stored PDF


@pytest.mark.parametrize("base", ["https://shikhon.example.gov.bd", "http://127.0.0.1:8123"])
def test_the_course_certificate_qr_opens_its_verify_page(settings, rubi_enrolment, base):
    settings.SHIKHON_PUBLIC_URL = base
    certificate = services.certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None and certificate.pdf
    assert qr_texts_in_pdf(certificate.pdf.read()) == [settings.SHIKHON_PUBLIC_URL + certificate.get_verify_url()]


def test_the_training_certificate_qr_opens_its_verify_page(settings, people, places):
    certificate = _training(people, places)
    assert certificate.pdf
    assert qr_texts_in_pdf(certificate.pdf.read()) == [settings.SHIKHON_PUBLIC_URL + certificate.get_verify_url()]


def test_a_trailing_slash_or_a_bare_host_in_the_setting_still_gives_one_address(settings, rubi_enrolment):
    settings.SHIKHON_PUBLIC_URL = "shikhon.example.gov.bd/"
    certificate = services.certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None
    assert qr_texts_in_pdf(certificate.pdf.read()) == [
        f"https://shikhon.example.gov.bd/verify/{certificate.code}/"]


# -------------------------------------------------------------- what the holder downloads and sees


@pytest.mark.parametrize("kind", ["course", "training"])
def test_the_downloaded_qr_is_the_address_the_page_and_the_pdf_print(client, people, places, rubi_certificate, kind):
    certificate = rubi_certificate if kind == "course" else _training(people, places)
    client.force_login(people["teacher_rubi"])
    [decoded] = qr_texts_in_pdf(_download(client, certificate))
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert f">{decoded}</a>" in page  # the page's "Anyone can check it at"
    assert decoded in _printed(_download(client, certificate))
    assert client.get(decoded.removeprefix("https://shikhon.example.gov.bd")).status_code == 200


@pytest.mark.parametrize("kind", ["course", "training"])
def test_the_qr_follows_a_new_public_address_before_the_pdf_is_drawn_again(client, settings, people, places,
                                                                          rubi_certificate, kind):
    """The site moved (or the demo runs on another port) and certificate_pdfs_refresh has not run yet: the
    download already carries the new address, in its QR code and in print, and writes nothing."""
    certificate = rubi_certificate if kind == "course" else _training(people, places)
    stored = certificate.pdf.read()
    settings.SHIKHON_PUBLIC_URL = "http://127.0.0.1:8123"
    client.force_login(people["teacher_rubi"])
    with CaptureQueriesContext(connection) as queries:
        pdf = _download(client, certificate)
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    new = f"http://127.0.0.1:8123/verify/{certificate.code}/"
    assert qr_texts_in_pdf(pdf) == [new] and new in _printed(pdf)
    certificate.refresh_from_db()
    assert certificate.pdf.read() == stored  # the stored file is the refresh's to replace

    settings.SHIKHON_PUBLIC_URL = "https://shikhon.example.gov.bd"  # back: the stored file is right again
    assert _download(client, certificate) == stored


def test_the_refreshed_stored_pdf_carries_the_new_address(settings, rubi_certificate, people, places):
    training = _training(people, places)
    settings.SHIKHON_PUBLIC_URL = "http://127.0.0.1:8123"
    assert services.certificate_pdfs_refresh() == 2  # the immediate backend draws them again at once
    for certificate in (rubi_certificate, training):
        certificate.refresh_from_db()
        assert certificate.pdf_public_url == "http://127.0.0.1:8123"
        assert qr_texts_in_pdf(certificate.pdf.read()) == [f"http://127.0.0.1:8123/verify/{certificate.code}/"]
