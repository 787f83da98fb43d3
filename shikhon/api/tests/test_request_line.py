"""An over-long API address answers 414 in the API's JSON error shape, below gunicorn's own HTML 414."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from shikhon.api.middleware import request_target_length
from shikhon.api.tests.conftest import API

pytestmark = pytest.mark.django_db
LIMIT = settings.SHIKHON_API_MAX_REQUEST_LINE
# "OPTIONS " + target + " HTTP/1.1": the longest method and the version around the request target.
REQUEST_LINE_OVERHEAD = len("OPTIONS  HTTP/1.1")


def _query_of_length(path: str, length: int) -> str:
    """A path + query of exactly `length` characters."""
    return f"{path}?q=" + "a" * (length - len(path) - 3)


def test_an_address_over_the_limit_answers_json_414(client: Client, people) -> None:
    client.force_login(people["officer_hatia"])
    target = _query_of_length(f"{API}/divisions", LIMIT + 1)
    response = client.get(target, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 414
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "uri_too_long"
    assert body["error"]["message"].startswith("The address is too long.")
    assert body["error"]["details"] == {"max_length": LIMIT, "length": LIMIT + 1}


def test_an_address_at_the_limit_is_served(client: Client, people) -> None:
    client.force_login(people["officer_hatia"])
    assert client.get(_query_of_length(f"{API}/divisions", LIMIT)).status_code == 200


def test_anonymous_callers_and_unknown_api_paths_get_the_same_414(client: Client) -> None:
    response = client.post(_query_of_length(f"{API}/certificates/verify", LIMIT + 500), {},
                           content_type="application/json")
    assert response.status_code == 414 and response.json()["error"]["code"] == "uri_too_long"
    assert client.get("/api/" + "x" * LIMIT).json()["error"]["code"] == "uri_too_long"


def test_pages_are_left_alone(client: Client) -> None:
    """Only the API answers JSON; a page with a long address goes on as before (here: 404 HTML)."""
    response = client.get(_query_of_length("/no-such-page/", LIMIT + 100))
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")


def test_length_counts_escapes_as_sent(rf) -> None:
    request = rf.get("/api/v1/schools", {"q": "বাংলা"})  # 5 letters, 15 bytes, 45 characters escaped
    assert request_target_length(request) == len("/api/v1/schools?q=") + 45
    request.META["RAW_URI"] = "/api/v1/x"
    assert request_target_length(request) == len("/api/v1/x")


def test_openapi_documents_the_414(client: Client) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    assert f"longer than {LIMIT} characters" in schema["info"]["description"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "414" in operation["responses"], f"{method.upper()} {path} does not document 414"


@pytest.mark.parametrize("path", ["scripts/demo.sh", "tests/browser/conftest.py"])
def test_gunicorn_limit_is_set_explicitly_above_ours(path: str) -> None:
    """The request line gunicorn accepts must hold our longest target, or it answers HTML first."""
    text = (Path(settings.BASE_DIR) / path).read_text()
    match = re.search(r"LIMIT_REQUEST_LINE = (\d+)", text) or re.search(r"--limit-request-line (\d+)", text)
    assert match, f"{path} does not set gunicorn's --limit-request-line"
    assert LIMIT + REQUEST_LINE_OVERHEAD <= int(match.group(1)) <= LIMIT + 200
