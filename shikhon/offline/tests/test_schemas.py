"""The outbox's models: strict types, bounded numbers and lengths, one sentence per bad item."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest

from shikhon.offline import schemas


def item(**change: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": "activity_progress",
            "payload": {"url": "/activities/3/progress/", "fields": {"watched_percent": ["75"]}}, **change}


@pytest.mark.parametrize("share, expected", [("0", 0), ("75", 75), ("100", 100), ("৫০", 50), (" 80.9 ", 80)])
def test_share_watched_is_a_string_number_from_0_to_100(share: str, expected: int) -> None:
    parsed = schemas.item_parse(item(payload={"url": "/x/", "fields": {"watched_percent": [share]}}))
    assert parsed.kind == "activity_progress"
    assert parsed.payload.fields.share == expected


@pytest.mark.parametrize("share", ["inf", "nan", "1e400", "1e2", "101", "-0", "0x10", "٣", "²", 50, 50.0, True, None])
def test_impossible_shares_are_refused_with_the_sentence(share: Any) -> None:
    with pytest.raises(schemas.BadItem, match="from 0 to 100"):
        schemas.item_parse(item(payload={"url": "/x/", "fields": {"watched_percent": [share]}}))


def test_made_at_is_kept_as_an_aware_time_and_may_be_absent() -> None:
    parsed = schemas.item_parse(item(made_at="2026-03-01T10:00:00Z"))
    assert parsed.made_at == dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    naive = schemas.item_parse(item(made_at="2026-03-01T16:00:00"))  # read in Dhaka time
    assert naive.made_at == dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    assert schemas.item_parse(item()).made_at is None


@pytest.mark.parametrize("change, sentence", [
    ({"kind": "x"}, "not known"),
    ({"kind": ["quiz_submit"]}, "not known"),
    ({"id": "1234"}, "id (a UUID)"),
    ({"made_at": "0001-01-01T00:00:00+05:00"}, "time this was made"),
    ({"seq": 4}, "could not be read"),
    ({"payload": {"url": "/x/", "fields": {}, "activity": 0}}, "could not be read"),
    ({"payload": {"url": "/x/?a=1", "fields": {}}}, "could not be read"),
    ({"payload": {"fields": {}}}, "could not be read"),
    ({"kind": "quiz_submit", "payload": {"url": "/x/", "fields": {"q1": ["1"] * 51}}}, "answers could not be read"),
    ({"kind": "quiz_submit", "payload": {"url": "/x/", "fields": {f"q{n}": [] for n in range(201)}}},
     "answers could not be read"),
    ({"kind": "quiz_submit", "payload": {"attempt": 2**63, "fields": {}}}, "answers could not be read"),
])
def test_each_problem_has_its_sentence(change: dict[str, Any], sentence: str) -> None:
    with pytest.raises(schemas.BadItem, match=re.escape(sentence)):
        schemas.item_parse(item(**change))


@pytest.mark.parametrize("body, sentence", [
    (b"", "not valid JSON"), (b"\xff", "not valid JSON"), (b"[" * 1000 + b"]" * 1000, "not valid JSON"),
    (b'{"items": {}}', "list of items"), (b"[]", "list of items"),
    (b'{"items": [' + b",".join([b"{}"] * 51) + b"]}", "at most"),
])
def test_a_body_that_is_not_a_batch_is_refused_with_a_sentence(body: bytes, sentence: str) -> None:
    with pytest.raises(schemas.BadBatch, match=sentence):
        schemas.batch_parse(body)


def test_a_batch_keeps_its_items_as_sent_for_each_to_be_checked_alone() -> None:
    assert schemas.batch_parse(b'{"items": [1, {"id": 2}], "other": true}') == [1, {"id": 2}]
