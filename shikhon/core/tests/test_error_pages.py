"""Friendly, bilingual 400/403/404/500 pages that need no database and no context processor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory
from django.views import defaults

LANG_SECTIONS = ('<section class="error-lang" lang="bn">', '<section class="error-lang" lang="en">')


def _assert_bilingual(html: str) -> None:
    for section in LANG_SECTIONS:
        assert html.count(section) == 1, section
    assert html.index(LANG_SECTIONS[0]) < html.index(LANG_SECTIONS[1])
    assert html.count('href="/"') >= 3  # the brand and one "home" link per language
    assert "<script" not in html and "style=" not in html


@pytest.mark.django_db
def test_404_page_is_friendly_and_bilingual(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _assert_bilingual(html)
    assert "We could not find this page" in html
    assert "Check the address, or start again from the home page." in html


@pytest.mark.django_db
def test_404_for_a_signed_in_person_too(client, people):
    client.force_login(people["teacher_rubi"])
    response = client.get("/places/division/999999/")
    assert response.status_code == 404
    _assert_bilingual(response.content.decode())


@pytest.mark.django_db
@pytest.mark.urls("shikhon.core.tests.urls_errors")
def test_500_page_is_friendly_and_bilingual():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    _assert_bilingual(html)
    assert "Something went wrong on our side" in html
    assert "boom" not in html  # no details of the failure leak to the visitor


def _exploding_context_processor(request):
    raise RuntimeError("context processors must not be needed by the 500 page")


def test_500_page_needs_no_database_no_request_and_no_context_processor(settings, django_assert_num_queries):
    settings.TEMPLATES = [{
        **settings.TEMPLATES[0],
        "OPTIONS": {
            **settings.TEMPLATES[0]["OPTIONS"],
            "context_processors": [f"{__name__}._exploding_context_processor"],
        },
    }]
    request = RequestFactory().get("/anything/")
    # No `db` fixture: any query would fail the test, and so would a context processor.
    response = defaults.server_error(request)
    assert response.status_code == 500
    _assert_bilingual(response.content.decode())


@pytest.mark.django_db
def test_403_and_400_pages(rf):
    forbidden = defaults.permission_denied(rf.get("/x/"), PermissionDenied())
    assert forbidden.status_code == 403
    _assert_bilingual(forbidden.content.decode())
    assert "You cannot do this" in forbidden.content.decode()
    bad = defaults.bad_request(rf.get("/x/"), SuspiciousOperation())
    assert bad.status_code == 400
    _assert_bilingual(bad.content.decode())


@pytest.mark.django_db
def test_csrf_failure_page_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/language/", {"language": "en"})
    assert response.status_code == 403
    html = response.content.decode()
    _assert_bilingual(html)
    assert "Go back, reload the page and send the form again." in html
    assert "CSRF" not in html  # no jargon


@pytest.mark.django_db
def test_the_page_language_follows_the_visitors_choice_not_the_phone(client):
    html = client.get("/no-such-page/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="bn">' in html  # Bangla first, whatever the phone is set to
    client.cookies["django_language"] = "en"
    html = client.get("/no-such-page/", headers={"accept-language": "bn"}).content.decode()
    assert '<html lang="en">' in html
