"""The sync endpoint: each outbox item through the same service as the online form, once."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shikhon.courses import services as learning
from shikhon.courses.models import ActivityProgress, Course, Question, QuizAttempt
from shikhon.offline.models import SyncReceipt

SYNC = "/sync/"


def post(client: Client, body: Any, **extra: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(SYNC, data=data, content_type="application/json", **extra)


def correct_fields(attempt: QuizAttempt) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {"csrfmiddlewaretoken": ["x"]}
    for question in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices"):
        if question.kind == Question.Kind.NUMERIC:
            fields[f"q{question.pk}"] = ["১২"]
        else:
            fields[f"q{question.pk}"] = [str(c.pk) for c in question.choices.all() if c.is_correct]
    return fields


def quiz_item(attempt: QuizAttempt, *, made_at: dt.datetime | None = None, key: str | None = None,
              fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "id": key or str(uuid.uuid4()),
        "kind": "quiz_submit",
        "payload": {"url": reverse("courses:attempt_submit", kwargs={"pk": attempt.pk}),
                    "fields": correct_fields(attempt) if fields is None else fields},
        "made_at": (made_at or timezone.now()).isoformat(),
    }


def progress_item(activity_pk: int, **fields: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": "activity_progress",
            "payload": {"url": reverse("courses:activity_progress", kwargs={"pk": activity_pk}),
                        "fields": {k: [v] for k, v in fields.items()}},
            "made_at": timezone.now().isoformat()}


@pytest.fixture
def attempt(people: dict[str, Any], course: Course, rubi_enrolled: Any) -> QuizAttempt:
    quiz = course.modules.order_by("position").first().quiz
    return learning.quiz_attempt_start(actor=people["teacher_rubi"], quiz=quiz)


@pytest.fixture
def rubi(client: Client, people: dict[str, Any]) -> Client:
    client.force_login(people["teacher_rubi"])
    return client


def test_quiz_submitted_offline_is_scored_once_and_replay_answers_duplicate(rubi: Client, attempt: QuizAttempt) -> None:
    item = quiz_item(attempt)
    first = post(rubi, {"items": [item]})
    assert first.status_code == 200
    [result] = first.json()["results"]
    assert result["status"] == "created"
    assert result["url"] == attempt.get_absolute_url()
    assert result["score"] == 100 and result["passed"] is True
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.source == QuizAttempt.Source.OFFLINE
    assert attempt.score_percent == 100

    again = post(rubi, {"items": [item]}).json()["results"][0]
    assert again["status"] == "duplicate"
    assert again["url"] == result["url"] and again["message"] == result["message"]
    assert again["score"] == 100
    assert SyncReceipt.objects.count() == 1
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1


def test_same_attempt_from_two_items_second_is_rejected_with_the_result_link(rubi: Client,
                                                                              attempt: QuizAttempt) -> None:
    post(rubi, {"items": [quiz_item(attempt)]})
    second = quiz_item(attempt, fields={})
    result = post(rubi, {"items": [second]}).json()["results"][0]
    assert result["status"] == "rejected"
    assert "already been submitted" in result["message"]
    assert result["url"] == attempt.get_absolute_url()
    attempt.refresh_from_db()
    assert attempt.score_percent == 100  # the first submission counts
    # A replay of the refused item answers the same refusal.
    replay = post(rubi, {"items": [second]}).json()["results"][0]
    assert replay == result
    assert SyncReceipt.objects.filter(outcome=SyncReceipt.Outcome.REJECTED).count() == 1


def test_attempt_submitted_online_first_then_offline_copy_is_rejected(rubi: Client, people: dict[str, Any],
                                                                      attempt: QuizAttempt) -> None:
    learning.quiz_attempt_submit(actor=people["teacher_rubi"], attempt=attempt, answers={})
    result = post(rubi, {"items": [quiz_item(attempt)]}).json()["results"][0]
    assert result["status"] == "rejected"
    assert result["url"] == attempt.get_absolute_url()


def test_other_persons_item_id_is_rejected_without_leaking(client: Client, people: dict[str, Any],
                                                           attempt: QuizAttempt) -> None:
    item = quiz_item(attempt)
    client.force_login(people["teacher_rubi"])
    post(client, {"items": [item]})
    client.force_login(people["teacher_of_other_school"])
    result = post(client, {"items": [item]}).json()["results"][0]
    assert result["status"] == "rejected"
    assert result["url"] == "" and "score" not in result
    assert SyncReceipt.objects.count() == 1


def test_another_persons_attempt_is_rejected(client: Client, people: dict[str, Any], attempt: QuizAttempt) -> None:
    client.force_login(people["teacher_of_other_school"])
    result = post(client, {"items": [quiz_item(attempt)]}).json()["results"][0]
    assert result["status"] == "rejected"
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_unknown_question_and_invalid_answer_are_rejected(rubi: Client, attempt: QuizAttempt) -> None:
    unknown = post(rubi, {"items": [quiz_item(attempt, fields={"q999999": ["1"]})]}).json()["results"][0]
    assert unknown["status"] == "rejected"
    assert "do not match this quiz" in unknown["message"]
    single = Question.objects.filter(pk__in=attempt.question_ids, kind=Question.Kind.SINGLE).first()
    invalid = post(rubi, {"items": [quiz_item(attempt, fields={f"q{single.pk}": ["abc"]})]}).json()["results"][0]
    assert invalid["status"] == "rejected"
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_deadline_is_judged_by_made_at(rubi: Client, people: dict[str, Any], attempt: QuizAttempt) -> None:
    attempt.expires_at = timezone.now() - dt.timedelta(hours=1)
    attempt.save(update_fields=["expires_at"])
    late = post(rubi, {"items": [quiz_item(attempt)]}).json()["results"][0]
    assert late["status"] == "rejected"
    assert "ran out" in late["message"]
    in_time = quiz_item(attempt, made_at=attempt.expires_at - dt.timedelta(minutes=5))
    assert post(rubi, {"items": [in_time]}).json()["results"][0]["status"] == "created"


def test_made_at_far_in_the_future_is_rejected(rubi: Client, attempt: QuizAttempt) -> None:
    item = quiz_item(attempt, made_at=timezone.now() + dt.timedelta(days=1))
    result = post(rubi, {"items": [item]}).json()["results"][0]
    assert result["status"] == "rejected"
    assert "clock" in result["message"]
    # A few minutes ahead is the phone's clock running fast: accepted.
    ok = quiz_item(attempt, made_at=timezone.now() + dt.timedelta(minutes=3))
    assert post(rubi, {"items": [ok]}).json()["results"][0]["status"] == "created"


def test_progress_max_wins_and_done_is_sticky(rubi: Client, course: Course, rubi_enrolled: Any) -> None:
    activity = course.modules.order_by("position").first().activities.first()
    results = post(rubi, {"items": [progress_item(activity.pk, watched="80"), progress_item(activity.pk, done="1"),
                                    progress_item(activity.pk, watched="30")]}).json()["results"]
    assert [r["status"] for r in results] == ["created"] * 3
    progress = ActivityProgress.objects.get(activity=activity)
    assert progress.watched_percent == 80
    assert progress.done_at is not None
    assert results[2]["url"] == activity.get_absolute_url()


def test_progress_bad_share_and_not_enrolled_are_rejected(client: Client, people: dict[str, Any],
                                                          course: Course, rubi_enrolled: Any) -> None:
    activity = course.modules.order_by("position").first().activities.first()
    client.force_login(people["teacher_rubi"])
    assert post(client, {"items": [progress_item(activity.pk, watched="150")]}).json()["results"][0]["status"] \
        == "rejected"
    client.force_login(people["teacher_of_other_school"])
    result = post(client, {"items": [progress_item(activity.pk, done="1")]}).json()["results"][0]
    assert result["status"] == "rejected"
    assert not ActivityProgress.objects.exists()


def test_unknown_kind_is_rejected_with_a_sentence(rubi: Client) -> None:
    item = {"id": str(uuid.uuid4()), "kind": "blog_post", "payload": {}, "made_at": timezone.now().isoformat()}
    result = post(rubi, {"items": [item]}).json()["results"][0]
    assert result["status"] == "rejected"
    assert "not known" in result["message"]


@pytest.mark.parametrize("body", ["{not json", json.dumps([1, 2]), json.dumps({"items": "x"}),
                                  json.dumps({"items": [{"id": "nope", "kind": "quiz_submit", "payload": {}}]}),
                                  json.dumps({"items": [{"id": str(uuid.uuid4()), "kind": "quiz_submit"}]})])
def test_bad_body_answers_400_with_a_sentence(rubi: Client, body: str) -> None:
    response = post(rubi, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not SyncReceipt.objects.exists()


def test_too_many_items_and_too_large(rubi: Client) -> None:
    items = [{"id": str(uuid.uuid4()), "kind": "x", "payload": {}} for _ in range(51)]
    response = post(rubi, {"items": items})
    assert response.status_code == 400
    assert "at most" in response.json()["error"]
    big = post(rubi, {"items": [], "pad": "x" * (65 * 1024)})
    assert big.status_code == 413
    assert not SyncReceipt.objects.exists()


def test_sign_in_and_csrf_are_required(people: dict[str, Any]) -> None:
    anonymous = Client()
    response = post(anonymous, {"items": []})
    assert response.status_code == 401
    assert response.json()["error"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["teacher_rubi"])
    assert post(strict, {"items": []}).status_code == 403
    strict.get("/offline/")
    token = strict.cookies["csrftoken"].value
    assert post(strict, {"items": []}, HTTP_X_CSRFTOKEN=token).json() == {"results": []}


def test_get_is_refused(rubi: Client) -> None:
    assert rubi.get(SYNC).status_code == 405
