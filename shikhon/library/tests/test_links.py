"""The library's front page links each person to the library's places she may use, with no extra query."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CASES = {
    "teacher_rubi": {"library:mine", "library:new", "library:packs", "recognition:index"},
    "mentor_hatia": {"library:review_queue", "library:moderation", "library:packs", "recognition:index"},
    "officer_hatia": {"library:moderation", "library:packs", "recognition:index"},
    "researcher_tanvir": {"library:packs", "recognition:index"},
}
ALL = {"library:mine", "library:new", "library:review_queue", "library:moderation", "library:packs",
       "recognition:index"}


@pytest.mark.parametrize("who", [*CASES, "visitor"])
def test_front_page_links_by_role(client, people, who):
    if who != "visitor":
        client.force_login(people[who])
    html = client.get(reverse("library:home")).content.decode()
    expected = CASES.get(who, {"recognition:index"})
    for name in ALL:
        assert (f'href="{reverse(name)}"' in html) == (name in expected), name
