"""Sync kinds come from the registry each app fills (core.outbox.sync_kinds): a kind registered by a test
goes through /sync/ end to end — checked by its model, run by its handler, answered once, replayed from its
receipt, refused with its own sentence — without any change to offline; duplicates and unknown kinds are
refused with a clear error."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from shikhon.core.outbox import StrictModel, SyncKind, SyncRejected, sync_kinds
from shikhon.core.registry import UnknownName
from shikhon.offline.models import SyncReceipt

pytestmark = pytest.mark.django_db
handled: list[tuple[int, str]] = []


class NotePayload(StrictModel):
    text: str


def note_handle(actor: Any, payload: NotePayload) -> dict[str, Any]:
    if payload.text == "no":
        raise SyncRejected("Notes that say no are refused.", "/notes/")
    handled.append((actor.pk, payload.text))
    return {"message": f"Note saved: {payload.text}", "url": "/notes/"}


@pytest.fixture
def note_kind():
    handled.clear()
    with sync_kinds.temporarily(SyncKind("test_note", NotePayload, note_handle, "This note could not be read.")):
        yield


def sync(client: Client, *items: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/sync/", data=json.dumps({"items": list(items)}), content_type="application/json")
    assert response.status_code == 200
    return response.json()["results"]


def note(text: Any, key: str | None = None) -> dict[str, Any]:
    return {"id": key or str(uuid.uuid4()), "kind": "test_note", "payload": {"text": text}}


def test_a_kind_registered_elsewhere_syncs_end_to_end(client, people, note_kind):
    rubi = people["teacher_rubi"]
    client.force_login(rubi)
    item = note("ভগ্নাংশ পড়ানো হলো")
    [created] = sync(client, item)
    assert created["status"] == "created" and created["message"] == "Note saved: ভগ্নাংশ পড়ানো হলো"
    [again] = sync(client, item)
    assert again["status"] == "duplicate" and again["message"] == created["message"]
    assert handled == [(rubi.pk, "ভগ্নাংশ পড়ানো হলো")]  # run once
    [refused, unreadable] = sync(client, note("no"), note(42))
    assert (refused["status"], refused["message"], refused["url"]) == (
        "rejected", "Notes that say no are refused.", "/notes/")
    assert (unreadable["status"], unreadable["message"]) == ("rejected", "This note could not be read.")
    assert list(SyncReceipt.objects.order_by("received_at").values_list("kind", "outcome")) == [
        ("test_note", "created"), ("test_note", "rejected")]


def test_without_its_app_the_kind_is_not_known(client, people):
    client.force_login(people["teacher_rubi"])
    [result] = sync(client, note("hello"))
    assert result["status"] == "rejected" and "not known" in result["message"]


def test_a_kind_is_registered_once_and_an_unknown_one_is_named(note_kind):
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        sync_kinds.add(SyncKind("quiz_submit", NotePayload, note_handle, "x"))
    with pytest.raises(UnknownName, match=r"Unknown offline sync kind 'blog_post'\. Known: .*quiz_submit"):
        sync_kinds.get("blog_post")
    assert {"quiz_submit", "activity_progress", "test_note"} <= set(sync_kinds.names())


def test_a_racing_request_that_stored_the_item_first_is_answered_not_a_500(people, note_kind, monkeypatch):
    """Two requests sync one item at the same moment (the page and the service worker): both pass the
    "seen before?" check, one stores the receipt first. The other's save meets the unique key in the
    database and answers the stored result; a unique check by SELECT in full_clean used to raise
    ValidationError here instead, a 500."""
    from django.db.models.query import QuerySet

    from shikhon.offline import services

    rubi = people["teacher_rubi"]
    item = note("আগে পৌঁছেছে")
    SyncReceipt.objects.create(key=item["id"], user=rubi, kind="test_note", outcome=SyncReceipt.Outcome.CREATED,
                               result={"message": "stored by the other request", "url": "/notes/"})
    real_first, calls = QuerySet.first, []

    def first_misses_once(self):  # the other request had not committed when this one looked
        calls.append(1)
        return None if len(calls) == 1 else real_first(self)

    monkeypatch.setattr(QuerySet, "first", first_misses_once)
    answer = services._apply_raw(actor=rubi, raw=item)
    assert (answer["status"], answer["message"]) == ("duplicate", "stored by the other request")
    assert SyncReceipt.objects.filter(key=item["id"]).count() == 1
