"""API test helpers: a token per named person, and a client that sends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from shikhon.people.models import User
from shikhon.people.services import access_token_create

API = "/api/v1"


class ApiClient:
    """A Django test client that sends `Authorization: Bearer <token>` with every request."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.token = token

    def get(self, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
        extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return self.client.get(API + path, data or {}, **extra)

    def request(self, method: str, path: str, **extra: Any) -> Any:
        extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return getattr(self.client, method.lower())(API + path, **extra)


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
