"""Plans and records of a library content through the phone's outbox (/sync/): the same forms' fields with
`content` in place of `activity` (never both: the schema refuses it with a sentence), a content she may not use
is rejected with a sentence, and a replayed record counts the content once."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import course_with_content
from shikhon.library.models import Content
from shikhon.library.tests.factories import ContentFactory
from shikhon.practice.models import PracticePlan, PracticeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(people) -> Any:
    return ContentFactory(author=people["head_teacher_masuma"], published=True, title="কাঠি গুনে যোগ")


def sync(client: Any, *items: dict[str, Any]) -> list[dict[str, Any]]:
    answer = client.post("/sync/", data=json.dumps({"items": list(items)}), content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def item(kind: str, url_name: str, fields: dict[str, str], *, key: str | None = None) -> dict[str, Any]:
    return {"id": key or str(uuid.uuid4()), "kind": kind,
            "payload": {"url": reverse(url_name), "fields": {k: [v] for k, v in fields.items()}},
            "made_at": timezone.now().isoformat()}


def plan_fields(content: Any, /, **changes: str) -> dict[str, str]:
    fields = {"client_id": str(uuid.uuid4()), "content": str(content.pk), "grade": "১", "section": "ক",
              "planned_on": (dhaka_today() + dt.timedelta(days=1)).strftime("%d/%m/%Y"), "materials": "কাঠি"}
    fields.update(changes)
    return fields


def record_fields(content: Any, /, **changes: str) -> dict[str, str]:
    fields = {"client_id": str(uuid.uuid4()), "content": str(content.pk), "outcome": "taught",
              "taught_on": dhaka_today().strftime("%d/%m/%Y"), "grade": "1", "rating": "5",
              "what_worked": "সবাই অংশ নিল", "shared_with_circle": "on"}
    fields.update(changes)
    return fields


def used(content: Any) -> int:
    return Content.objects.values_list("used_in_class", flat=True).get(pk=content.pk)


def test_a_plan_of_a_content_replayed_is_one_row(client, people, content):
    client.force_login(people["teacher_rubi"])
    one = item("practice_plan", "practice:plan_new", plan_fields(content))
    results = sync(client, one) + sync(client, one)
    plan = PracticePlan.objects.get()
    assert [r["status"] for r in results] == ["created", "duplicate"]
    assert plan.content == content and plan.activity is None and plan.grade == 1
    assert "কাঠি গুনে যোগ" in results[0]["message"]


def test_a_record_of_a_content_counts_once_however_often_it_is_sent(client, people, content,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(people["teacher_rubi"])
    fields = record_fields(content)
    one = item("practice_record", "practice:record_new", fields)
    with django_capture_on_commit_callbacks(execute=True):
        first = sync(client, one)
        replay = sync(client, one)  # the same outbox item again (a flaky network)
        # the same form as another outbox item (sent online, then from the outbox): no second use either
        again = sync(client, item("practice_record", "practice:record_new", fields))
    assert first[0]["status"] == "created" and replay[0]["status"] == "duplicate"
    assert again[0]["status"] in ("created", "duplicate") and "already recorded" in again[0]["message"]
    assert PracticeRecord.objects.get().content == content
    assert used(content) == 1


def test_did_not_work_through_the_outbox_is_not_a_use(client, people, content, django_capture_on_commit_callbacks):
    client.force_login(people["teacher_rubi"])
    fields = record_fields(content, outcome="not_working", rating="", why_not="সময় কম")
    with django_capture_on_commit_callbacks(execute=True):
        assert sync(client, item("practice_record", "practice:record_new", fields))[0]["status"] == "created"
    assert used(content) == 0


@pytest.mark.parametrize("kind, url_name", [("practice_plan", "practice:plan_new"),
                                            ("practice_record", "practice:record_new")])
@pytest.mark.parametrize("case, words", [("other_draft", "not found"), ("own_draft", "not published"),
                                         ("both", "one thing to try"), ("missing", "not found")])
def test_a_content_she_may_not_use_is_rejected_with_a_sentence(client, people, content, kind, url_name, case,
                                                              words):
    rubi = people["teacher_rubi"]
    client.force_login(rubi)
    fields = plan_fields(content) if kind == "practice_plan" else record_fields(content)
    if case == "other_draft":
        fields["content"] = str(ContentFactory(author=people["teacher_of_other_school"]).pk)
    elif case == "own_draft":
        fields["content"] = str(ContentFactory(author=rubi).pk)
    elif case == "missing":
        fields["content"] = "99999999"
    else:
        activity = course_with_content(modules=1, activities=1).modules.get().activities.get()
        fields["activity"] = str(activity.pk)
    result = sync(client, item(kind, url_name, fields))[0]
    assert result["status"] == "rejected" and words in result["message"], result
    assert not PracticePlan.objects.exists() and not PracticeRecord.objects.exists()
