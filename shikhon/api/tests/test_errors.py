"""One error shape for every failure, and bad input answers 4xx — never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shikhon.api.routers import places as places_router
from shikhon.api.tests.conftest import API, assert_error
from shikhon.core.errors import RateLimited

pytestmark = pytest.mark.django_db


def _raise(exc):
    def boom(*args, **kwargs):
        raise exc

    return boom


def test_400_from_a_django_validation_error(api, monkeypatch):
    api.strict = False  # /schools documents no 400: this test forces one
    monkeypatch.setattr(places_router, "school_search", _raise(ValidationError(
        {"q": ["Type at least two letters."]})))
    error = assert_error(api.get("/schools"), 400, "bad_request")
    assert error["details"] == {"fields": {"q": ["Type at least two letters."]}}

    monkeypatch.setattr(places_router, "school_search", _raise(ValidationError("Choose a school first.")))
    error = assert_error(api.get("/schools"), 400, "bad_request")
    assert error["message"] == "Choose a school first."
    assert error["details"] == {"messages": ["Choose a school first."]}


def test_401(client, db):
    assert_error(client.get(API + "/divisions"), 401, "not_authenticated")


def test_403_from_permission_denied(api, monkeypatch):
    api.strict = False  # /schools documents no 403: this test forces one
    monkeypatch.setattr(places_router, "school_search", _raise(PermissionDenied))
    assert_error(api.get("/schools"), 403, "forbidden")


def test_404(api):
    assert_error(api.get("/upazilas/9999999"), 404, "not_found")
    assert_error(api.get("/no/such/thing"), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_405_keeps_the_allow_header(api, method):
    response = api.request(method, "/divisions")
    error = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert error["details"] == {"allowed": ["GET"]}


def test_422_lists_the_fields(api):
    error = assert_error(api.get("/upazilas", {"limit": 0, "page": -1, "q": "a\x01"}), 422, "invalid")
    fields = error["details"]["fields"]
    assert set(fields) == {"limit", "page", "q"}
    assert fields["q"] == ["The search text contains control characters. Type plain letters and digits."]


def test_429_when_a_caller_sends_too_many(api, settings):
    settings.SHIKHON_API_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert api.get("/divisions").status_code == 200
    response = api.get("/divisions")
    error = assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert 1 <= error["details"]["retry_after_seconds"] <= 61


def test_429_from_a_rate_limited_service(api, monkeypatch):
    monkeypatch.setattr(places_router, "school_search", _raise(RateLimited("Wait an hour, then try again.")))
    error = assert_error(api.get("/schools"), 429, "rate_limited")
    assert error["message"] == "Wait an hour, then try again."


def test_500_is_json_and_reveals_nothing(api, monkeypatch, caplog):
    monkeypatch.setattr(places_router, "school_search", _raise(RuntimeError("secret internals")))
    response = api.get("/schools")
    error = assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert error["details"] == {}
    assert any("secret internals" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_messages_follow_the_callers_language(api):
    response = api.get("/divisions/0", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert_error(response, 422, "invalid")


# ---- bad input is a 4xx, never a 500 --------------------------------------------------------------

BAD_QUERIES = [
    ("/upazilas", {"page": -1}),
    ("/upazilas", {"page": 0}),
    ("/upazilas", {"page": 10**30}),
    ("/upazilas", {"limit": 100000}),
    ("/upazilas", {"limit": 0}),
    ("/upazilas", {"limit": "ten"}),
    ("/upazilas", {"page": 10_001}),
    ("/upazilas", {"page": "1e3"}),
    ("/upazilas", {"page": "২"}),
    ("/upazilas", {"q": "hat\x00ia"}),
    ("/upazilas", {"q": "x" * 1_000}),  # longer than a search may be; past 4000 characters the address is 414
    ("/upazilas", {"district": "abc"}),
    ("/upazilas", {"district": -5}),
    ("/upazilas", {"district": 10**40}),
    ("/districts", {"division": "1; drop table"}),
    ("/schools", {"q": "\x00"}),
    ("/schools", {"q": "ক" * 300}),
    ("/schools", {"upazila": "1.5"}),
    ("/schools", {"kind": ""}),
    ("/schools", {"page": -1, "limit": 100000}),
]


@pytest.mark.parametrize("path, params", BAD_QUERIES)
def test_bad_query_parameters_answer_422(api, path, params):
    error = assert_error(api.get(path, params), 422, "invalid")
    assert error["details"]["fields"]


@pytest.mark.parametrize("path", [
    "/divisions/abc", "/divisions/-1", "/divisions/0", "/divisions/1.5", "/districts/99999999999999999999999",
    "/upazilas/%00", "/upazilas/1e3", "/schools/abcdef", "/schools/12345", "/schools/%00%00%00%00%00%00",
    "/schools/" + "1" * 1_000,
])
def test_bad_ids_answer_4xx(api, path):
    response = api.get(path)
    assert response.status_code in (404, 422), response.content
    assert_error(response, response.status_code, "not_found" if response.status_code == 404 else "invalid")


def test_big_ids_that_fit_answer_404(api):
    assert_error(api.get(f"/districts/{2**63 - 1}"), 404, "not_found")
    assert_error(api.get(f"/districts/{2**63}"), 422, "invalid")
