"""Issue 10 on a 360 px phone: the Hatia officer moves the demo's upcoming batch a day later and the invited
teacher (Roksana) reads the change among her notifications; then a visitor scans the QR code of the demo's
training certificate PDF (Jasim's, issued when his batch was completed), which is the address printed under it,
and sees it is genuine — on the demo's own port (SHIKHON_PUBLIC_URL)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from shikhon.certificates.tests.qr import qr_texts_in_pdf

from .support import submit

pytestmark = pytest.mark.browser

OFFICER = "01711-000004"
ROKSANA = "01711-000015"
JASIM = "01711-000016"
NEXT_BATCH = "হাতিয়া ব্যাচ ২"
BN_TO_EN = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def test_officer_moves_a_batch_and_the_teacher_is_told(new_context, signed_in_state, site, audit):
    officer = new_context(storage_state=signed_in_state(OFFICER)).new_page()
    officer.goto(site("/training/"))
    audit(officer)
    with officer.expect_navigation():
        officer.locator("main a", has_text=NEXT_BATCH).first.tap()
    batch_path = urlsplit(officer.url).path
    assert re.fullmatch(r"/training/batches/\d+/", batch_path), officer.url
    with officer.expect_navigation():
        officer.locator(f"main a[href='{batch_path}edit/']").tap()
    audit(officer)
    for name in ("starts_on", "ends_on"):
        box = officer.locator(f"input[name={name}]")
        typed = box.input_value().translate(BN_TO_EN)
        day = (dt.date.fromisoformat(typed) if "-" in typed and len(typed.split("-")[0]) == 4
               else dt.datetime.strptime(typed, "%d/%m/%Y").date())
        box.fill((day + dt.timedelta(days=1)).isoformat())
    submit(officer)
    assert urlsplit(officer.url).path == batch_path, officer.url
    audit(officer)

    teacher = new_context(storage_state=signed_in_state(ROKSANA)).new_page()
    teacher.goto(site("/notifications/"))
    audit(teacher)
    assert "বদলেছে" in teacher.locator("main").inner_text() or "has changed" in teacher.locator("main").inner_text()
    site.figures.append("batch moved: the invited teacher read the change")


def test_a_visitor_verifies_the_training_certificate_by_its_qr_address(new_context, signed_in_state, site, audit):
    holder = new_context(storage_state=signed_in_state(JASIM)).new_page()
    holder.goto(site("/certificates/"))
    audit(holder)
    training = holder.locator("main li").filter(has=holder.locator(".badge")).filter(
        has_text=re.compile("প্রশিক্ষণ|training"))
    assert training.count() >= 1, holder.locator("main").inner_text()
    with holder.expect_navigation():
        training.first.locator("a").first.tap()
    audit(holder)
    address = holder.locator(".cert-url a").inner_text().strip()  # what the PDF prints and its QR code encodes
    assert address.startswith(site("/verify/")), (address, site("/"))
    # demo_data drew this PDF before the server had its port: the download still carries the demo's own address,
    # and the visitor opens what the QR code drawn on its page says (rendered, then decoded as a phone would).
    pdf = holder.request.get(site(urlsplit(holder.url).path + "pdf/"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    scanned = qr_texts_in_pdf(pdf.body())
    assert scanned == [address], f"the PDF's QR code says {scanned}, the page prints {address}"

    visitor = new_context().new_page()
    visitor.goto(scanned[0])
    audit(visitor)
    assert visitor.locator("[data-testid=verify-status]").is_visible()
    assert "/verify/" in visitor.url and visitor.locator("main h1").count() == 1
    assert "জসিম উদ্দিন" in visitor.locator("main").inner_text()
    site.figures.append("training certificate verified by a visitor at its QR address")
