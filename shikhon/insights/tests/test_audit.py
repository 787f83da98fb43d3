"""The read-only audit log page: national admins only, filtered by action, paginated."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.core.audit import audit_record
from shikhon.insights.views_audit import PAGE_SIZE

URL = "/audit/"


def _events(actor, n: int, action: str = "role_granted") -> None:
    for i in range(n):
        audit_record(actor=actor, action=action, summary=f"event {i}")


def test_url():
    assert reverse("insights:audit") == URL


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [
    ("national_admin_nasrin", 200),
    ("teacher_rubi", 404),
    ("head_teacher_masuma", 404),
    ("mentor_hatia", 404),
    ("officer_hatia", 404),
    ("officer_noakhali", 404),
    ("officer_chattagram", 404),
    ("researcher_tanvir", 404),
    ("no_role_user", 404),
])
def test_only_national_admins_see_the_audit_log(client, people, who, status):
    _events(people["national_admin_nasrin"], 1)
    client.force_login(people[who])
    assert client.get(URL).status_code == status


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:sign_in"))


@pytest.mark.django_db
def test_is_read_only(client, people):
    client.force_login(people["national_admin_nasrin"])
    assert client.post(URL, {"action": "role_granted"}).status_code == 405


@pytest.mark.django_db
def test_lists_events_newest_first_with_who_and_what(client, people):
    nasrin, masuma = people["national_admin_nasrin"], people["head_teacher_masuma"]
    audit_record(actor=masuma, action="membership_approved", target=people["teacher_rubi"],
                 summary="Approved Rubi at Hatia GPS")
    audit_record(actor=nasrin, action="role_granted", summary="Made Hasan upazila officer")
    audit_record(actor=None, action="schools_imported", summary="Imported 12 schools")
    client.force_login(nasrin)
    response = client.get(URL, headers={"accept-language": "en"})
    html = response.content.decode()
    assert [e.summary for e in response.context["events"]] == [
        "Imported 12 schools", "Made Hasan upazila officer", "Approved Rubi at Hatia GPS",
    ]
    assert "Nasrin Akter" in html or nasrin.display_name in html
    assert masuma.display_name in html
    assert "System" in html  # an event without an actor
    assert f"people.user {people['teacher_rubi'].pk}" in html


@pytest.mark.django_db
def test_filter_by_action(client, people):
    nasrin = people["national_admin_nasrin"]
    _events(nasrin, 3, "role_granted")
    _events(nasrin, 2, "token_revoked")
    client.force_login(nasrin)
    response = client.get(URL, {"action": "token_revoked"})
    assert response.status_code == 200
    assert {e.action for e in response.context["events"]} == {"token_revoked"}
    assert len(response.context["events"]) == 2
    assert client.get(URL, {"action": ""}).context["page"].paginator.count == 5


@pytest.mark.django_db
@pytest.mark.parametrize("junk", ["no_such_action", "x" * 10_000, "role_granted\x00", "' OR 1=1 --"])
def test_unknown_action_says_what_to_do_and_shows_everything(client, people, junk):
    nasrin = people["national_admin_nasrin"]
    _events(nasrin, 2)
    client.force_login(nasrin)
    response = client.get(URL, {"action": junk}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Choose an action from the list" in response.content.decode()
    assert response.context["page"].paginator.count == 2


@pytest.mark.django_db
def test_paginated_and_filter_kept_across_pages(client, people):
    nasrin = people["national_admin_nasrin"]
    _events(nasrin, PAGE_SIZE * 2 + 7, "password_set")
    _events(nasrin, 3, "role_ended")
    client.force_login(nasrin)
    first = client.get(URL, {"action": "password_set"})
    assert len(first.context["events"]) == PAGE_SIZE
    assert f'href="?action={"password_set"}&amp;page=2"' in first.content.decode()
    last = client.get(URL, {"action": "password_set", "page": "3"})
    assert len(last.context["events"]) == 7
    for junk in ("0", "-1", "999", "abc", "\x00"):
        assert client.get(URL, {"page": junk}).status_code == 200


@pytest.mark.django_db
def test_query_count_does_not_grow_with_events(client, people, django_assert_max_num_queries):
    nasrin = people["national_admin_nasrin"]
    for who in ("teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_hatia"):
        _events(people[who], 15)
    client.force_login(nasrin)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(response.context["events"]) == PAGE_SIZE


@pytest.mark.django_db
def test_audit_page_is_valid_html_and_isolates_what_people_typed(client, people):
    """`<time datetime>` to the second (microseconds are invalid HTML); names and summaries inside <bdi>."""
    from shikhon.core.tests.html_checks import html_problems

    admin = people["national_admin_nasrin"]
    audit_record(actor=admin, action="role_granted", summary="রুবি আক্তার")
    client.force_login(admin)
    page = client.get(URL).content.decode()
    assert not html_problems(page)
    assert "<bdi>রুবি আক্তার</bdi>" in page
