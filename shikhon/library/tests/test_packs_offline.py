""""Save to phone" for a library content: POST /offline/contents/<pk>/save/ answers the addresses the service
worker caches (the content's page, its previews, its files up to the size limit; larger files listed with a
sentence), in the shape offline.js reads for a module. A draft or hidden content, or one she cannot see, is 404;
GET writes nothing (405). The content page's panel shows the button only for a published content."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from shikhon.library import page_packs
from shikhon.library.models import ContentFile
from shikhon.library.selectors import packs as selectors
from shikhon.library.tests.factories import ContentFactory
from shikhon.library.tests.test_packs_build import add_file, published


def save_url(pk: int) -> str:
    return reverse("offline:content_save", kwargs={"pk": pk})


def maybe(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # another part's page not there yet
        return ""


def login(client: Client, person: Any) -> Client:
    client.force_login(person)
    return client


def test_the_address() -> None:
    assert save_url(7) == "/offline/contents/7/save/"


@pytest.mark.usefixtures("media_root")
def test_a_published_content_answers_the_addresses_to_cache(client, people):
    content = published(people["teacher_rubi"], title="যোগের খেলা")
    small = add_file(content)
    response = login(client, people["teacher_subarnachar"]).post(save_url(content.pk))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    pack = response.json()
    assert pack["module"] == f"content-{content.pk}" and pack["title"] == "যোগের খেলা"
    page = maybe("library:content", pk=content.pk)
    assert pack["url"] == page
    if page:
        assert pack["urls"][0] == page
    preview = maybe("library:file_preview", pk=small.pk, page=1)
    file_url = maybe("library:file", pk=small.pk)
    if preview:
        assert preview in pack["urls"]
    if file_url:
        assert any(u.split("?")[0] == file_url for u in pack["urls"])
        assert pack["media_bytes"] == small.size
    assert "/offline/" in pack["urls"] and pack["skipped"] == []
    assert len(pack["urls"]) == len(set(pack["urls"]))


@pytest.mark.usefixtures("media_root")
def test_large_files_are_left_out_with_a_sentence(client, people, monkeypatch):
    monkeypatch.setattr(selectors, "SAVE_MAX_BYTES", 100)
    content = published(people["teacher_rubi"])
    big = add_file(content, name="বড় বই.pdf")
    pack = login(client, people["teacher_rubi"]).post(save_url(content.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert len(pack["skipped"]) == 1
    assert "বড় বই.pdf" in pack["skipped"][0]["reason"]
    file_url = maybe("library:file", pk=big.pk)
    assert not any(file_url and u.split("?")[0] == file_url for u in pack["urls"])
    assert pack["media_bytes"] == 0
    if maybe("library:file_preview", pk=big.pk, page=1):  # the small preview still goes
        assert maybe("library:file_preview", pk=big.pk, page=1) in pack["urls"]


@pytest.mark.usefixtures("media_root")
def test_previews_not_ready_are_not_listed(people):
    content = published(people["teacher_rubi"])
    add_file(content)
    ContentFile.objects.update(preview_state=ContentFile.Preview.PENDING)
    found = selectors.content_save_urls(content)
    assert not any("/preview/" in u for u in found["urls"])


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "teacher_subarnachar"])
def test_drafts_and_hidden_contents_are_not_saved(client, people, who):
    draft = ContentFactory(author=people["teacher_rubi"])
    hidden = published(people["teacher_rubi"])
    hidden.hidden_at = timezone.now()
    hidden.save(update_fields=["hidden_at"])
    login(client, people[who])
    for content in (draft, hidden):
        response = client.post(save_url(content.pk))
        assert response.status_code == 404  # even her own draft: only what everyone may read goes on a phone
        assert "error" in response.json()


def test_missing_bad_and_get(client, people):
    content = published(people["teacher_rubi"])
    login(client, people["teacher_rubi"])
    assert client.post(save_url(999999)).status_code == 404
    assert client.post("/offline/contents/x/save/").status_code == 404
    assert client.get(save_url(content.pk)).status_code == 405


def test_visitors_are_sent_to_sign_in(client, people):
    content = published(people["teacher_rubi"])
    response = client.post(save_url(content.pk))
    assert response.status_code in (302, 401, 403, 404)
    assert response.status_code != 200


def test_the_csrf_token_is_required(people):
    content = published(people["teacher_rubi"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["teacher_rubi"])
    assert client.post(save_url(content.pk)).status_code == 403


def test_the_panel_offers_saving_for_published_contents_only(rf, people):
    content = published(people["teacher_rubi"])
    request = rf.get("/")
    request.user = people["teacher_subarnachar"]
    assert page_packs.content_page_context(request, content)["packs_save_url"] == save_url(content.pk)
    draft = ContentFactory(author=people["teacher_rubi"])
    request.user = people["teacher_rubi"]
    assert page_packs.content_page_context(request, draft)["packs_save_url"] == ""


def test_the_panel_template(rf, people):
    from django.template.loader import render_to_string

    content = published(people["teacher_rubi"])
    request = rf.get("/")
    request.user = people["teacher_rubi"]
    html = render_to_string("library/content_page/_packs.html", page_packs.content_page_context(request, content),
                            request=request)
    assert f'data-save="{save_url(content.pk)}"' in html
    assert f'data-offline-module="content-{content.pk}"' in html and "data-offline-nojs" in html
    assert "<button type=\"button\" class=\"btn secondary\" hidden>" in html
    assert render_to_string("library/content_page/_packs.html", {"packs_save_url": ""}).strip() == ""


def test_the_content_page_carries_the_button(client, people):
    content = published(people["teacher_rubi"])
    page = maybe("library:content", pk=content.pk)
    if not page:
        pytest.skip("the contents part's page is not there yet")
    html = login(client, people["teacher_subarnachar"]).get(page).content.decode()
    assert f'data-save="{save_url(content.pk)}"' in html
    draft = ContentFactory(author=people["teacher_rubi"])
    html = login(Client(), people["teacher_rubi"]).get(maybe("library:content", pk=draft.pk)).content.decode()
    assert "/offline/contents/" not in html
