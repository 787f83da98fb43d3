"""The base layout's constant parts are rendered once per language (core.layout) while what differs per
person and page stays live: the language, the unread count, the CSRF token and the page's own address."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from config.settings.base import LOCALE_PATHS as REAL_LOCALE_PATHS
from shikhon.core import layout

pytestmark = pytest.mark.django_db


def page(client, url="/places/"):
    return client.get(url).content.decode()


def test_parts_are_rendered_once_per_language(django_assert_num_queries):
    layout.forget_layout_parts()
    bn = layout.layout_parts("bn")
    assert layout.layout_parts("bn") is bn and layout.layout_parts("en") is not bn
    assert bn["lang"] == "bn" and 'href="/learn/"' in bn["nav_in"] and "offline.js" in bn["head"]
    assert 'value="en" lang="en">English' in bn["switch"]
    assert 'value="bn" lang="bn">বাংলা' in layout.layout_parts("en")["switch"]


def test_the_header_reads_in_the_chosen_language_with_the_real_catalogue(client, people):
    with override_settings(LOCALE_PATHS=REAL_LOCALE_PATHS):
        client.force_login(people["teacher_rubi"])
        bangla = page(client)
        assert '<html lang="bn">' in bangla and "সাইন আউট" in bangla and "Sign out" not in bangla
        client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
        english = page(client)
        assert '<html lang="en">' in english and "Sign out" in english and "সাইন আউট" not in english
        client.post(reverse("core:set_language"), {"language": "bn", "next": "/"})
        assert "সাইন আউট" in page(client)


def test_visitors_get_the_sign_in_links(client, places):
    header = page(client, reverse("people:sign_in")).split("<header", 1)[1].split("</header>")[0]
    assert f'href="{reverse("people:sign_in")}"' in header and f'href="{reverse("people:register")}"' in header
    assert reverse("people:sign_out") not in header and reverse("people:profile") not in header


def test_csrf_tokens_and_the_return_address_are_per_request(client, people):
    client.force_login(people["teacher_rubi"])
    first = page(client, "/places/?a=1")
    assert 'name="next" value="/places/?a=1"' in first
    assert first.count('name="csrfmiddlewaretoken"') == 2
    assert 'name="next" value="/places/?b=2"' in page(client, "/places/?b=2")

