"""Browse and search pages: content, languages, 404s, pagination, query counts, hostile input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.places.models import District, Division, Upazila
from shikhon.places.tests.factories import ClusterFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubi(client, people):
    client.force_login(people["teacher_rubi"])
    return people["teacher_rubi"]


def english(client):
    client.cookies["django_language"] = "en"


def html(response) -> str:
    return response.content.decode()


# --- browse -----------------------------------------------------------------------------------


# Query bounds count the session, the user and the header's unread-notifications count (one each).
def test_browse_pages_need_sign_in(client, places):
    for url in [reverse("places:browse"), places["hatia"].get_absolute_url(),
                places["school_hatia"].get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("people:sign_in") in response.url


def test_browse_lists_the_eight_divisions_in_bangla_and_english(client, rubi, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("places:browse"))
    assert response.status_code == 200
    page = html(response)
    assert page.count('href="/places/division/') == 8
    for division in Division.objects.all():
        assert f"><bdi>{division.name_bn}</bdi></a>" in page
    english(client)
    page = html(client.get(reverse("places:browse")))
    assert "Chattagram" in page and "Mymensingh" in page and "চট্টগ্রাম" not in page


def test_division_lists_its_districts(client, rubi, places, django_assert_max_num_queries):
    division = places["chattagram"]
    with django_assert_max_num_queries(5):
        response = client.get(division.get_absolute_url())
    page = html(response)
    assert response.status_code == 200
    assert page.count('href="/places/district/') == District.objects.filter(division=division).count() == 11
    assert "নোয়াখালী" in page and 'class="crumbs"' in page


def test_district_lists_upazilas_with_school_counts(client, rubi, places, django_assert_max_num_queries):
    SchoolFactory(eiin="100005", upazila=places["hatia"])
    with django_assert_max_num_queries(5):
        response = client.get(places["noakhali"].get_absolute_url())
    assert response.status_code == 200
    english(client)
    page = html(client.get(places["noakhali"].get_absolute_url()))
    assert page.count('href="/places/upazila/') == Upazila.objects.filter(district=places["noakhali"]).count()
    assert "><bdi>Hatia</bdi></a> <span class=\"muted\">· 3 schools</span>" in page
    assert "><bdi>Subarnachar</bdi></a> <span class=\"muted\">· 1 school</span>" in page
    assert f'href="{places["chattagram"].get_absolute_url()}"' in page


def test_upazila_lists_schools_paginated_with_clusters(client, rubi, places, django_assert_max_num_queries):
    hatia = places["hatia"]
    for n in range(30):
        SchoolFactory(eiin=f"{110000 + n}", name_bn=f"বিদ্যালয় {n:02d}", upazila=hatia)
    SchoolFactory(eiin="119999", name_bn="বন্ধ বিদ্যালয়", upazila=hatia, is_active=False)
    cluster = ClusterFactory(upazila=hatia, name_bn="দক্ষিণ ক্লাস্টার")
    cluster.schools.add(places["school_hatia"])
    with django_assert_max_num_queries(8):
        first = client.get(hatia.get_absolute_url())
    assert first.status_code == 200
    page = html(first)
    assert page.count('href="/places/school/') == 25
    assert "দক্ষিণ ক্লাস্টার" in page and "?page=2" in page
    with django_assert_max_num_queries(8):
        second = client.get(hatia.get_absolute_url(), {"page": "2"})
    assert html(second).count('href="/places/school/') == 32 - 25
    assert "বন্ধ বিদ্যালয়" not in html(first) + html(second)
    assert client.get(hatia.get_absolute_url(), {"page": "abc"}).status_code == 200
    assert client.get(hatia.get_absolute_url(), {"page": "999999999999999999999"}).status_code == 200


def test_school_page_shows_everything_about_the_school(client, rubi, places, django_assert_max_num_queries):
    school = places["school_hatia"]
    cluster = ClusterFactory(upazila=school.upazila, name_bn="হাতিয়া ক্লাস্টার", name_en="Hatia cluster")
    cluster.schools.add(school)
    with django_assert_max_num_queries(6):
        response = client.get(school.get_absolute_url())
    page = html(response)
    assert response.status_code == 200
    assert "১০০০০১" in page and "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়" in page
    assert "Hatia Government Primary School" in page and "হাতিয়া ক্লাস্টার" in page
    for place in (school.upazila, school.district, school.division):
        assert f'href="{place.get_absolute_url()}"' in page
    english(client)
    page = html(client.get(school.get_absolute_url()))
    assert "100001" in page and "Government primary school" in page and "Hatia cluster" in page


def test_closed_school_page_says_so(client, rubi, places):
    school = SchoolFactory(eiin="100777", upazila=places["hatia"], is_active=False)
    english(client)
    assert "Closed" in html(client.get(school.get_absolute_url()))


def test_school_address_with_bangla_digits_redirects(client, rubi, places):
    response = client.get("/places/school/১০০০০১/")
    assert response.status_code == 301 and response.url == places["school_hatia"].get_absolute_url()


@pytest.mark.parametrize("url", [
    "/places/division/999999/", "/places/district/999999/", "/places/upazila/999999/",
    "/places/division/0/", "/places/division/abc/", "/places/district/1.5/", "/places/upazila/-1/",
    "/places/division/99999999999999999999999999/", "/places/upazila/9223372036854775808/",
    "/places/school/999999/", "/places/school/abc/", "/places/school/12345/", "/places/school/1000011/",
    "/places/school/100%00001/", "/places/school/%27%20OR%201=1/", "/places/nowhere/",
])
def test_unknown_or_malformed_ids_are_404(client, rubi, url):
    assert client.get(url).status_code == 404


# --- search -----------------------------------------------------------------------------------


def test_search_finds_schools_by_bangla_english_and_eiin(client, rubi, places, django_assert_max_num_queries):
    url = reverse("places:search")
    with django_assert_max_num_queries(6):
        page = html(client.get(url, {"q": "চরকিং"}))
    assert "চরকিং সরকারি প্রাথমিক বিদ্যালয়" in page and "হাতিয়া সরকারি" not in page
    assert places["school_hatia_2"].get_absolute_url() in page
    english(client)
    page = html(client.get(url, {"q": "king char"}))
    assert "Char King Government Primary School" in page and "1 school found." in page
    assert "Hatia Government Primary School" in html(client.get(url, {"q": "১০০০০১"}))


def test_search_without_query_shows_only_the_form(client, rubi, places):
    page = html(client.get(reverse("places:search")))
    assert 'name="q"' in page and "found" not in page and 'class="list"' not in page


def test_search_is_paginated(client, rubi, places, django_assert_max_num_queries):
    for n in range(27):
        SchoolFactory(eiin=f"{120000 + n}", name_bn=f"খুঁজুন বিদ্যালয় {n}", upazila=places["hatia"])
    url = reverse("places:search")
    with django_assert_max_num_queries(6):
        first = html(client.get(url, {"q": "খুঁজুন"}))
    assert first.count('href="/places/school/') == 25
    assert "page=2" in first and "q=%E0%A6%96" in first  # the pager keeps the query
    assert html(client.get(url, {"q": "খুঁজুন", "page": "2"})).count('href="/places/school/') == 2


def test_search_within_an_upazila(client, rubi, places):
    url = reverse("places:search")
    english(client)
    page = html(client.get(url, {"q": "government", "upazila": places["subarnachar"].pk}))
    assert "Char Jabbar" in page and "Hatia Government" not in page
    assert f'name="upazila" value="{places["subarnachar"].pk}"' in page
    assert "Search all of Bangladesh instead" in page
    listing = html(client.get(url, {"upazila": places["hatia"].pk}))
    assert "Hatia Government" in listing and "Char King" in listing and "Sylhet" not in listing
    # A junk or unknown upazila is ignored rather than failing.
    for junk in ["abc", "99999999", "-3", "1 OR 1=1", "9" * 40]:
        response = client.get(url, {"q": "government", "upazila": junk})
        assert response.status_code == 200 and "Hatia Government" in html(response)


@pytest.mark.parametrize("query", [
    "\x00", "চর\x00কিং", "a" * 10_000, "ক" * 10_000, "' OR '1'='1", "1; DROP TABLE places_school; --",
    "%%%", "_", "\\", "<script>alert(1)</script>", "😀" * 50, "   ", "9" * 500, "১" * 30,
])
def test_search_survives_hostile_queries(client, rubi, places, query):
    response = client.get(reverse("places:search"), {"q": query, "page": "x"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html(response)


def test_search_is_open_to_visitors_registering_but_rate_limited(client, places):
    url = reverse("places:search")
    response = client.get(url, {"q": "চরকিং"})
    assert response.status_code == 200
    page = html(response)
    assert "চরকিং সরকারি প্রাথমিক বিদ্যালয়" in page and "১০০০০২" in page
    assert 'href="/places/school/' not in page  # school pages are for signed-in people
    for _ in range(60):
        client.get(url, {"q": "x"})
    limited = client.get(url, {"q": "চরকিং"})
    assert limited.status_code == 429 and "চরকিং সরকারি" not in html(limited)


def test_signed_in_people_are_not_rate_limited(client, rubi, places):
    for _ in range(70):
        assert client.get(reverse("places:search"), {"q": "x"}).status_code == 200
