"""A right-to-left override in a name cannot reverse a certificate (decision 0008): the snapshot is cleaned
when it is issued, and rows written before the fix are cleaned and isolated when shown or printed."""

from __future__ import annotations

import pytest

from shikhon.certificates.services import certificate_issue, certificate_pdf_render
from shikhon.certificates.tests import pdftext
from shikhon.people.models import User

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def test_a_name_with_an_override_is_issued_clean_and_prints_in_order(people, rubi_enrolment):
    # Written past every service (as a row from before the fix would be).
    User.objects.filter(pk=people["teacher_rubi"].pk).update(name_en=f"Rubi {RLO}Akter", name_bn=f"রুবি {RLO}আক্তার")
    certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate.holder_name_en == "Rubi Akter"
    assert certificate.holder_name_bn == "রুবি আক্তার"
    text = "\n".join(pdftext.text_runs(certificate.pdf.read()))
    assert "Rubi Akter" in text and "retkA" not in text


def test_an_old_certificate_row_with_an_override_prints_and_shows_in_order(client, people, rubi_certificate):
    type(rubi_certificate).objects.filter(pk=rubi_certificate.pk).update(
        holder_name_en=f"Rubi {RLO}Akter", course_title=f"{RLO}Maths with joy")
    rubi_certificate.refresh_from_db()
    text = "\n".join(pdftext.text_runs(certificate_pdf_render(rubi_certificate)))
    assert "Rubi Akter" in text and "retkA" not in text
    assert "Maths with joy" in text
    client.force_login(people["teacher_rubi"])
    page = client.get(rubi_certificate.get_absolute_url()).content.decode()
    assert "<bdi>Maths with joy</bdi>" in page and RLO not in page
