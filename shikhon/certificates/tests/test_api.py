from __future__ import annotations

import pytest

from shikhon.certificates.codes import format_code, new_code
from shikhon.certificates.services import certificate_revoke
from shikhon.core.clock import dhaka_date, dhaka_today
from shikhon.people.services import access_token_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates/verify"


def assert_error(response, status, code):
    """The API's one error shape (certificates sit below the api app, so its helpers are not imported)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"].endswith(".")


@pytest.fixture
def bearer(people):
    _token, raw = access_token_create(actor=people["officer_hatia"], name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, body, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


def test_mixed_statuses(dhaka_small_hours, client, bearer, people, rubi_certificate, certificate_of):
    kamrun = certificate_of("teacher_of_other_school", "school_hatia_2")
    certificate_revoke(actor=people["officer_hatia"], certificate=kamrun, reason="Copied.")
    codes = [format_code(rubi_certificate.code), kamrun.code, "ABCD2345EFGH6789", "??"]
    response = post(client, {"codes": codes}, **bearer)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["code"] for r in results] == codes
    assert [r["status"] for r in results] == ["valid", "revoked", "unknown", "unknown"]
    assert results[0]["holder_name_bn"] == "রুবি আক্তার" and results[0]["holder_name_en"] == "Rubi Akter"
    assert results[0]["course"] == "আনন্দে গণিত শিখি"
    # Issued at 01:30 in Dhaka (19:30 UTC the day before): the date on the certificate is Dhaka's.
    assert results[0]["issued_on"] == dhaka_date(rubi_certificate.issued_at).isoformat() == dhaka_today().isoformat()
    assert results[0]["revoked_on"] is None and results[1]["revoked_on"] is not None
    assert set(results[2]) == {"code", "status", "holder_name_bn", "holder_name_en", "course", "school",
                               "issued_on", "revoked_on"}
    assert results[2]["holder_name_bn"] is None


def test_one_hundred_codes_in_one_query(client, bearer, rubi_certificate, django_assert_max_num_queries):
    codes = [new_code() for _ in range(99)] + [rubi_certificate.code]
    with django_assert_max_num_queries(6):  # token, throttle-free cache, and one lookup
        response = post(client, {"codes": codes}, **bearer)
    assert response.status_code == 200
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses.count("unknown") == 99 and statuses[-1] == "valid"


@pytest.mark.parametrize("body", [{"codes": ["ABCD2345EFGH6789"] * 101}, {"codes": []}, {}, {"codes": "ABCD"},
                                  {"codes": ["x" * 65]}, {"codes": [1, 2]}])
def test_bad_bodies_are_422_in_the_error_shape(client, bearer, body):
    assert_error(post(client, body, **bearer), 422, "invalid")


def test_anonymous_is_401(client):
    assert_error(post(client, {"codes": ["ABCD2345EFGH6789"]}), 401, "not_authenticated")


def test_session_needs_csrf(client, people):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["teacher_rubi"])
    assert_error(post(browser, {"codes": ["ABCD2345EFGH6789"]}), 403, "csrf_failed")
