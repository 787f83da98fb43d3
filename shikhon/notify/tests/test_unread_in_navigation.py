"""Where a person finds her notifications: teachers' and head teachers' five places leave no room for Alerts, so
Home carries the unread count and the profile menu always links to all of them (core.layout)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.core import layout
from shikhon.notify.services import Tell, notifications_send_many

pytestmark = pytest.mark.django_db


def page(client, url="/places/"):
    return client.get(url).content.decode()


def header_of(html: str) -> str:
    return html.split("<header", 1)[1].split("</header>")[0]


def test_the_unread_count_stays_in_sight_without_an_alerts_destination(client, people):
    """Teachers' and head teachers' five places leave no room for Alerts: Home carries the unread count (its
    page heads with the unread notifications and links to all of them); mentors keep Alerts beside the library."""
    rubi = people["teacher_rubi"]
    notifications_send_many(tells=[Tell(recipient_id=rubi.pk, kind="membership_approved", event_key="test:nav",
                                        params={"school": "হাতিয়া"}, url="/")])
    client.force_login(rubi)
    bar = header_of(page(client, "/library/")).split('<nav class="bar"', 1)[1]
    home_item = bar.split("</li>", 1)[0]
    assert 'href="/"' in home_item and 'class="count">১' in home_item
    assert reverse("notify:list") in page(client, "/")
    for who, audience in (("head_teacher_masuma", layout.HEAD_TEACHER), ("mentor_hatia", layout.MENTOR)):
        destinations = layout.NAV[audience]
        assert layout.LIBRARY in destinations and any(d.counts_unread for d in destinations), who
    assert layout.COURSES not in layout.NAV[layout.MENTOR]  # mentors review the library in its place


def test_the_profile_menu_links_to_all_notifications_even_with_none_unread(client, people):
    client.force_login(people["teacher_rubi"])
    menu = header_of(page(client, "/library/")).split('<details class="menu"', 1)[1]
    assert f'href="{reverse("notify:list")}"' in menu
