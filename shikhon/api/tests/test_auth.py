"""Who may call: a personal access token or the site's session; everyone else hears 401 JSON."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from shikhon.api.auth import SessionAuth, TokenAuth
from shikhon.api.errors import ApiError, InvalidToken
from shikhon.api.tests.conftest import API, ApiClient, assert_error
from shikhon.people.services import access_token_create, access_token_revoke

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/divisions", "/divisions/1", "/districts", "/districts/1", "/upazilas", "/upazilas/1",
             "/schools", "/schools/100001", "/me", "/me/certificates", "/me/enrolments", "/me/invitations",
             "/training/programmes", "/training/batches"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_callers_get_401_json_not_a_redirect(client, places, path):
    response = client.get(API + path)
    error = assert_error(response, 401, "not_authenticated")
    assert "Authorization: Bearer" in error["message"]
    assert "Location" not in response
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_token_callers_of_any_role_may_read(client, people, token_of, path):
    for who in ("teacher_rubi", "no_role_user", "researcher_tanvir"):
        assert ApiClient(client, token_of(people[who])).get(path).status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_session_callers_may_read(client, people, path):
    client.force_login(people["teacher_pending_zahid"])
    assert client.get(API + path).status_code == 200


def test_token_use_is_recorded(client, people):
    token, raw = access_token_create(actor=people["officer_hatia"], name="sheet")
    assert token.last_used_at is None
    ApiClient(client, raw).get("/divisions")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused_even_with_a_session(client, people):
    user = people["officer_hatia"]
    token, raw = access_token_create(actor=user, name="old")
    api = ApiClient(client, raw)
    assert api.get("/me").status_code == 200
    access_token_revoke(actor=user, token=token)
    error = assert_error(api.get("/me"), 401, "invalid_token")
    assert "revoked" in error["message"]
    client.force_login(user)  # a browser session does not rescue a bad token
    assert_error(api.get("/me"), 401, "invalid_token")
    assert client.get(API + "/me").status_code == 200  # the session alone works


def test_token_of_deactivated_person_is_refused(client, people):
    user = people["teacher_rubi"]
    _token, raw = access_token_create(actor=user, name="t")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_error(ApiClient(client, raw).get("/me"), 401, "invalid_token")


@pytest.mark.parametrize("header", [
    "Bearer", "Bearer ", "Token shk_abc", "Basic dXNlcjpwYXNz", "bearer", "shk_abc",
    "Bearer shk_wrong", "Bearer not-a-shikhon-token", "Bearer shk_" + "x" * 5000, "Bearer shk_\u09e7\u09e8",
])
def test_malformed_or_unknown_authorization_headers_get_401(client, people, header):
    assert_error(client.get(API + "/me", HTTP_AUTHORIZATION=header), 401, "invalid_token")


def test_scheme_is_case_insensitive(client, people, token_of):
    raw = token_of(people["teacher_rubi"])
    assert client.get(API + "/me", HTTP_AUTHORIZATION=f"bearer {raw}").status_code == 200
    assert client.get(API + "/me", HTTP_AUTHORIZATION=f"  Bearer   {raw}  ").status_code == 200


def test_schema_and_docs_are_public(client, db):
    schema = client.get(API + "/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert sorted(paths) == sorted(API + p for p in [
        "/divisions", "/divisions/{id}", "/districts", "/districts/{id}", "/upazilas", "/upazilas/{id}",
        "/schools", "/schools/{eiin}", "/me", "/certificates/verify", "/me/certificates",
        "/courses", "/courses/{slug}", "/courses/{slug}/enrol", "/me/enrolments", "/activities/{id}/done",
        "/quizzes/{id}", "/quizzes/{id}/attempts", "/attempts/{id}", "/attempts/{id}/submit",
        "/training/programmes", "/training/batches", "/training/batches/{id}", "/me/invitations",
        "/me/invitations/{id}", "/me/invitations/{id}/accept", "/me/invitations/{id}/decline",
        "/area/enrolments", "/area/completions",
        "/practice/plans", "/practice/plans/{id}", "/practice/plans/{id}/drop", "/practice/records",
        "/practice/records/{id}", "/practice/records/{id}/acknowledge", "/practice/records/{id}/encourage",
        "/practice/circles", "/practice/circles/mine", "/practice/circles/{id}", "/practice/circles/{id}/meetings",
        "/practice/meetings/{id}", "/practice/instruments", "/practice/observations", "/practice/observations/{id}",
        "/practice/observations/{id}/answer", "/practice/observations/{id}/entries",
        "/practice/observations/{id}/replies", "/practice/checks", "/practice/check-rounds",
        "/practice/check-rounds/{id}", "/practice/status/me", "/practice/status/area",
        "/practice/certificate-progress",
        "/champions/current", "/champions/formula", "/champions/past", "/champions/weeks/{starts_on}",
        "/library/contents", "/library/contents/{id}", "/library/contents/{id}/adapt",
        "/library/contents/{id}/comments",
        "/library/contents/{id}/demote", "/library/contents/{id}/files", "/library/contents/{id}/promote",
        "/library/contents/{id}/rating", "/library/contents/{id}/reports", "/library/contents/{id}/review/start",
        "/library/contents/{id}/reviews", "/library/contents/{id}/submit", "/library/contents/{id}/withdraw",
        "/library/models", "/library/reviews/queue", "/library/reviews/rubric", "/library/subjects",
        "/library/subjects/{id}/topics"])
    # Only published courses, the library's published contents and curriculum, and the champions are public: their
    # operations list "no credentials" ({}) as a way in.
    public = {(path, method) for path, operations in paths.items() for method, operation in operations.items()
              if {} in operation.get("security", [])}
    assert public == {(API + path, "get") for path in (
        "/courses", "/courses/{slug}", "/champions/current", "/champions/formula", "/champions/past",
        "/champions/weeks/{starts_on}", "/library/contents", "/library/contents/{id}",
        "/library/contents/{id}/comments",
        "/library/contents/{id}/files", "/library/models", "/library/reviews/rubric", "/library/subjects",
        "/library/subjects/{id}/topics")}
    schemes = schema.json()["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    docs = client.get(API + "/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI from our own static files: the site's CSP (script-src 'self') allows it; no CDN.
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_unknown_api_paths_answer_json_404_for_anyone(client, db):
    for path in ("/nope", "/", "/divisions/", "/schools/100001/extra"):
        assert_error(client.get(API + path), 404, "not_found")


# ---- the auth classes themselves ------------------------------------------------------------------


def _request(method, user, **extra):
    request = getattr(RequestFactory(), method)("/api/v1/anything", **extra)
    request.user = user
    return request


def test_session_auth_checks_csrf_for_unsafe_methods_only(people):
    user = people["teacher_rubi"]
    auth = SessionAuth()
    assert auth(_request("get", user)) == user
    with pytest.raises(ApiError) as raised:
        auth(_request("post", user))
    assert raised.value.status_code == 403 and raised.value.code == "csrf_failed"
    secret = "a" * 32
    request = _request("post", user, HTTP_X_CSRFTOKEN=secret)
    request.COOKIES["csrftoken"] = secret
    assert auth(request) == user
    # No session: "sign in" (None → 401), never a CSRF complaint.
    assert auth(_request("post", AnonymousUser())) is None


def test_token_auth_does_not_need_csrf(people):
    _token, raw = access_token_create(actor=people["teacher_rubi"], name="t")
    request = _request("post", AnonymousUser(), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert TokenAuth()(request) == people["teacher_rubi"]
    assert TokenAuth()(_request("post", AnonymousUser())) is None
    with pytest.raises(InvalidToken):
        TokenAuth()(_request("get", AnonymousUser(), HTTP_AUTHORIZATION="Bearer shk_nope"))

