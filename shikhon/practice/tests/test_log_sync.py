"""The practice log through the phone's outbox (/sync/): replays create nothing twice, bad payloads get a
sentence, dates are judged by the server's Dhaka date."""

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
from shikhon.practice.models import PracticePlan, PracticeRecord
from shikhon.practice.tests.factories import PracticePlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity() -> Any:
    return course_with_content(modules=1, activities=2).modules.first().activities.order_by("position").first()


def sync(client: Any, *items: dict[str, Any]) -> list[dict[str, Any]]:
    answer = client.post("/sync/", data=json.dumps({"items": list(items)}), content_type="application/json")
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def item(kind: str, url_name: str, fields: dict[str, str], *, key: str | None = None,
         made_at: dt.datetime | None = None) -> dict[str, Any]:
    return {"id": key or str(uuid.uuid4()), "kind": kind,
            "payload": {"url": reverse(url_name), "fields": {k: [v] for k, v in fields.items()}},
            "made_at": (made_at or timezone.now()).isoformat()}


def plan_fields(activity: Any, /, **changes: str) -> dict[str, str]:
    fields = {"csrfmiddlewaretoken": "x", "client_id": str(uuid.uuid4()), "activity": str(activity.pk),
              "grade": "১", "section": "ক", "planned_on": (dhaka_today() + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
              "materials": "নুড়ি পাথর"}
    fields.update(changes)
    return fields


def record_fields(activity: Any, /, **changes: str) -> dict[str, str]:
    fields = {"client_id": str(uuid.uuid4()), "activity": str(activity.pk), "outcome": "taught",
              "taught_on": dhaka_today().strftime("%d/%m/%Y"), "grade": "1", "section": "ক", "learners_present": "৩০",
              "minutes": "৪০", "rating": "5", "what_worked": "সবাই অংশ নিল", "what_to_change": "", "why_not": "",
              "shared_with_circle": "on"}
    fields.update(changes)
    return fields


def test_plan_replayed_three_times_is_one_row(client, people, activity):
    client.force_login(people["teacher_rubi"])
    one = item("practice_plan", "practice:plan_new", plan_fields(activity))
    results = [sync(client, one)[0] for _ in range(3)]
    assert [r["status"] for r in results] == ["created", "duplicate", "duplicate"]
    plan = PracticePlan.objects.get()
    assert results[0]["url"] == plan.get_absolute_url() and plan.grade == 1


def test_record_replayed_three_times_is_one_row(client, people, activity):
    client.force_login(people["teacher_rubi"])
    fields = record_fields(activity)
    one = item("practice_record", "practice:record_new", fields)
    results = [sync(client, one)[0] for _ in range(3)]
    assert [r["status"] for r in results] == ["created", "duplicate", "duplicate"]
    # The same form sent again as a new item (another tap, or online first): still one row.
    again = sync(client, item("practice_record", "practice:record_new", fields))[0]
    assert again["status"] == "created" and "already" in again["message"]
    record = PracticeRecord.objects.get()
    assert record.learners_present == 30 and record.minutes == 40 and record.rating == 5


def test_record_of_a_plan_offline(client, people, activity):
    rubi = people["teacher_rubi"]
    plan = PracticePlanFactory(teacher=rubi, activity=activity)
    client.force_login(rubi)
    result = sync(client, item("practice_record", "practice:record_new",
                               record_fields(activity, plan=str(plan.pk), outcome="not_working", rating="",
                                             why_not="বিদ্যুৎ ছিল না")))[0]
    assert result["status"] == "created"
    plan.refresh_from_db()
    assert plan.state == PracticePlan.State.NOT_WORKING and PracticeRecord.objects.get().plan == plan


def test_future_date_refused_by_the_servers_clock(client, people, activity, dhaka_small_hours):
    client.force_login(people["teacher_rubi"])
    tomorrow = (dhaka_today() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    # The phone's clock says it was made tomorrow: a claim, which decides nothing.
    result = sync(client, item("practice_record", "practice:record_new", record_fields(activity, taught_on=tomorrow),
                               made_at=timezone.now() + dt.timedelta(days=2)))[0]
    assert result["status"] == "rejected" and "in the future" in result["message"]
    assert not PracticeRecord.objects.exists()
    today = sync(client, item("practice_record", "practice:record_new", record_fields(activity)))[0]
    assert today["status"] == "created"


@pytest.mark.parametrize("kind, url_name, payload, words", [
    ("practice_plan", "practice:plan_new", {"fields": {"client_id": ["x"]}}, "could not be read"),
    ("practice_plan", "practice:plan_new", {"fields": {}}, "could not be read"),
    ("practice_plan", "practice:plan_new", {"fields": {"client_id": [str(uuid.uuid4())], "evil": ["1"]}}, "box"),
    ("practice_plan", "practice:plan_new", {"fields": {"client_id": [str(uuid.uuid4())], "materials": ["ক" * 3000]}},
     "too long"),
    ("practice_record", "practice:record_new", {"fields": {"client_id": [str(uuid.uuid4())], "rating": [5]}}, "box"),
    ("practice_record", "practice:record_new", "nonsense", "could not be read"),
])
def test_bad_payload_is_rejected_with_a_sentence(client, people, activity, kind, url_name, payload, words):
    client.force_login(people["teacher_rubi"])
    if isinstance(payload, dict):
        payload = {"url": reverse(url_name), **payload}
    result = sync(client, {"id": str(uuid.uuid4()), "kind": kind, "payload": payload,
                           "made_at": timezone.now().isoformat()})[0]
    assert result["status"] == "rejected" and words in result["message"]
    assert not PracticePlan.objects.exists() and not PracticeRecord.objects.exists()


@pytest.mark.parametrize("changes, words", [
    ({"activity": "99999999"}, "not found"),
    ({"grade": "13"}, "Choose the class"),
    ({"planned_on": "99/99/9999"}, "not a date"),
    ({"planned_on": (dhaka_today() - dt.timedelta(days=60)).strftime("%d/%m/%Y")}, "more than 30 days ago"),
])
def test_bad_plan_fields_rejected(client, people, activity, changes, words):
    client.force_login(people["teacher_rubi"])
    result = sync(client, item("practice_plan", "practice:plan_new", plan_fields(activity, **changes)))[0]
    assert result["status"] == "rejected" and words in result["message"]
    assert not PracticePlan.objects.exists()


def test_wrong_page_is_rejected(client, people, activity):
    client.force_login(people["teacher_rubi"])
    bad = item("practice_plan", "practice:record_new", plan_fields(activity))
    result = sync(client, bad)[0]
    assert result["status"] == "rejected" and "does not exist" in result["message"]


def test_someone_elses_plan_offline_is_rejected(client, people, activity):
    plan = PracticePlanFactory(teacher=people["teacher_rubi"], activity=activity)
    client.force_login(people["head_teacher_masuma"])
    result = sync(client, item("practice_record", "practice:record_new", record_fields(activity, plan=str(plan.pk))))[0]
    assert result["status"] == "rejected" and "plan was not found" in result["message"]
    assert not PracticeRecord.objects.exists()
