from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shikhon.certificates.codes import format_code
from shikhon.certificates.models import Certificate
from shikhon.certificates.services import certificate_pdfs_queue_missing, certificate_revoke
from shikhon.certificates.tasks import certificate_pdf_task
from shikhon.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SEES_RUBI = ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "officer_hatia", "officer_noakhali",
             "officer_chattagram", "national_admin_nasrin"]
NOT_RUBI = ["teacher_of_other_school", "teacher_subarnachar", "head_teacher_subarnachar", "officer_other_upazila",
            "officer_sylhet_upazila", "researcher_tanvir", "course_author_shirin", "no_role_user",
            "teacher_pending_zahid"]


# ------------------------------------------------------------------------------------------------ detail


@pytest.mark.parametrize("who", SEES_RUBI)
def test_detail_for_those_who_may_see_it(client, people, rubi_certificate, who):
    client.force_login(people[who])
    response = client.get(rubi_certificate.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "রুবি আক্তার" in body and format_code(rubi_certificate.code) in body
    assert f"https://shikhon.example.gov.bd/verify/{rubi_certificate.code}/" in body
    assert (reverse("certificates:revoke", args=[rubi_certificate.pk]) in body) == (
        who in {"officer_hatia", "officer_noakhali", "officer_chattagram", "national_admin_nasrin"})


@pytest.mark.parametrize("who", NOT_RUBI)
def test_detail_hidden_is_404(client, people, rubi_certificate, who):
    client.force_login(people[who])
    for name in ("detail", "pdf", "revoke"):
        assert client.get(reverse(f"certificates:{name}", args=[rubi_certificate.pk])).status_code == 404, name


def test_detail_of_a_huge_or_missing_id_is_404(client, people):
    client.force_login(people["national_admin_nasrin"])
    assert client.get("/certificates/99999999999999999999999/").status_code == 404
    assert client.get("/certificates/123456/").status_code == 404


def test_detail_needs_sign_in(client, rubi_certificate):
    response = client.get(rubi_certificate.get_absolute_url())
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_detail_of_a_revoked_certificate_says_so(client, people, rubi_certificate):
    certificate_revoke(actor=people["officer_hatia"], certificate=rubi_certificate, reason="Answers copied.")
    client.force_login(people["teacher_rubi"])
    body = client.get(rubi_certificate.get_absolute_url()).content.decode()
    assert "This certificate was revoked on" in body and "Answers copied." in body
    assert reverse("certificates:pdf", args=[rubi_certificate.pk]) not in body


# ------------------------------------------------------------------------------------------------ PDF


def test_pdf_download(client, people, rubi_certificate):
    client.force_login(people["teacher_rubi"])
    response = client.get(reverse("certificates:pdf", args=[rubi_certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert rubi_certificate.code in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_missing_pdf_is_rendered_for_the_download_and_stored_by_the_task(client, people, rubi_certificate):
    rubi_certificate.pdf.storage.delete(rubi_certificate.pdf.name)  # the file went missing
    client.force_login(people["officer_hatia"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("certificates:pdf", args=[rubi_certificate.pk]))
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert _writes(queries) == []
    certificate_pdf_task.enqueue(certificate_id=rubi_certificate.pk)  # what the sweep queues
    stored = Certificate.objects.get()
    assert stored.pdf.storage.exists(stored.pdf.name) and stored.pdf.read().startswith(b"%PDF")

    Certificate.objects.update(pdf="")  # never rendered
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("certificates:pdf", args=[rubi_certificate.pk]))
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert _writes(queries) == []
    assert not Certificate.objects.get().pdf
    assert certificate_pdfs_queue_missing() == 1  # the daily sweep; the immediate backend runs it here
    assert Certificate.objects.get().pdf.name.endswith(".pdf")
    assert certificate_pdfs_queue_missing() == 0


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.parametrize("who", ["teacher_rubi", "officer_hatia", "national_admin_nasrin", "teacher_of_other_school"])
def test_certificate_pages_write_nothing_on_get(client, people, rubi_certificate, who):
    client.force_login(people[who])
    with CaptureQueriesContext(connection) as queries:
        for name in ("detail", "pdf", "revoke"):
            response = client.get(reverse(f"certificates:{name}", args=[rubi_certificate.pk]))
            assert response.status_code in (200, 403, 404), name
            if response.streaming:
                b"".join(response.streaming_content)
        assert client.get(reverse("certificates:list")).status_code == 200
        assert client.get(reverse("certificates:verify_form")).status_code == 200
        assert client.get(reverse("certificates:verify", args=[rubi_certificate.code])).status_code == 200
    # The verify page counts its rate limit in the cache (Redis in production), not in a domain row.
    assert _writes(queries) == []


def test_pdf_answers_only_get(client, people, rubi_certificate):
    client.force_login(people["teacher_rubi"])
    assert client.post(reverse("certificates:pdf", args=[rubi_certificate.pk])).status_code == 405


# ------------------------------------------------------------------------------------------------ list


def test_teacher_list_shows_only_her_own(client, people, rubi_certificate, certificate_of,
                                         django_assert_max_num_queries):
    certificate_of("teacher_of_other_school", "school_hatia_2")
    client.force_login(people["teacher_rubi"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("certificates:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "My certificates" in body and rubi_certificate.get_absolute_url() in body
    assert "কামরুন" not in body
    assert 'name="q"' not in body  # no search for her own few


def test_teacher_list_without_certificates(client, people):
    client.force_login(people["teacher_rubi"])
    assert "No certificates yet. Finish a course" in client.get(reverse("certificates:list")).content.decode()


def test_officer_list_shows_the_area_and_searches(client, people, rubi_certificate, certificate_of):
    kamrun = certificate_of("teacher_of_other_school", "school_hatia_2")
    laila = certificate_of("teacher_subarnachar", "school_subarnachar")
    client.force_login(people["officer_hatia"])
    url = reverse("certificates:list")
    body = client.get(url).content.decode()
    assert rubi_certificate.get_absolute_url() in body and kamrun.get_absolute_url() in body
    assert laila.get_absolute_url() not in body

    def found(q):
        text = client.get(url, {"q": q}).content.decode()
        return {c.pk for c in (rubi_certificate, kamrun, laila) if c.get_absolute_url() in text}

    assert found("রুবি") == {rubi_certificate.pk}
    assert found("rubi akter") == {rubi_certificate.pk}
    assert found("01711-000011") == {kamrun.pk}
    assert found("০১৭১১০০০০১১") == {kamrun.pk}
    assert found(format_code(rubi_certificate.code).lower()) == {rubi_certificate.pk}
    assert found(laila.code) == set()  # another upazila's, even by its code
    assert found("লাইলা") == set()
    assert "No certificate matches" in client.get(url, {"q": "nobody"}).content.decode()
    assert client.get(url, {"q": "x" * 5000, "page": "abc"}).status_code == 200


def test_officer_list_query_count_is_bounded(client, people, places, enrol, django_assert_max_num_queries):
    from shikhon.certificates.services import certificate_issue
    from shikhon.people.tests.factories import UserFactory

    for _ in range(30):
        certificate_issue(enrolment_id=enrol(UserFactory(), places["school_hatia"]).pk)
    client.force_login(people["officer_hatia"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("certificates:list"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/certificates/') == 25  # one page
    with django_assert_max_num_queries(10):
        assert client.get(reverse("certificates:list"), {"page": 2, "q": "শিক্ষক"}).status_code == 200


def test_head_teacher_list_is_her_school(client, people, rubi_certificate, certificate_of):
    kamrun = certificate_of("teacher_of_other_school", "school_hatia_2")
    client.force_login(people["head_teacher_masuma"])
    body = client.get(reverse("certificates:list")).content.decode()
    assert rubi_certificate.get_absolute_url() in body and kamrun.get_absolute_url() not in body


# ------------------------------------------------------------------------------------------------ revoke


def test_revoke_page(client, people, rubi_certificate):
    client.force_login(people["officer_hatia"])
    url = reverse("certificates:revoke", args=[rubi_certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Write why this certificate is revoked; the teacher will read it." in response.content.decode()
    assert not Certificate.objects.get().is_revoked
    response = client.post(url, {"reason": "The quiz answers were copied."})
    assert response.status_code == 302 and response["Location"] == rubi_certificate.get_absolute_url()
    stored = Certificate.objects.get()
    assert stored.is_revoked and stored.revoke_reason == "The quiz answers were copied."
    assert AuditEvent.objects.filter(action="certificate_revoked").count() == 1
    # Again: nothing more happens, she is sent back to the certificate.
    response = client.post(url, {"reason": "Again."})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="certificate_revoked").count() == 1


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "mentor_hatia"])
def test_revoke_page_refused_to_those_who_see_but_may_not_revoke(client, people, rubi_certificate, who):
    client.force_login(people[who])
    url = reverse("certificates:revoke", args=[rubi_certificate.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Mine."}).status_code == 403
    assert not Certificate.objects.get().is_revoked


def test_revoke_page_of_another_upazila_is_404(client, people, rubi_certificate):
    client.force_login(people["officer_other_upazila"])
    response = client.post(reverse("certificates:revoke", args=[rubi_certificate.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert not Certificate.objects.get().is_revoked


# ------------------------------------------------------------------------------------------------ verify


def test_verify_a_valid_certificate_as_a_visitor(client, rubi_certificate, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(rubi_certificate.get_verify_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "This certificate is genuine" in body
    assert "রুবি আক্তার" in body and "Rubi Akter" in body
    assert "আনন্দে গণিত শিখি" in body and "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়" in body
    assert format_code(rubi_certificate.code) in body
    assert "+880" not in body  # no phone number, nothing private


def test_verify_accepts_a_typed_code(client, rubi_certificate):
    for typed in (format_code(rubi_certificate.code), rubi_certificate.code.lower()):
        assert client.get(f"/verify/{typed}/").status_code == 200


def test_verify_a_revoked_certificate(client, people, rubi_certificate):
    certificate_revoke(actor=people["officer_hatia"], certificate=rubi_certificate, reason="Answers copied.")
    response = client.get(rubi_certificate.get_verify_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "This certificate was revoked" in body and "It was revoked on" in body
    assert "genuine" not in body
    assert "Answers copied." not in body  # the reason is for the holder, not the public


def _without_typed(body: bytes) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', body.decode())


@pytest.mark.parametrize("code", ["ABCD2345EFGH6789", "ABCD-2345-EFGH-6789", "short", "0000000000000000",
                                  "x" * 300, "%E0%A6%95", "ABCD2345EFGH67890"])
def test_verify_unknown_or_malformed_is_one_page_with_the_form(client, rubi_certificate, code):
    """A code never issued and one that cannot be a code answer the same page (404): the sentence, the form
    again with what was typed, nothing about whether any certificate exists."""
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "No certificate has this code — check the letters." in body
    assert 'name="code"' in body and reverse("certificates:verify_form") in body
    assert rubi_certificate.holder_name_bn not in body and "genuine" not in body
    assert _without_typed(response.content) == _without_typed(client.get("/verify/ZZZZ2345EFGH6789/").content)


def test_verify_is_rate_limited_per_address(client, settings, rubi_certificate):
    settings.SHIKHON_VERIFY_PER_MINUTE = 3
    settings.SHIKHON_TRUSTED_PROXY_COUNT = 0
    for _ in range(3):
        assert client.get("/verify/ABCD2345EFGH6789/").status_code == 404
    response = client.get(rubi_certificate.get_verify_url())
    assert response.status_code == 429
    assert "Too many codes were checked from your connection. Wait a minute, then try again." in (
        response.content.decode())
    assert response["Retry-After"] == "60"
    assert client.get(rubi_certificate.get_verify_url(), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_verify_form(client, rubi_certificate):
    url = reverse("certificates:verify_form")
    response = client.get(url)
    assert response.status_code == 200 and 'name="code"' in response.content.decode()
    response = client.get(url, {"code": " " + format_code(rubi_certificate.code).lower() + " "})
    assert response.status_code == 302 and response["Location"] == rubi_certificate.get_verify_url()
    response = client.get(url, {"code": "ABCD2345EFGH6789"})  # well-formed: its page answers (404)
    assert response["Location"] == "/verify/ABCD2345EFGH6789/"
    response = client.get(url, {"code": "12"})
    assert response.status_code == 200
    assert "A certificate code has 16 letters and digits" in response.content.decode()
