"""/profile/tokens/: list my API tokens, make one (secret shown once), revoke one. Others' answer 404. Only
officers, national admins and researchers have the page; for everyone else it answers 404 and the profile
does not link to it, while tokens they made before keep working on the API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shikhon.core.models import AuditEvent
from shikhon.people.models import AccessToken
from shikhon.people.services import access_token_create

pytestmark = pytest.mark.django_db

URL = "/profile/tokens/"
SECRET = re.compile(r'value="(shk_[A-Za-z0-9_-]+)"')


def test_url_names():
    assert reverse("people:tokens") == URL
    assert reverse("people:token_revoke", args=[7]) == "/profile/tokens/7/revoke/"


def test_sign_in_needed(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("people:sign_in") in response["Location"]
    assert client.post(reverse("people:token_revoke", args=[1])).status_code == 302


KEEPERS = ["officer_hatia", "officer_noakhali", "officer_chattagram", "national_admin_nasrin", "researcher_tanvir"]
OTHERS = ["teacher_rubi", "head_teacher_masuma", "teacher_pending_zahid", "mentor_hatia", "course_author_shirin",
          "no_role_user"]


@pytest.mark.parametrize(("who", "status"), [*[(w, 200) for w in KEEPERS], *[(w, 404) for w in OTHERS]])
def test_who_has_the_tokens_page(client, people, who, status):
    client.force_login(people[who])
    assert client.get(URL).status_code == status
    linked = f'href="{URL}"' in client.get(reverse("people:profile")).content.decode()
    assert linked == (status == 200)


@pytest.mark.parametrize("who", OTHERS)
def test_others_can_neither_make_nor_revoke_tokens(client, people, who):
    person = people[who]
    token, raw = access_token_create(actor=person, name="made before")
    client.force_login(person)
    assert client.post(URL, {"name": "new"}).status_code == 404
    assert client.post(reverse("people:token_revoke", args=[token.pk])).status_code == 404
    assert AccessToken.objects.filter(user=person).count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None
    # A token made before the page left her profile still works on the API (people/README.md).
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_list_shows_only_my_tokens(client, people):
    rubi, masuma = people["officer_hatia"], people["head_teacher_masuma"]
    mine, _ = access_token_create(actor=rubi, name="attendance sheet")
    theirs, _ = access_token_create(actor=masuma, name="masuma's script")
    client.force_login(rubi)
    html = client.get(URL).content.decode()
    assert "attendance sheet" in html and f"{mine.prefix}…" in html
    assert "masuma" not in html and theirs.prefix not in html
    assert 'href="/api/v1/docs"' in html
    assert not SECRET.search(html)


def test_create_shows_the_secret_once_and_stores_only_its_hash(client, people):
    rubi = people["officer_hatia"]
    client.force_login(rubi)
    response = client.post(URL, {"name": "  my laptop  "})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = SECRET.search(html).group(1)
    assert "shown only this once" in html
    token = AccessToken.objects.get(user=rubi)
    assert token.name == "my laptop" and secret.startswith(token.prefix)
    assert token.token_hash != secret and secret not in token.token_hash
    assert AuditEvent.objects.filter(action="token_created", actor=rubi).count() == 1
    # Never again: the list page shows the prefix only.
    again = client.get(URL).content.decode()
    assert secret not in again and f"{token.prefix}…" in again
    # And the secret works on the API.
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["id"] == rubi.pk


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_bad_names_are_refused_and_nothing_is_stored(client, people, name):
    client.force_login(people["officer_hatia"])
    response = client.post(URL, {"name": name})
    assert response.status_code == 200
    assert not SECRET.search(response.content.decode())
    assert 'class="errorlist"' in response.content.decode()
    assert not AccessToken.objects.exists()


def test_twenty_active_tokens_at_most(client, people):
    rubi = people["officer_hatia"]
    for n in range(20):
        access_token_create(actor=rubi, name=f"t{n}")
    client.force_login(rubi)
    html = client.post(URL, {"name": "one more"}).content.decode()
    assert "You have ২০ active tokens. Revoke one before making another." in html
    assert not SECRET.search(html)
    assert AccessToken.objects.filter(user=rubi).count() == 20


def test_revoke_my_token(client, people):
    rubi = people["officer_hatia"]
    token, raw = access_token_create(actor=rubi, name="old phone")
    client.force_login(rubi)
    response = client.post(reverse("people:token_revoke", args=[token.pk]), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    html = response.content.decode()
    assert "was revoked" in html and "Revoked" in html
    assert f'action="{reverse("people:token_revoke", args=[token.pk])}"' not in html  # no button any more
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="token_revoked", target_id=str(token.pk)).exists()
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    # Revoking twice is harmless.
    client.force_login(rubi)
    assert client.post(reverse("people:token_revoke", args=[token.pk])).status_code == 302


@pytest.mark.parametrize("who", ["researcher_tanvir", "officer_noakhali", "national_admin_nasrin"])
def test_others_tokens_answer_404(client, people, who):
    token, _ = access_token_create(actor=people["officer_hatia"], name="hatia's")
    client.force_login(people[who])
    assert client.post(reverse("people:token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("people:token_revoke", args=[token.pk + 1000])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(client, people):
    token, _ = access_token_create(actor=people["officer_hatia"], name="t")
    client.force_login(people["officer_hatia"])
    assert client.get(reverse("people:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_list_is_paginated_and_query_count_is_bounded(client, people, django_assert_max_num_queries):
    rubi = people["officer_hatia"]
    for n in range(45):
        token, _ = access_token_create(actor=rubi, name=f"token {n:02d}")
        if n < 30:
            token.revoked_at = token.created_at
            token.save(update_fields=["revoked_at"])
    client.force_login(rubi)
    with django_assert_max_num_queries(6):
        first = client.get(URL)
    assert first.content.decode().count('class="badge') == 20
    last = client.get(URL, {"page": 3}).content.decode()
    assert last.count('class="badge') == 5
    assert client.get(URL, {"page": "abc"}).status_code == 200
