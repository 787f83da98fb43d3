"""With the project's catalogue switched on (as in production), pages and messages read in Bangla."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from config.settings.base import LOCALE_PATHS as REAL_LOCALE_PATHS

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    with override_settings(LOCALE_PATHS=REAL_LOCALE_PATHS):
        yield
    assert settings.LOCALE_PATHS == []


def test_sign_in_page_is_in_bangla(client, catalogue):
    html = client.get(reverse("people:sign_in")).content.decode()
    assert '<html lang="bn">' in html
    assert "সাইন ইন" in html
    assert "Sign in" not in html.replace('lang="en">English', "")


def test_wrong_phone_message_is_in_bangla(client, catalogue):
    html = client.post(reverse("people:sign_in"), {"phone": "12345"}).content.decode()
    assert "০১৭১২৩৪৫৬৭৮" in html  # the example number, in the page's digits (errors: |textdigits)
    assert "This is not a Bangladeshi mobile number" not in html


def test_english_still_available(client, catalogue):
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("people:sign_in")).content.decode()
    assert '<html lang="en">' in html and "Sign in" in html


def test_every_role_name_has_a_bangla_text(catalogue):
    from shikhon.people.models import Role

    for kind in Role.Kind:
        with translation.override("en"):
            english = str(kind.label)
        with translation.override("bn"):
            bangla = str(kind.label)
        assert bangla != english and any("\u0980" <= ch <= "\u09ff" for ch in bangla), kind


def test_api_errors_follow_accept_language(client, catalogue):
    body = client.get("/api/v1/schools", HTTP_ACCEPT_LANGUAGE="bn").json()
    assert body["error"]["code"]
    assert any("\u0980" <= ch <= "\u09ff" for ch in body["error"]["message"])
