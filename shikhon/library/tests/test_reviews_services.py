"""Mentor review (services.reviews): start, publish (fields copied, the previous version superseded, every version
kept), ask for changes (feedback needed), one review per version, the rubric's scores checked (nothing stored on bad
input), the author told, the decision audited, and two mentors deciding one version at once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shikhon.core.models import AuditEvent
from shikhon.library import audit_actions, notifications_reviews
from shikhon.library.models import ContentVersion, Review, State
from shikhon.library.services.reviews import review_start, review_submit
from shikhon.library.tests.factories import ContentFactory
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db

GOOD = {"curriculum_fit": 4, "accuracy": 3, "pedagogy": 3, "media": 2, "accessibility": 4}


def submit(content, *, title=None):
    """The author sends her latest version (or a new one with `title`) for review, as the contents part does."""
    version = content.latest_version
    if title is not None:
        version = ContentVersion.objects.create(
            content=content, number=version.number + 1, title=title, summary=version.summary, body=version.body,
            grade=version.grade, subject=version.subject, kind=version.kind, language=version.language,
            made_by=content.author)
        content.latest_version = version
    version.state, version.submitted_at = State.SUBMITTED, timezone.now()
    version.save()
    content.state = State.SUBMITTED
    content.save()
    return content


@pytest.fixture
def waiting(library_people):
    return submit(ContentFactory(author=library_people["teacher_rubi"], title="ভগ্নাংশের খেলা"))


def test_start_takes_it_into_review(library_people, waiting):
    version = review_start(actor=library_people["mentor_hatia"], content=waiting)
    waiting.refresh_from_db()
    assert version.state == waiting.state == State.UNDER_REVIEW
    assert review_start(actor=library_people["mentor_noakhali"], content=waiting).state == State.UNDER_REVIEW


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_subarnachar",
                                 "colleague_shirina"])
def test_only_mentors_of_the_area_review(library_people, waiting, who):
    with pytest.raises(PermissionDenied):
        review_start(actor=library_people[who], content=waiting)
    with pytest.raises(PermissionDenied):
        review_submit(actor=library_people[who], content=waiting, scores=GOOD, decision="publish")
    assert not Review.objects.exists()


def test_a_mentor_does_not_review_her_own(library_people):
    own = submit(ContentFactory(author=library_people["mentor_hatia"]))
    with pytest.raises(PermissionDenied):
        review_submit(actor=library_people["mentor_hatia"], content=own, scores=GOOD, decision="publish")


def test_a_draft_is_not_reviewed(library_people):
    draft = ContentFactory(author=library_people["teacher_rubi"])
    with pytest.raises(ValidationError):
        review_start(actor=library_people["mentor_hatia"], content=draft)
    with pytest.raises(ValidationError):
        review_submit(actor=library_people["mentor_hatia"], content=draft, scores=GOOD, decision="publish")


def test_publish(library_people, waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD,
                               decision="publish", feedback="  ভালো কাজ।  ")
    waiting.refresh_from_db()
    version = waiting.latest_version
    assert version.state == State.PUBLISHED and version.decided_at is not None
    assert waiting.state == State.PUBLISHED and waiting.published_version == version
    assert waiting.published_at is not None and waiting.is_published
    assert review.average == waiting.mentor_score == Decimal("3.20")
    assert review.feedback == "ভালো কাজ।" and review.rubric.version == 1
    told = Notification.objects.get(recipient=library_people["teacher_rubi"])
    assert told.kind == notifications_reviews.PUBLISHED
    event = AuditEvent.objects.get(action=audit_actions.CONTENT_REVIEWED)
    assert event.actor == library_people["mentor_hatia"] and event.details["decision"] == "publish"


def test_changes_need_feedback(library_people, waiting):
    with pytest.raises(ValidationError) as caught:
        review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD, decision="changes",
                      feedback="   ")
    assert "feedback" in caught.value.error_dict
    assert not Review.objects.exists()
    waiting.refresh_from_db()
    assert waiting.state == State.SUBMITTED


def test_changes_requested(library_people, waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD, decision="changes",
                      feedback="শিখনফল লিখুন।")
    waiting.refresh_from_db()
    assert waiting.state == waiting.latest_version.state == State.CHANGES_REQUESTED
    assert waiting.published_version is None and waiting.published_at is None and waiting.mentor_score is None
    told = Notification.objects.get(recipient=library_people["teacher_rubi"])
    assert told.kind == notifications_reviews.CHANGES_REQUESTED and "ভগ্নাংশের খেলা" in told.params["title"]


def test_a_new_version_supersedes_the_published_one(library_people):
    content = ContentFactory(author=library_people["teacher_rubi"], published=True, title="পুরোনো শিরোনাম")
    first = content.published_version
    first_published_at = content.published_at
    submit(content, title="নতুন শিরোনাম")
    review_submit(actor=library_people["mentor_noakhali"], content=content, scores=GOOD, decision="publish")
    content.refresh_from_db()
    first.refresh_from_db()
    assert first.state == State.SUPERSEDED
    assert content.published_version.number == 2 and content.title == "নতুন শিরোনাম"
    assert "নতুন" in content.search_text and content.published_at == first_published_at
    assert content.versions.count() == 2


def test_a_sent_back_revision_keeps_the_published_version(library_people):
    content = ContentFactory(author=library_people["teacher_rubi"], published=True, title="প্রকাশিত")
    submit(content, title="সংশোধন")
    review_submit(actor=library_people["mentor_hatia"], content=content, scores=GOOD, decision="changes",
                  feedback="আরও ছবি দিন।")
    content.refresh_from_db()
    assert content.is_published and content.title == "প্রকাশিত" and content.published_version.number == 1
    assert content.state == State.CHANGES_REQUESTED


def test_one_review_per_version(library_people, waiting):
    review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD, decision="publish")
    with pytest.raises(ValidationError):
        review_submit(actor=library_people["mentor_noakhali"], content=waiting, scores=GOOD, decision="changes",
                      feedback="না।")
    assert Review.objects.count() == 1


@pytest.mark.parametrize(("scores", "field"), [
    ({**GOOD, "accuracy": 5}, "score_accuracy"),
    ({**GOOD, "accuracy": 0}, "score_accuracy"),
    ({**GOOD, "accuracy": "ভালো"}, "score_accuracy"),
    ({**GOOD, "accuracy": True}, "score_accuracy"),
    ({k: v for k, v in GOOD.items() if k != "media"}, "score_media"),
    ({**GOOD, "beauty": 3}, "scores"),
])
def test_bad_scores_store_nothing(library_people, waiting, scores, field):
    with pytest.raises(ValidationError) as caught:
        review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=scores, decision="publish")
    assert field in caught.value.error_dict
    assert not Review.objects.exists()
    waiting.refresh_from_db()
    assert waiting.state == State.SUBMITTED


def test_unknown_decision(library_people, waiting):
    with pytest.raises(ValidationError) as caught:
        review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD, decision="maybe")
    assert "decision" in caught.value.error_dict
    assert not Review.objects.exists()


def test_a_hidden_content_is_not_reviewed(library_people, waiting):
    waiting.hidden_at = timezone.now()
    waiting.save()
    with pytest.raises(ValidationError):
        review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD, decision="publish")


@pytest.mark.django_db(transaction=True)
def test_two_mentors_deciding_at_once_store_one_review(library_people):
    content = submit(ContentFactory(author=library_people["teacher_rubi"]))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(who: str, decision: str) -> None:
        from django.db import connection

        try:
            barrier.wait(timeout=5)
            review_submit(actor=library_people[who], content=content, scores=GOOD, decision=decision,
                          feedback="একটু বদলান।")
            outcomes.append("decided")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:  # SQLite may answer the second writer "database is locked"
            outcomes.append(f"refused: {type(exc).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=("mentor_hatia", "publish")),
               threading.Thread(target=decide, args=("mentor_noakhali", "changes"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome.split(":")[0] for outcome in outcomes) == ["decided", "refused"]
    assert Review.objects.count() == 1
    content.refresh_from_db()
    review = Review.objects.get()
    expected = State.PUBLISHED if review.decision == "publish" else State.CHANGES_REQUESTED
    assert content.state == content.latest_version.state == expected
