"""The library's public pages (views_search.py): the home page (search, filters, next-page links) and the model
contents, for visitors (no session read) and each role; bad input said, never a 500; bounded queries; light."""

from __future__ import annotations

import gzip

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shikhon.library.models import Content
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(people):
    rubi = people["teacher_rubi"]
    made = [ContentFactory(author=rubi, published=True, title=f"গণিতের পাঠ {n}", summary="") for n in range(25)]
    Content.objects.filter(pk__in=[c.pk for c in made[:12]]).update(is_model=True, model_since=timezone.now())
    ContentFactory(author=rubi, title="গণিতের খসড়া")
    return made


def get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_searches_without_a_session(client, many, django_assert_max_num_queries):
    get(client, "library:home")  # the filters' choices into the cache
    # PostgreSQL adds the probe of how common the words are (3 statements, then remembered) and the page's planner
    # settings (2): library.search.plan_for/planner.
    with django_assert_max_num_queries(3 + (5 if connection.vendor == "postgresql" else 0)):
        html = get(client, "library:home", q="গণি")
    assert "গণিতের পাঠ 24" in html and "গণিতের খসড়া" not in html
    assert 'role="search"' in html and 'method="get"' in html
    assert "page=2" in html and "q=%E0%A6%97" in html  # next page keeps the words
    assert "sessionid" not in client.cookies
    assert len(gzip.compress(html.encode())) <= 14 * 1024


def test_next_page_and_filters(client, many):
    second = get(client, "library:home", q="গণি", sort="newest", page="২")
    assert "গণিতের পাঠ 4" in second and "গণিতের পাঠ 24" not in second
    models = get(client, "library:home", model="on", sort="newest")
    assert "গণিতের পাঠ 11" in models and "গণিতের পাঠ 12" not in models


@pytest.mark.parametrize("params", [
    {"grade": "99"}, {"grade": "x"}, {"subject": "999999"}, {"kind": "bad"}, {"district": "abc"},
    {"upazila": "12345678901234567890"}, {"sort": "evil"}, {"page": "-1"}, {"page": "99999999999"},
    {"q": "%" * 400}, {"q": "\x00"}, {"model": "maybe"},
])
def test_bad_input_is_said_never_a_500(client, many, params):
    response = client.get(reverse("library:home"), params)
    assert response.status_code == 200


def test_a_too_short_word_is_said(client, many):
    assert "Type at least" in get(client, "library:home", q="ক")


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "officer_hatia",
                                 "teacher_subarnachar", "national_admin_nasrin"])
def test_every_role_finds_the_same_public_contents(client, people, many, who, django_assert_max_num_queries):
    client.force_login(people[who])
    get(client, "library:home")
    with django_assert_max_num_queries(8):
        html = get(client, "library:home", q="গণি")
    assert "গণিতের পাঠ 24" in html and "গণিতের খসড়া" not in html


def test_model_contents_by_class_and_subject(client, many, django_assert_max_num_queries):
    get(client, "library:models")
    with django_assert_max_num_queries(4):
        html = get(client, "library:models")
    assert "গণিতের পাঠ 11" in html and "গণিতের পাঠ 12" not in html and "(১২)" in html
    assert "sessionid" not in client.cookies
    assert len(gzip.compress(html.encode())) <= 14 * 1024
    chosen = get(client, "library:models", grade="১", subject="bad")
    assert "গণিতের পাঠ 11" in chosen
    assert client.post(reverse("library:models")).status_code == 405
