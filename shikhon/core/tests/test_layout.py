"""The site's shell (core.layout): constant parts rendered once per language while what differs per person and
page stays live (the language, the unread count, the CSRF tokens, the page's own address, the current
destination); the destinations of each audience; the profile menu; the meta description; /style/."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from config.settings.base import LOCALE_PATHS as REAL_LOCALE_PATHS
from shikhon.core import layout

pytestmark = pytest.mark.django_db


def page(client, url="/places/"):
    return client.get(url).content.decode()


def header_of(html: str) -> str:
    return html.split("<header", 1)[1].split("</header>")[0]


def nav_links(html: str) -> list[str]:
    bar = html.split('<nav class="bar"', 1)[1].split("</nav>")[0]
    return re.findall(r'<a href="([^"]+)"', bar)


def current_link(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', header_of(html))


def test_parts_are_rendered_once_per_language():
    layout.forget_layout_parts()
    bn = layout.layout_parts("bn")
    assert layout.layout_parts("bn") is bn and layout.layout_parts("en") is not bn
    assert bn["lang"] == "bn" and "offline.js" in bn["head"]
    assert [item.path for item in bn["navs"][layout.TEACHER]] == ["/", "/learn/", "/library/",
                                                                  "/practice/history/", "/profile/"]
    assert 'value="en" lang="en"' in bn["menu_switch"] and ">English</button>" in bn["menu_switch"]
    assert 'value="bn" lang="bn">বাংলা' in layout.layout_parts("en")["switch_end"]


def test_no_audience_has_more_than_five_destinations_and_each_resolves():
    layout.forget_layout_parts()
    parts = layout.layout_parts("en")
    for audience, destinations in layout.NAV.items():
        assert 1 <= len(destinations) <= 5, audience
        assert len(parts["navs"][audience]) == len(destinations), audience  # each one (or its fallback) resolves


def test_a_missing_url_name_falls_back_or_is_left_out(monkeypatch):
    gone = layout.Destination("insights:no_such_page", "chart", layout.PROGRESS.label, fallback=layout.SCHOOLS)
    lost = layout.Destination("nowhere:at_all", "chart", layout.PROGRESS.label)
    monkeypatch.setitem(layout.NAV, layout.OFFICER, (layout.HOME, gone, lost, layout.PROFILE))
    layout.forget_layout_parts()
    try:
        paths = [item.path for item in layout.layout_parts("en")["navs"][layout.OFFICER]]
    finally:
        layout.forget_layout_parts()
    assert paths == ["/", reverse("places:browse"), "/profile/"]


@pytest.mark.parametrize(("who", "audience"), [
    ("teacher_rubi", layout.TEACHER),
    ("teacher_pending_zahid", layout.TEACHER),
    ("no_role_user", layout.TEACHER),
    ("researcher_tanvir", layout.TEACHER),
    ("head_teacher_masuma", layout.HEAD_TEACHER),
    ("mentor_hatia", layout.MENTOR),
    ("officer_hatia", layout.OFFICER),
    ("officer_noakhali", layout.OFFICER),
    ("officer_chattagram", layout.OFFICER),
    ("national_admin_nasrin", layout.NATIONAL_ADMIN),
    ("course_author_shirin", layout.COURSE_AUTHOR),
])
def test_each_role_gets_its_audience(people, who, audience):
    assert layout.audience_of(people[who]) == audience


def test_a_visitor_is_a_visitor():
    from django.contrib.auth.models import AnonymousUser

    assert layout.audience_of(AnonymousUser()) == layout.VISITOR
    assert layout.audience_of(None) == layout.VISITOR


def test_a_teacher_gets_her_five_destinations_and_the_current_one_is_marked(client, people):
    client.force_login(people["teacher_rubi"])
    html = page(client, "/")
    assert nav_links(html) == ["/", "/learn/", "/library/", "/practice/history/", "/profile/"]
    assert current_link(html) == ["/"]
    assert current_link(page(client, "/notifications/")) == ["/"]  # her alerts are under Home, which counts them
    assert current_link(page(client, reverse("library:models"))) == ["/library/"]
    assert current_link(page(client, "/places/")) == []  # not one of hers: nothing is marked


def test_officers_and_head_teachers_get_their_area_and_training(client, people):
    client.force_login(people["officer_hatia"])
    links = nav_links(page(client, "/"))
    assert links[0] == "/" and "/training/" in links and links[-1] == "/profile/" and len(links) == 5
    area = links[1]
    try:
        assert area == reverse("insights:progress")
    except Exception:  # the supervisors' pages are not there yet: the schools pages stand in
        assert area == reverse("places:browse")
    client.force_login(people["head_teacher_masuma"])
    links = nav_links(page(client, "/"))
    assert links[1] == reverse("practice:school") and "/learn/" in links  # her school: teachers' learning and practice


def test_the_brand_and_the_home_destination_do_not_read_alike(client, people):
    with override_settings(LOCALE_PATHS=REAL_LOCALE_PATHS):
        client.force_login(people["teacher_rubi"])
        html = page(client, "/")
    header = header_of(html)
    brand = re.search(r'class="brand"[^>]*>.*?</svg>([^<]+)</a>', header).group(1)
    labels = re.findall(r"<span>([^<]+)</span>", header.split('<nav class="bar"', 1)[1].split("</nav>")[0])
    assert brand.strip() == "শিখন"
    assert brand.strip() not in labels and len(labels) == 5


def test_sign_out_and_the_language_switch_are_in_the_profile_menu(client, people):
    with override_settings(LOCALE_PATHS=REAL_LOCALE_PATHS):
        client.force_login(people["teacher_rubi"])
        bangla = page(client)
        menu = bangla.split('<details class="menu">', 1)[1].split("</details>")[0]
        assert f'<form method="post" action="{reverse("people:sign_out")}">' in menu and "সাইন আউট" in menu
        assert 'name="language" value="en" lang="en"' in menu
        client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
        english = page(client)
        assert '<html lang="en">' in english and "Sign out" in english and "সাইন আউট" not in english
        client.post(reverse("core:set_language"), {"language": "bn", "next": "/"})
        assert "সাইন আউট" in page(client)


def test_visitors_get_the_sign_in_links_and_the_language_switch(client, places):
    html = page(client, reverse("people:sign_in"))
    header = header_of(html)
    assert f'href="{reverse("people:sign_in")}"' in header and f'href="{reverse("library:home")}"' in header
    assert f'href="{reverse("people:register")}' in html  # one tap from signing in (the library took its place)
    assert reverse("people:sign_out") not in header and reverse("people:profile") not in header
    assert '<details class="menu">' not in header and 'name="language" value="en"' in header


def test_csrf_tokens_and_the_return_address_are_per_request(client, people):
    client.force_login(people["teacher_rubi"])
    first = page(client, "/places/?a=1")
    assert 'name="next" value="/places/?a=1"' in first
    assert first.count('name="csrfmiddlewaretoken"') == 2
    assert 'name="next" value="/places/?b=2"' in page(client, "/places/?b=2")


def test_the_icons_are_drawn_inline_and_hidden_beside_their_labels(client, people):
    client.force_login(people["teacher_rubi"])
    html = page(client, "/")
    assert "<use" not in html  # no second SVG document to load and lay out
    header = header_of(html)
    assert header.count('<svg class="i" viewBox="0 0 24 24" aria-hidden="true">') == 10  # logo, 5 places, menu ×4
    assert layout.icon("bell", "Alerts") == (f'<svg class="i" viewBox="0 0 24 24" role="img" aria-label="Alerts">'
                                             f'{layout.icon_drawings()["bell"][1]}</svg>')
    assert {"home", "book", "library", "learn", "bell", "user", "chart", "calendar", "school", "pen", "check",
            "sign-in",
            "join", "menu", "globe", "out", "logo"} <= set(layout.icon_drawings())


def test_every_page_has_a_meta_description(client, people):
    html = page(client, reverse("people:sign_in"))
    assert re.search(r'<meta name="description" content="[^"]{40,}">', html)
    client.force_login(people["teacher_rubi"])
    assert re.search(r'<meta name="description" content="[^"]{40,}">', page(client, "/notifications/"))


@pytest.mark.parametrize("who", [
    "teacher_rubi", "head_teacher_masuma", "officer_hatia", "officer_chattagram", "mentor_hatia",
    "researcher_tanvir", "course_author_shirin", "no_role_user",
])
def test_the_style_page_is_hidden_from_everyone_but_staff(client, people, who):
    client.force_login(people[who])
    assert client.get(reverse("core:style")).status_code == 404


def test_the_style_page_is_hidden_from_visitors(client, places):
    assert client.get(reverse("core:style")).status_code == 404


def test_national_admins_and_staff_see_the_style_page(client, people, django_assert_max_num_queries):
    client.force_login(people["national_admin_nasrin"])
    with django_assert_max_num_queries(8):
        html = client.get(reverse("core:style")).content.decode()
    for piece in ('class="btn"', 'class="card accent"', "<progress", 'class="badge pending"', 'class="empty"',
                  "&lt;progress", 'id="buttons"', 'aria-label="home"'):
        assert piece in html, piece
    staff = people["no_role_user"]
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)
    assert client.get(reverse("core:style")).status_code == 200


def test_the_style_page_answers_only_get(client, people):
    client.force_login(people["national_admin_nasrin"])
    assert client.post(reverse("core:style")).status_code == 405
