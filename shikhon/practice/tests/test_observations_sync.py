"""The outbox kind practice_observation_entry: the record form's fields sent to /sync/ later. The form's client id
is the entry's: a replay (the same item, or the same form saved online and again offline) stores one entry; two
phones (two ids) store two; the teacher's consent is still needed; a bad payload gets a sentence, never a 500."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from shikhon.core.clock import dhaka_today
from shikhon.practice.models import ObservationEntry
from shikhon.practice.services import observations as services

pytestmark = pytest.mark.django_db
KIND = "practice_observation_entry"


def sync(client, *items: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/sync/", data=json.dumps({"items": list(items)}), content_type="application/json")
    assert response.status_code == 200
    return response.json()["results"]


def item(obs, *, key: str | None = None, url: str | None = None, **fields: Any) -> dict[str, Any]:
    values = {"client_id": str(uuid.uuid4()), "strengths": "শিশুরা উপকরণ হাতে নিয়ে গুনল।", "rating_materials": "4"}
    values.update(fields)
    return {"id": key or str(uuid.uuid4()), "kind": KIND, "made_at": "2026-12-03T10:00:00+06:00",
            "payload": {"url": url or f"/practice/observations/{obs.pk}/record/",
                        "fields": {k: [v] for k, v in values.items()}}}


@pytest.fixture
def proposed(people):
    return services.observation_propose(actor=people["mentor_hatia"], teacher=people["teacher_rubi"],
                                        proposed_on=dhaka_today())


@pytest.fixture
def agreed(people, proposed):
    return services.observation_answer(actor=people["teacher_rubi"], observation=proposed, answer="agree")


def test_created_then_replays_create_nothing(client, people, agreed):
    client.force_login(people["mentor_hatia"])
    one = item(agreed)
    [first] = sync(client, one)
    assert first["status"] == "created" and first["url"] == agreed.get_absolute_url()
    for _n in range(3):
        assert sync(client, one)[0]["status"] == "duplicate"
    # The same form (same client id) kept again under a new outbox id: still one entry.
    again = {**one, "id": str(uuid.uuid4())}
    assert sync(client, again)[0]["status"] == "created"
    assert ObservationEntry.objects.count() == 1
    agreed.refresh_from_db()
    assert agreed.status == "recorded"


def test_two_phones_two_entries(client, people, agreed):
    client.force_login(people["mentor_hatia"])
    results = sync(client, item(agreed, strengths="ফোন ১"), item(agreed, strengths="ফোন ২"))
    assert [r["status"] for r in results] == ["created", "created"]
    assert sorted(ObservationEntry.objects.values_list("strengths", flat=True)) == ["ফোন ১", "ফোন ২"]


def test_without_consent_rejected_with_a_sentence(client, people, proposed):
    client.force_login(people["mentor_hatia"])
    [result] = sync(client, item(proposed))
    assert result["status"] == "rejected" and result["message"]
    assert not ObservationEntry.objects.exists()


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_noakhali", "officer_other_upazila"])
def test_only_the_observer(client, people, agreed, who):
    client.force_login(people[who])
    [result] = sync(client, item(agreed))
    assert result["status"] == "rejected" and result["message"]
    assert not ObservationEntry.objects.exists()


@pytest.mark.parametrize("bad", [
    {"fields": {"strengths": ["x"]}},  # no client id
    {"fields": {"client_id": [str(uuid.uuid4())], "strengths": ["x" * 5000]}},
    {"fields": {"client_id": [str(uuid.uuid4())], "evil": ["x"]}},
    {"fields": {"client_id": [str(uuid.uuid4())], "strengths": [1]}},
    {"fields": {"client_id": [str(uuid.uuid4())], "strengths": ["a", "b", "c"]}},
    {"fields": "nope"},
    {"url": "/practice/observations/1/", "fields": {"client_id": [str(uuid.uuid4())]}},
    {"url": "/nowhere/", "fields": {"client_id": [str(uuid.uuid4())]}},
    {"fields": {"client_id": [str(uuid.uuid4())]}, "extra": 1},
    {"url": "/practice/observations/999999/record/", "fields": {"client_id": [str(uuid.uuid4())]}},
])
def test_bad_payloads_get_a_sentence(client, people, agreed, bad):
    client.force_login(people["mentor_hatia"])
    payload = {"url": f"/practice/observations/{agreed.pk}/record/", **bad}
    [result] = sync(client, {"id": str(uuid.uuid4()), "kind": KIND, "payload": payload})
    assert result["status"] == "rejected" and result["message"]
    assert not ObservationEntry.objects.exists()


@pytest.mark.parametrize("fields", [{"strengths": ""}, {"rating_materials": "9"}, {"client_id": "not-a-uuid"},
                                    {"try_text_1": "কিছু", "try_link_1": "a999999"}, {"try_text_1": "x" * 400}])
def test_bad_form_values_get_a_sentence(client, people, agreed, fields):
    client.force_login(people["mentor_hatia"])
    [result] = sync(client, item(agreed, **fields))
    assert result["status"] == "rejected" and result["message"]
    assert not ObservationEntry.objects.exists()
