"""Lesson observations in the API: propose (once per client id), her answer, append-only entries only after she
agreed (two phones, two entries; the same entry three times, one), her reply; who sees an observation (the
teacher, the observer, her support line — nobody else) and the services' sentences, checked against the
document."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shikhon.api.tests.conftest import assert_error
from shikhon.api.tests.test_practice_fixtures import *  # noqa: F403 - the practice API's fixtures and helpers
from shikhon.api.tests.test_practice_fixtures import query_count
from shikhon.core.clock import dhaka_today
from shikhon.practice.instruments import parse_definition
from shikhon.practice.models import Instrument, Observation, ObservationEntry, ObservationReply
from shikhon.practice.tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument() -> Instrument:
    return Instrument.objects.filter(is_default=True).order_by("-version").first() or Instrument.objects.first()


def a_rating(instrument: Instrument) -> dict[str, str]:
    item = parse_definition(instrument.definition).items()[0]
    return {item.code: item.levels[-1].value}


def propose_body(everyone: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "teacher": everyone["teacher_rubi"].pk,
            "proposed_on": dhaka_today().isoformat(), "message": "আপনার গণিতের ক্লাসটি দেখতে চাই।", **extra}


def entry_body(instrument: Instrument, **extra: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "strengths": "শিশুদের নাম ধরে ডাকেন, সবাই অংশ নেয়।",
            "ratings": a_rating(instrument), "try_next": [], **extra}


@pytest.fixture
def agreed(everyone, instrument) -> Observation:
    return ObservationFactory(teacher=everyone["teacher_rubi"], observer=everyone["head_teacher_masuma"],
                              instrument=instrument, status=Observation.Status.AGREED)


def with_link(body: dict[str, Any], activity: Any) -> dict[str, Any]:
    body["try_next"] = [{"text": "জোড়ায় কাজ দিন", "activity": activity.pk}]
    return body


# ---------------------------------------------------------------------------------------------- propose, answer

def test_propose_once_for_three_sends(as_, everyone):
    masuma = as_("head_teacher_masuma")
    body = propose_body(everyone)
    answers = [masuma.post("/practice/observations", body) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].json() == answers[2].json()
    assert Observation.objects.count() == 1
    made = answers[0].json()
    assert made["status"] == "proposed" and made["observer"]["id"] == everyone["head_teacher_masuma"].pk
    # A second open request to her (another client id) waits for the first: 409 with the sentence.
    error = assert_error(masuma.post("/practice/observations", propose_body(everyone)), 409, "conflict")
    assert error["details"]["reason"] == "already_open"


@pytest.mark.parametrize("who, status", [
    ("head_teacher_masuma", 201), ("colleague", 201), ("officer_hatia", 201), ("mentor_hatia", 201),
    ("teacher_rubi", 404), ("teacher_of_other_school", 404), ("officer_other_upazila", 404),
    ("researcher_tanvir", 404),
])
def test_who_may_ask_to_observe(as_, everyone, who, status):
    response = as_(who).post("/practice/observations", propose_body(everyone))
    assert response.status_code == status, response.content
    if status == 404:
        assert assert_error(response, 404, "not_found")["details"]["field"] == "teacher"
    assert Observation.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize("change, code", [
    ({"proposed_on": "2020-01-01"}, 400), ({"instrument": 10**9}, 404), ({"activity": 10**9}, 404),
    ({"message": "x" * 501}, 400), ({"teacher": "rubi"}, 422), ({"client_id": "x"}, 422),
])
def test_propose_bad_input(as_, everyone, change, code):
    response = as_("head_teacher_masuma").post("/practice/observations", propose_body(everyone, **change))
    assert response.status_code == code, response.content
    assert response.json()["error"]["message"].endswith(".")
    assert Observation.objects.count() == 0


def test_her_answer(as_, everyone, instrument):
    obs = ObservationFactory(teacher=everyone["teacher_rubi"], observer=everyone["head_teacher_masuma"],
                             instrument=instrument)
    assert_error(as_("head_teacher_masuma").post(f"/practice/observations/{obs.pk}/answer", {"answer": "agree"}),
                 404, "not_found")
    rubi = as_("teacher_rubi")
    error = assert_error(rubi.post(f"/practice/observations/{obs.pk}/answer", {"answer": "other_date"}), 400,
                         "bad_request")
    assert "asked_date" in error["details"]["fields"]
    assert_error(rubi.post(f"/practice/observations/{obs.pk}/answer", {"answer": "maybe"}), 422, "invalid")
    body = rubi.post(f"/practice/observations/{obs.pk}/answer", {"answer": "agree", "note": "আসুন"}).json()
    assert body["status"] == "agreed" and body["answer_note"] == "আসুন"
    error = assert_error(rubi.post(f"/practice/observations/{obs.pk}/answer", {"answer": "decline"}), 409,
                         "conflict")
    assert error["details"]["reason"] == "answered"


# ---------------------------------------------------------------------------------------------- entries, replies

def test_entries_are_appended_once_each(as_, everyone, agreed, instrument, activity):
    masuma = as_("head_teacher_masuma")
    path = f"/practice/observations/{agreed.pk}/entries"
    first = with_link(entry_body(instrument), activity)
    answers = [masuma.post(path, first) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    second = masuma.post(path, entry_body(instrument, strengths="অন্য ফোন থেকে: বোর্ডের লেখা পরিষ্কার।"))
    assert second.status_code == 201
    body = second.json()
    assert body["status"] == "recorded" and ObservationEntry.objects.count() == 2
    assert [e["client_id"] for e in body["entries"]] == [first["client_id"], second.json()["entries"][1]["client_id"]]
    assert body["entries"][0]["try_next"][0]["activity"]["id"] == activity.pk
    assert body["ratings"] == a_rating(instrument)
    assert all(c["change"] == "new" for c in body["changes"])


def test_no_entry_without_her_consent(as_, everyone, instrument):
    obs = ObservationFactory(teacher=everyone["teacher_rubi"], observer=everyone["head_teacher_masuma"],
                             instrument=instrument)
    error = assert_error(as_("head_teacher_masuma").post(f"/practice/observations/{obs.pk}/entries",
                                                         entry_body(instrument)), 409, "conflict")
    assert error["details"]["reason"] == "no_consent"
    assert ObservationEntry.objects.count() == 0


@pytest.mark.parametrize("who", ["teacher_rubi", "officer_hatia", "colleague", "teacher_of_other_school"])
def test_only_the_observer_records(as_, agreed, instrument, who):
    assert_error(as_(who).post(f"/practice/observations/{agreed.pk}/entries", entry_body(instrument)), 404,
                 "not_found")
    assert ObservationEntry.objects.count() == 0


@pytest.mark.parametrize("change, field", [
    ({"strengths": ""}, "strengths"),
    ({"ratings": {"no_such_item": "x"}}, "ratings"),
    ({"try_next": [{"text": f"{n}"} for n in range(4)]}, "try_next"),
    ({"try_next": [{"text": "কিছু"}]}, "try_next"),  # neither an activity nor a module
    ({"follow_up": {"12345": "started"}}, "follow_up"),
])
def test_entry_bad_input_is_400(as_, agreed, instrument, change, field):
    response = as_("head_teacher_masuma").post(f"/practice/observations/{agreed.pk}/entries",
                                               entry_body(instrument, **change), HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 400, "bad_request")
    assert field in error["details"]["fields"], error
    assert ObservationEntry.objects.count() == 0


def test_her_reply(as_, everyone, agreed, instrument, activity):
    rubi = as_("teacher_rubi")
    path = f"/practice/observations/{agreed.pk}/replies"
    body = {"client_id": str(uuid.uuid4()), "text": "ধন্যবাদ, পরের বার জোড়ায় কাজ দেব।"}
    error = assert_error(rubi.post(path, body), 409, "conflict")
    assert error["details"]["reason"] == "not_recorded"
    as_("head_teacher_masuma").post(f"/practice/observations/{agreed.pk}/entries",
                                    with_link(entry_body(instrument), activity))
    assert_error(as_("head_teacher_masuma").post(path, body), 404, "not_found")
    assert [rubi.post(path, body).status_code for _ in range(3)] == [201, 200, 200]
    assert ObservationReply.objects.count() == 1
    assert_error(rubi.post(path, {"client_id": str(uuid.uuid4()), "text": "  "}), 400, "bad_request")
    replies = rubi.get(f"/practice/observations/{agreed.pk}").json()["replies"]
    assert [r["text"] for r in replies] == [body["text"]]


# ---------------------------------------------------------------------------------------------- who sees

@pytest.mark.parametrize("who, sees", [
    ("teacher_rubi", True), ("head_teacher_masuma", True), ("officer_hatia", True), ("mentor_hatia", True),
    ("colleague", False), ("teacher_of_other_school", False), ("officer_other_upazila", False),
    ("officer_noakhali", False), ("researcher_tanvir", False),
])
def test_observation_visibility(as_, everyone, instrument, who, sees):
    # Observed by a colleague (a peer): her head teacher and the upazila still see it as her support line.
    obs = ObservationFactory(teacher=everyone["teacher_rubi"], observer=everyone["colleague"], instrument=instrument)
    if who == "colleague":
        obs.observer = everyone["head_teacher_masuma"]
        obs.save()
    response = as_(who).get(f"/practice/observations/{obs.pk}")
    if sees:
        assert response.json()["id"] == obs.pk
    else:
        assert_error(response, 404, "not_found")


def test_lists_by_role(as_, everyone, agreed):
    assert [o["id"] for o in as_("teacher_rubi").get("/practice/observations").json()["items"]] == [agreed.pk]
    assert as_("teacher_rubi").get("/practice/observations", {"role": "observer"}).json()["count"] == 0
    masuma = as_("head_teacher_masuma")
    assert [o["id"] for o in masuma.get("/practice/observations", {"role": "observer"}).json()["items"]] == [
        agreed.pk]
    assert masuma.get("/practice/observations", {"role": "support"}).json()["count"] == 0  # her own request
    officer = as_("officer_hatia")
    assert [o["id"] for o in officer.get("/practice/observations", {"role": "support"}).json()["items"]] == [
        agreed.pk]
    for who in ("officer_other_upazila", "researcher_tanvir", "colleague"):
        assert as_(who).get("/practice/observations", {"role": "support"}).json()["count"] == 0
    assert_error(officer.get("/practice/observations", {"role": "everyone"}), 422, "invalid")


def test_instruments_are_listed_with_their_items(as_, instrument):
    body = as_("teacher_rubi").get("/practice/instruments").json()
    assert body["count"] >= 1 and body["items"][0]["is_default"] is True
    assert body["items"][0]["definition"]["sections"]


@pytest.mark.parametrize(("who", "role"), [("teacher_rubi", "teacher"), ("head_teacher_masuma", "observer"),
                                           ("officer_hatia", "support")])
def test_observation_lists_cost_the_same_for_2_rows_and_10(as_, everyone, instrument, who, role):
    def make(n: int) -> None:
        for _ in range(n):
            ObservationFactory(teacher=everyone["teacher_rubi"], observer=everyone["head_teacher_masuma"],
                               instrument=instrument)

    api = as_(who)
    make(2)
    few = query_count(api, "/practice/observations", {"role": role})
    make(8)
    assert query_count(api, "/practice/observations", {"role": role}) == few
    assert api.get("/practice/observations", {"role": role, "limit": 100}).json()["count"] == 10
