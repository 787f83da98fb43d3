"""While the database cannot be reached (a restart, a failover), requests answer 503 with Retry-After:
a short bilingual page on the site, the API's JSON error shape on the API. Never a 500."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.test import Client, RequestFactory
from django.urls import get_resolver

from shikhon.core import views
from shikhon.core.middleware import database_unavailable, database_unavailable_response

URLS = "shikhon.core.tests.urls_unavailable"
LANG_SECTIONS = ('<section class="error-lang" lang="bn">', '<section class="error-lang" lang="en">')


def _client() -> Client:
    return Client(raise_request_exception=False)


def _assert_503_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    for section in LANG_SECTIONS:
        assert html.count(section) == 1
    assert "Shikhon is briefly unavailable" in html
    assert "Please try again in a minute." in html
    assert "127.0.0.1" not in html and "5432" not in html  # nothing of the failure leaks


def test_the_site_uses_our_500_handler():
    assert get_resolver("config.urls").resolve_error_handler(500) is views.server_error


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_a_view_that_cannot_reach_the_database_answers_503():
    _assert_503_page(_client().get("/db-gone/"))


@pytest.mark.django_db
@pytest.mark.urls(URLS)
@pytest.mark.parametrize("error", [
    OperationalError("server closed the connection unexpectedly"),
    InterfaceError("connection already closed"),
    OperationalError("terminating connection due to administrator command"),
    OperationalError("database is locked"),
])
def test_failing_while_reading_the_session_in_a_middleware_answers_503(client, people, error):
    # LoginRequiredMiddleware reads request.user before any view runs: the error never reaches a view.
    client.force_login(people["teacher_rubi"])
    client.raise_request_exception = False
    with mock.patch.object(SessionStore, "load", side_effect=error):
        response = client.get("/courses/")
    _assert_503_page(response)


@pytest.mark.django_db
def test_every_query_failing_gives_503_on_a_real_page(client, people):
    client.force_login(people["teacher_rubi"])
    client.raise_request_exception = False
    with mock.patch("django.db.models.sql.compiler.SQLCompiler.execute_sql",
                    side_effect=OperationalError("could not connect to server: Connection refused")):
        response = client.get("/")
    _assert_503_page(response)


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_a_missing_table_is_a_broken_deployment_not_a_503():
    response = _client().get("/no-such-table/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
@pytest.mark.urls("shikhon.core.tests.urls_errors")
def test_other_errors_stay_500():
    assert _client().get("/boom/").status_code == 500


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens there


@pytest.fixture
def unreachable_database(settings):
    """A PostgreSQL alias pointed at a closed port: a real psycopg connection error, wrapped by Django."""
    pytest.importorskip("psycopg")
    import dj_database_url

    alias = "unreachable"
    conf = dj_database_url.parse(f"postgres://postgres@127.0.0.1:{_closed_port()}/nothing_here")
    conf["OPTIONS"] = {"connect_timeout": 2}
    configured = connections.configure_settings({"default": connections.settings["default"], alias: conf})
    connections.settings[alias] = configured[alias]
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        connections.settings.pop(alias, None)


@pytest.mark.urls(URLS)
def test_a_real_connection_to_a_closed_port_answers_503(unreachable_database, django_db_blocker):
    # Not a django_db test (that would forbid the extra alias); a signed-out request reads no session.
    with django_db_blocker.unblock():
        with pytest.raises(OperationalError):  # the real thing, as psycopg raises it
            connections[unreachable_database].ensure_connection()
        _assert_503_page(_client().get("/closed-port/"))


# --- the API -------------------------------------------------------------------------------------------


def _assert_api_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "unavailable"
    assert "Try again in a minute" in error["message"]
    assert error["details"] == {}


@pytest.mark.django_db
def test_api_endpoint_answers_503_in_its_json_shape(client, people):
    client.force_login(people["teacher_rubi"])
    client.raise_request_exception = False
    with mock.patch("django.db.models.sql.compiler.SQLCompiler.execute_sql",
                    side_effect=OperationalError("Connection refused")):
        response = client.get("/api/v1/divisions")
    _assert_api_503(response)


@pytest.mark.django_db
def test_api_failing_in_a_middleware_answers_json_too(client, people):
    client.force_login(people["teacher_rubi"])
    client.raise_request_exception = False
    with mock.patch.object(SessionStore, "load", side_effect=InterfaceError("connection already closed")):
        response = client.get("/api/v1/me")
    _assert_api_503(response)


@pytest.mark.django_db
def test_api_other_errors_stay_500(client, people):
    client.force_login(people["teacher_rubi"])
    client.raise_request_exception = False
    with mock.patch("django.db.models.sql.compiler.SQLCompiler.execute_sql", side_effect=RuntimeError("bug")):
        response = client.get("/api/v1/divisions")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


# --- the page needs nothing that may be down ------------------------------------------------------------


def _exploding_context_processor(request):
    raise RuntimeError("context processors must not be needed by the 503 page")


def test_503_page_needs_no_database_no_session_no_user_and_no_context_processor(settings):
    settings.TEMPLATES = [{
        **settings.TEMPLATES[0],
        "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"],
                    "context_processors": [f"{__name__}._exploding_context_processor"]},
    }]
    request = RequestFactory().get("/courses/")
    # No session or user on the request, and no `db` fixture: any query would fail the test.
    response = database_unavailable_response(request)
    _assert_503_page(response)


def test_which_errors_mean_unavailable():
    assert database_unavailable(OperationalError("could not connect to server"))
    assert database_unavailable(InterfaceError("connection already closed"))
    assert not database_unavailable(OperationalError("no such table: x"))
    assert not database_unavailable(RuntimeError("x"))
    assert not database_unavailable(None)


@pytest.mark.parametrize("message", ['near "RETURNING": syntax error', "too many SQL variables",
                                     "canceling statement due to statement timeout", "deadlock detected"])
def test_a_bug_or_a_timeout_is_not_called_an_unreachable_database(message):
    """Only connection failures are 'back in a minute'; other OperationalErrors stay 500s, logged in full."""
    from django.db.utils import OperationalError as DjangoOperationalError

    assert not database_unavailable(DjangoOperationalError(message))
