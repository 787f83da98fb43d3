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
from shikhon.courses.tests.factories import do_activities
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
    do_activities(people["teacher_rubi"], quiz.module)  # a module's quiz waits for its activities
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


def test_deadline_is_judged_by_the_servers_time_of_receipt_not_made_at(rubi: Client, attempt: QuizAttempt) -> None:
    """A timed attempt started online, left long past its expiry and posted with a `made_at` a few minutes
    after its start is refused: the phone's clock is a claim, never proof (decision 0006)."""
    attempt.started_at = timezone.now() - dt.timedelta(hours=3)
    attempt.expires_at = attempt.started_at + dt.timedelta(minutes=10)
    attempt.save(update_fields=["started_at", "expires_at"])
    for made_at in (attempt.started_at + dt.timedelta(minutes=3), None):
        result = post(rubi, {"items": [quiz_item(attempt, made_at=made_at)]}).json()["results"][0]
        assert result["status"] == "rejected"
        assert "ran out" in result["message"]
        assert result["url"] == attempt.get_absolute_url()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score_percent is None


def test_attempt_still_open_on_the_servers_clock_counts_whatever_made_at_says(rubi: Client,
                                                                               attempt: QuizAttempt) -> None:
    attempt.expires_at = timezone.now() + dt.timedelta(minutes=5)
    attempt.save(update_fields=["expires_at"])
    claim = attempt.expires_at + dt.timedelta(hours=2)  # a fast clock; the server's clock says in time
    item = quiz_item(attempt, made_at=claim)
    assert post(rubi, {"items": [item]}).json()["results"][0]["status"] == "created"
    assert SyncReceipt.objects.get(key=item["id"]).made_at == claim  # kept as what the phone said


@pytest.mark.parametrize("claim", [dt.timedelta(days=1), -dt.timedelta(days=365 * 50)])
def test_a_wrong_phone_clock_neither_helps_nor_loses_the_answers(rubi: Client, attempt: QuizAttempt,
                                                               claim: dt.timedelta) -> None:
    # A phone whose clock is a day ahead, or back in 1970 after its battery ran out: the answers count,
    # judged by the server's clock.
    item = quiz_item(attempt, made_at=timezone.now() + claim)
    assert post(rubi, {"items": [item]}).json()["results"][0]["status"] == "created"
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert abs(attempt.submitted_at - timezone.now()) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("made_at", ["yesterday", "2025-13-40T00:00:00", "9999-12-31T23:59:59-12:00", 1700000000,
                                     "2025-01-01T00:00:00" + "0" * 100])
def test_unreadable_made_at_is_rejected_and_nothing_is_stored(rubi: Client, attempt: QuizAttempt,
                                                              made_at: Any) -> None:
    item = {**quiz_item(attempt), "made_at": made_at}
    result = post(rubi, {"items": [item]}).json()["results"][0]
    assert result["status"] == "rejected"
    assert "time this was made" in result["message"]
    assert not SyncReceipt.objects.exists()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


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


@pytest.mark.parametrize("body", ["{not json", json.dumps([1, 2]), json.dumps({"items": "x"}), json.dumps({}),
                                  "[" * 5000 + "]" * 5000, '{"items": [' + "[" * 20000 + "]" * 20000 + "]}",
                                  b"\xff\xfe", json.dumps({"items": None})])
def test_bad_body_answers_400_with_a_sentence(rubi: Client, body: str) -> None:
    response = post(rubi, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not SyncReceipt.objects.exists()


@pytest.mark.parametrize("share", ["inf", "-inf", "nan", "1e400", 1e400, "9" * 400, 80, 80.0, True, None, "",
                                   "80%", "১৫০", "-1", "²"])
def test_impossible_progress_numbers_are_rejected_and_the_rest_of_the_batch_applies(
        rubi: Client, course: Course, rubi_enrolled: Any, share: Any) -> None:
    """`"inf"` or 1e400 used to answer 500 (OverflowError); now the item gets its sentence back."""
    activity = course.modules.order_by("position").first().activities.first()
    bad = progress_item(activity.pk)
    bad["payload"]["fields"] = {"watched_percent": [share]}
    good = progress_item(activity.pk, watched_percent="50")
    response = post(rubi, {"items": [bad, good]})
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["id"] == bad["id"] and first["status"] == "rejected"
    assert "from 0 to 100" in first["message"]
    assert second == {**second, "id": good["id"], "status": "created"}
    assert ActivityProgress.objects.get(activity=activity).watched_percent == 50
    assert list(SyncReceipt.objects.values_list("key", flat=True)) == [uuid.UUID(good["id"])]


def test_raw_1e400_in_the_body_is_refused_per_item(rubi: Client, course: Course, rubi_enrolled: Any) -> None:
    activity = course.modules.order_by("position").first().activities.first()
    item = progress_item(activity.pk)
    body = json.dumps({"items": [item]}).replace('"fields": {}', '"fields": {"watched_percent": 1e400}')
    assert "1e400" in body
    response = post(rubi, body)
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "rejected"


@pytest.mark.parametrize("change, sentence", [
    ({"id": "nope"}, "id (a UUID)"),
    ({"id": None}, "id (a UUID)"),
    ({"id": 12}, "id (a UUID)"),
    ({"kind": "blog_post"}, "not known"),
    ({"kind": None}, "not known"),
    ({"payload": None}, "could not be read"),
    ({"payload": {"url": "/attempts/1/submit/", "fields": {"q1": "x" * 5000}}}, "could not be read"),
    ({"payload": {"url": "/attempts/1/submit/", "fields": {"q1": [1]}}}, "could not be read"),
    ({"payload": {"url": "/attempts/1/submit/", "fields": {}, "extra": 1}}, "could not be read"),
    ({"payload": {"fields": {}}}, "could not be read"),
    ({"payload": {"attempt": 10**30, "fields": {}}}, "could not be read"),
    ({"payload": {"url": "/attempts/99999999999999999999999/submit/", "fields": {}}}, "not found"),
    ({"payload": {"url": "/courses/", "fields": {}}}, "does not exist"),
])
def test_a_bad_item_gets_its_sentence_and_the_others_still_apply(rubi: Client, attempt: QuizAttempt,
                                                                  change: dict[str, Any], sentence: str) -> None:
    bad = {**quiz_item(attempt), **change}
    good = quiz_item(attempt)
    response = post(rubi, {"items": [bad, good]})
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["status"] == "rejected", first
    assert sentence in first["message"]
    assert first["id"] == (bad["id"] if isinstance(bad["id"], str) else None)
    assert second["status"] == "created"
    assert SyncReceipt.objects.filter(outcome=SyncReceipt.Outcome.REJECTED).count() == (
        1 if "not found" in sentence or "does not exist" in sentence else 0)


def test_a_batch_is_applied_in_the_order_given_first_submission_wins(rubi: Client, attempt: QuizAttempt) -> None:
    wrong = quiz_item(attempt, fields={})  # made first on the phone: nothing answered
    right = quiz_item(attempt)
    results = post(rubi, {"items": [wrong, right]}).json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected"]
    attempt.refresh_from_db()
    assert attempt.score_percent == 0


def test_the_same_id_twice_in_a_batch_answers_each_and_writes_once(rubi: Client, attempt: QuizAttempt) -> None:
    item = quiz_item(attempt)
    results = post(rubi, {"items": [item, item]}).json()["results"]
    assert [r["status"] for r in results] == ["created", "duplicate"]
    assert SyncReceipt.objects.count() == 1


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


def test_quiz_answers_whose_module_activities_are_not_done_are_rejected_with_the_sentence(
        rubi: Client, attempt: QuizAttempt) -> None:
    """An attempt left open from before the rule (a module's quiz after its activities): its answers sent from
    the outbox are rejected with the sentence saying what to do, and nothing is scored."""
    ActivityProgress.objects.filter(enrolment=attempt.enrolment).update(done_at=None)
    [result] = post(rubi, {"items": [quiz_item(attempt)]}).json()["results"]
    assert result["status"] == "rejected"
    assert "Do every activity of this module first" in result["message"]
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score_percent is None
