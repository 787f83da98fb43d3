"""/sync/ under arbitrary input (hypothesis): whatever a phone, a proxy or an attacker sends — as the whole
body or as single items among good ones — the endpoint never answers 5xx, and every per-item answer keeps
its shape: one per item, in order, `created`/`duplicate`/`rejected` with a sentence."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shikhon.courses import services as learning
from shikhon.courses.models import Course, QuizAttempt
from shikhon.courses.tests.factories import do_activities

SYNC = "/sync/"
BIG = "__1e400__"  # replaced by the bare number 1e400 in the body (no Python float can hold it)
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

numbers = st.one_of(st.integers(), st.integers(min_value=-(10**30), max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.just(BIG))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=30),
                    st.sampled_from(["inf", "-inf", "nan", "1e400", "80", "১০০", "100.5", "²", "", "\x00"]))
any_json = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


def encode(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False).replace(json.dumps(BIG), "1e400")


@pytest.fixture
def place(people: dict[str, Any], course: Course, rubi_enrolled: Any, client: Client) -> dict[str, Any]:
    module = course.modules.order_by("position").first()
    do_activities(people["teacher_rubi"], module)  # a module's quiz waits for its activities
    attempt = learning.quiz_attempt_start(actor=people["teacher_rubi"], quiz=module.quiz)
    activity = module.activities.order_by("position").first()
    client.force_login(people["teacher_rubi"])
    return {"client": client, "attempt": attempt, "activity": activity}


def items_for(place: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Items of every shape: a good item of each kind with one part (any depth) replaced by arbitrary
    JSON, and wholly arbitrary JSON."""
    attempt: QuizAttempt = place["attempt"]
    question = f"q{attempt.question_ids[0]}"
    quiz_url = reverse("courses:attempt_submit", kwargs={"pk": attempt.pk})
    progress_url = reverse("courses:activity_progress", kwargs={"pk": place["activity"].pk})

    def good(kind: str) -> dict[str, Any]:
        fields = {question: ["1"]} if kind == "quiz_submit" else {"watched_percent": ["30"], "done": ["1"]}
        return {"id": str(uuid.uuid4()), "kind": kind, "made_at": "2026-01-02T03:04:05.678Z",
                "payload": {"url": quiz_url if kind == "quiz_submit" else progress_url, "fields": fields}}

    paths = [("id",), ("kind",), ("made_at",), ("payload",), ("payload", "url"), ("payload", "fields"),
             ("payload", "attempt"), ("payload", "activity"), ("payload", "fields", question),
             ("payload", "fields", question, 0), ("payload", "fields", "watched_percent"),
             ("payload", "fields", "watched_percent", 0), ("payload", "fields", "watched", 0),
             ("payload", "fields", "done", 0), ("payload", "fields", "extra"), ("extra",)]
    values = st.one_of(scalars, any_json, st.sampled_from([quiz_url, progress_url, "/attempts/1/submit/",
                                                           "/attempts/99999999999999999999999/submit/"]))

    def mutate(kind: str, path: tuple[Any, ...], value: Any) -> dict[str, Any]:
        item = good(kind)
        node: Any = item
        for step in path[:-1]:
            node = node.setdefault(step, {}) if isinstance(node, dict) else node
        if isinstance(node, dict):
            node[path[-1]] = value
        elif isinstance(node, list) and node:
            node[0] = value
        return item

    mutated = st.builds(mutate, st.sampled_from(["quiz_submit", "activity_progress"]), st.sampled_from(paths),
                        values)
    return st.one_of(mutated, mutated, any_json)


def check_answer(response: Any, sent: Any) -> None:
    assert response.status_code < 500, response.content[:500]
    body = response.json()
    if response.status_code != 200:
        assert response.status_code in {400, 413}
        assert isinstance(body["error"], str) and body["error"]
        return
    results = body["results"]
    assert isinstance(sent, dict) and len(results) == len(sent["items"])
    for raw, result in zip(sent["items"], results, strict=True):
        assert set(result) >= {"id", "status", "message", "url"}
        assert result["status"] in {"created", "duplicate", "rejected"}
        assert isinstance(result["message"], str) and result["message"]
        assert isinstance(result["url"], str) and (result["url"] == "" or result["url"].startswith("/"))
        assert result["id"] is None or isinstance(result["id"], str)
        if isinstance(raw, dict) and isinstance(raw.get("id"), str) and result["id"] is not None:
            assert result["id"] in {raw["id"], str(uuid.UUID(raw["id"])) if _is_uuid(raw["id"]) else raw["id"]}


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def test_arbitrary_bodies_never_answer_5xx(place: dict[str, Any]) -> None:
    @FUZZ
    @given(body=st.one_of(any_json, st.fixed_dictionaries({"items": any_json}),
                          st.fixed_dictionaries({"items": st.lists(any_json, max_size=5)})))
    def run(body: Any) -> None:
        response = place["client"].post(SYNC, data=encode(body), content_type="application/json")
        check_answer(response, body)

    run()


def test_arbitrary_bytes_never_answer_5xx(place: dict[str, Any]) -> None:
    @FUZZ
    @given(raw=st.binary(max_size=200))
    def run(raw: bytes) -> None:
        response = place["client"].post(SYNC, data=raw, content_type="application/json")
        assert response.status_code == 400 or response.status_code == 200
        if response.status_code == 400:
            assert response.json()["error"]

    run()


def test_arbitrary_items_among_good_ones_never_answer_5xx(place: dict[str, Any]) -> None:
    activity_url = reverse("courses:activity_progress", kwargs={"pk": place["activity"].pk})

    def progress(share: Any) -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "kind": "activity_progress",
                "payload": {"url": activity_url, "fields": {"watched_percent": [share]}}}

    @FUZZ
    @given(items=st.lists(items_for(place), min_size=1, max_size=4))
    @example(items=[progress("inf")])  # the 500s: OverflowError
    @example(items=[progress(BIG)])
    @example(items=[{"id": "nope", "kind": "quiz_submit", "payload": {}}])
    def run(items: list[Any]) -> None:
        good = {"id": str(uuid.uuid4()), "kind": "activity_progress",
                "payload": {"url": activity_url, "fields": {"watched_percent": ["40"]}}}
        body = {"items": [*items, good]}
        response = place["client"].post(SYNC, data=encode(body), content_type="application/json")
        assert response.status_code == 200, response.content[:500]  # bad items are refused one by one
        check_answer(response, body)
        assert response.json()["results"][-1]["status"] == "created"  # the others still apply

    run()
