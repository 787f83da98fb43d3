"""API test helpers: a token per named person, a client that sends it, and every answer checked against the
OpenAPI document (`assert_documented`)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
from django.test import Client

from shikhon.people.models import User
from shikhon.people.services import access_token_create

API = "/api/v1"


# ------------------------------------------------------------------ answers checked against the OpenAPI document
# The document is the contract clients are generated from, so every answer a test receives is checked against it:
# the status must be one the operation documents, and the JSON body must match that status's schema (its $refs
# resolved in the document's components). jsonschema-rs is pinned in requirements/lock.txt (it came with
# schemathesis, which checks generated requests the same way) and named in pyproject's dev extras.


@functools.cache
def _document() -> dict[str, Any]:
    from shikhon.api.api import api

    # The very document /api/v1/openapi.json serves, through JSON (as a client reads it).
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


@functools.cache
def _operations() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    out = []
    for template, operations in _document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in operations.items():
            out.append((pattern, method.upper(), operation))
    return out


def _validator(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator({**schema, "components": _document()["components"]})


def assert_documented(response: Any, method: str | None = None, *, strict: bool = True) -> Any:
    """The answer's status is documented for its operation and its body matches the schema of that status. An
    address or method the document does not know (an unknown path, a 405), a server error (500, 503: possible
    anywhere, documented once in the description) and — with `strict=False`, for tests that force a failure an
    operation cannot otherwise meet — an undocumented status must still answer the error shape."""
    request = response.wsgi_request
    method = (method or request.method).upper()
    path = urlsplit(request.get_full_path()).path
    operation = next((op for pattern, m, op in _operations() if m == method and pattern.match(path)), None)
    body = response.json()
    if operation is None or response.status_code >= 500 or (
            not strict and str(response.status_code) not in operation["responses"]):
        _validator({"$ref": "#/components/schemas/ErrorOut"}).validate(body)
        return response
    documented = operation["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method} {path} answered {status}, not documented ({sorted(documented)})"
    schema = documented[status].get("content", {}).get("application/json", {}).get("schema")
    assert schema is not None, f"{method} {path} {status} has no JSON schema"
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in _validator(schema).iter_errors(body)]
    assert not errors, f"{method} {path} {status} does not match its schema: {errors[:5]}"
    return response


class ApiClient:
    """A Django test client that sends `Authorization: Bearer <token>` with every request (none when the token is
    None: a visitor, or the client's own session) and checks every answer against the OpenAPI document."""

    def __init__(self, client: Client, token: str | None, *, strict: bool = True) -> None:
        self.client = client
        self.token = token
        self.strict = strict  # False: an undocumented status forced by a test only needs the error shape

    def _auth(self, extra: dict[str, Any]) -> dict[str, Any]:
        if self.token is not None:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return extra

    def get(self, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
        return self._checked(self.client.get(API + path, data or {}, **self._auth(extra)))

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        if body is None:
            return self._checked(self.client.post(API + path, **self._auth(extra)))
        return self._checked(self.client.post(API + path, json.dumps(body), content_type="application/json",
                                              **self._auth(extra)))

    def request(self, method: str, path: str, **extra: Any) -> Any:
        return self._checked(getattr(self.client, method.lower())(API + path, **self._auth(extra)))

    def _checked(self, response: Any) -> Any:
        if response["Content-Type"].startswith("application/json"):
            assert_documented(response, strict=self.strict)
        return response


@pytest.fixture
def token_of() -> Callable[[User], str]:
    def make(user: User) -> str:
        _token, raw = access_token_create(actor=user, name="tests")
        return raw

    return make


@pytest.fixture
def api(client: Client, people: dict[str, User], token_of: Callable[[User], str]) -> ApiClient:
    """Signed in with Rubi's token (a teacher: any role may read places)."""
    return ApiClient(client, token_of(people["teacher_rubi"]))


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape: {"error": {"code", "message", "details"}}, as JSON."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].endswith(".")
    assert isinstance(body["error"]["details"], dict)
    return body["error"]
