"""Practice plans and records of a library content in the API: `content` in place of `activity` (exactly one:
422 otherwise), a content she may not see is 404 and one not published 400 with the sentence, a record counts the
content once (a resend of the client id counts nothing), and every answer names `activity` and `content` as the
document says."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from shikhon.api.tests.conftest import assert_error
from shikhon.api.tests.test_practice_fixtures import *  # noqa: F403 - the practice API's fixtures and helpers
from shikhon.api.tests.test_practice_fixtures import plan_body, record_body
from shikhon.core.clock import dhaka_today
from shikhon.library.models import Content
from shikhon.library.tests.factories import ContentFactory
from shikhon.practice.models import PracticePlan, PracticeRecord
from shikhon.practice.tests.factories import PracticePlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(everyone) -> Any:
    return ContentFactory(author=everyone["head_teacher_masuma"], published=True, title="কাঠি গুনে যোগ")


def content_plan(content: Any, **extra: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "content": content.pk, "grade": 2, "section": "ক",
            "planned_on": (dhaka_today() + dt.timedelta(days=3)).isoformat(), **extra}


def content_record(content: Any, **extra: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "content": content.pk, "taught_on": dhaka_today().isoformat(),
            "outcome": "taught", "grade": 2, "rating": 4, **extra}


def used(content: Any) -> int:
    return Content.objects.values_list("used_in_class", flat=True).get(pk=content.pk)


def test_a_plan_of_a_content(as_, content):
    made = as_("teacher_rubi").post("/practice/plans", content_plan(content))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["activity"] is None
    assert body["content"] == {"id": content.pk, "title": "কাঠি গুনে যোগ", "url": content.get_absolute_url()}
    assert PracticePlan.objects.get().content == content


def test_an_activity_plan_names_no_content(as_, activity):
    body = as_("teacher_rubi").post("/practice/plans", plan_body(activity)).json()
    assert body["activity"]["id"] == activity.pk and body["content"] is None


@pytest.mark.parametrize("path", ["/practice/plans", "/practice/records"])
def test_exactly_one_of_activity_and_content(as_, activity, content, path):
    rubi = as_("teacher_rubi")
    both = (plan_body if path.endswith("plans") else record_body)(activity, content=content.pk)
    assert_error(rubi.post(path, both), 422, "invalid")
    neither = dict(both)
    del neither["activity"], neither["content"]
    assert_error(rubi.post(path, neither), 422, "invalid")
    assert not PracticePlan.objects.exists() and not PracticeRecord.objects.exists()


@pytest.mark.parametrize("path", ["/practice/plans", "/practice/records"])
@pytest.mark.parametrize("case, status", [("other_draft", 404), ("missing", 404), ("own_draft", 400)])
def test_a_content_she_may_not_use(as_, everyone, content, path, case, status):
    if case == "other_draft":
        target = ContentFactory(author=everyone["teacher_of_other_school"])
    elif case == "own_draft":
        target = ContentFactory(author=everyone["teacher_rubi"])
    else:
        target = Content(pk=99999999)
    body = (content_plan if path.endswith("plans") else content_record)(target)
    error = assert_error(as_("teacher_rubi").post(path, body, HTTP_ACCEPT_LANGUAGE="en"), status,
                         "not_found" if status == 404 else "bad_request")
    if status == 404:
        assert error["details"] == {"field": "content"} and "library content was not found" in error["message"]
    else:
        assert "content" in error["details"]["fields"] and "not published" in error["message"]
    assert not PracticePlan.objects.exists() and not PracticeRecord.objects.exists()


def test_a_record_of_a_content_counts_once(as_, content, django_capture_on_commit_callbacks):
    rubi = as_("teacher_rubi")
    body = content_record(content)
    with django_capture_on_commit_callbacks(execute=True):
        first = rubi.post("/practice/records", body)
        again = rubi.post("/practice/records", body)
    assert first.status_code == 201 and again.status_code == 200, first.content
    assert first.json()["content"]["id"] == content.pk and first.json()["activity"] is None
    assert used(content) == 1
    listed = rubi.get("/practice/records").json()["items"]
    assert listed[0]["content"]["id"] == content.pk


def test_a_record_of_a_content_plan(as_, everyone, content, activity, django_capture_on_commit_callbacks):
    plan = PracticePlanFactory(teacher=everyone["teacher_rubi"], activity=None, content=content)
    rubi = as_("teacher_rubi")
    wrong = rubi.post("/practice/records", record_body(activity, plan=plan.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert "content" in assert_error(wrong, 400, "bad_request")["details"]["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        made = rubi.post("/practice/records", content_record(content, plan=plan.pk))
    assert made.status_code == 201, made.content
    plan.refresh_from_db()
    assert plan.state == "taught" and used(content) == 1


def test_not_working_is_not_a_use(as_, content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = as_("teacher_rubi").post("/practice/records", content_record(content, outcome="not_working",
                                                                            rating=None, why_not="সময় কম"))
    assert made.status_code == 201, made.content
    assert used(content) == 0
