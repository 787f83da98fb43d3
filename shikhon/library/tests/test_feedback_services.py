"""The feedback services: one rating per teacher (changeable), exact counters, who may rate, comment and report,
limits and bad input (a sentence, nothing stored)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shikhon.library.models import Comment, Content, Rating, Report
from shikhon.library.services import feedback
from shikhon.library.tests.factories import ContentFactory
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(library_people):
    return ContentFactory(author=library_people["teacher_rubi"], published=True, title="ভগ্নাংশের পাঠ")


def codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


# ---------------------------------------------------------------- ratings


def test_one_rating_per_teacher_changeable(library_people, lesson):
    laila = library_people["teacher_subarnachar"]
    rating = feedback.rating_set(actor=laila, content=lesson, stars=4)
    again = feedback.rating_set(actor=laila, content=lesson, stars="2")
    assert again.pk == rating.pk and Rating.objects.filter(content=lesson).count() == 1
    lesson.refresh_from_db()
    assert (lesson.rating_count, lesson.rating_sum, lesson.rating_average) == (1, 2, Decimal("2.00"))
    assert again.rater_school_id == library_people["teacher_subarnachar"].roles.get().school_id


def test_averages_exact(library_people, lesson):
    for who, stars in (("teacher_subarnachar", 5), ("colleague_shirina", 4), ("head_teacher_masuma", 4)):
        feedback.rating_set(actor=library_people[who], content=lesson, stars=stars)
    lesson.refresh_from_db()
    assert (lesson.rating_count, lesson.rating_sum, lesson.rating_average) == (3, 13, Decimal("4.33"))
    assert feedback.rating_remove(actor=library_people["colleague_shirina"], content=lesson) is True
    lesson.refresh_from_db()
    assert (lesson.rating_count, lesson.rating_sum, lesson.rating_average) == (2, 9, Decimal("4.50"))
    assert feedback.rating_remove(actor=library_people["colleague_shirina"], content=lesson) is False


def test_rating_school_is_her_school_now(library_people, lesson, places):
    rating = feedback.rating_set(actor=library_people["colleague_shirina"], content=lesson, stars=5)
    assert rating.rater_school_id == places["school_hatia"].pk


def test_self_rating_refused(library_people, lesson):
    with pytest.raises(ValidationError) as exc:
        feedback.rating_set(actor=library_people["teacher_rubi"], content=lesson, stars=5)
    assert codes(exc.value) == {"own_content"}
    assert not Rating.objects.exists()


def test_draft_and_hidden_refused(library_people, lesson):
    draft = ContentFactory(author=library_people["teacher_rubi"])
    with pytest.raises(ValidationError):
        feedback.rating_set(actor=library_people["colleague_shirina"], content=draft, stars=5)
    Content.objects.filter(pk=lesson.pk).update(hidden_at=timezone.now())
    lesson.refresh_from_db()
    for call in (lambda: feedback.rating_set(actor=library_people["colleague_shirina"], content=lesson, stars=5),
                 lambda: feedback.comment_add(actor=library_people["colleague_shirina"], content=lesson, body="ভালো"),
                 lambda: feedback.report_create(actor=library_people["colleague_shirina"], content=lesson,
                                                reason="wrong", note="")):
        with pytest.raises(ValidationError) as exc:
            call()
        assert codes(exc.value) == {"not_published"}
    assert not Rating.objects.exists() and not Comment.objects.exists() and not Report.objects.exists()


@pytest.mark.parametrize("stars", [0, 6, "x", "", None, "3.5", "-1", "৫০"])
def test_bad_stars_refused(library_people, lesson, stars):
    with pytest.raises(ValidationError) as exc:
        feedback.rating_set(actor=library_people["colleague_shirina"], content=lesson, stars=stars)
    assert codes(exc.value) == {"invalid_stars"}
    assert not Rating.objects.exists()


@pytest.mark.parametrize("who", ["teacher_subarnachar", "head_teacher_masuma", "colleague_shirina"])
def test_teachers_may_rate(library_people, lesson, who):
    assert feedback.rating_set(actor=library_people[who], content=lesson, stars=3).stars == 3


@pytest.mark.parametrize("who", ["no_role_user", "teacher_pending_zahid", "officer_hatia", "mentor_hatia",
                                 "researcher_tanvir", "national_admin_nasrin"])
def test_others_may_not_rate(library_people, lesson, who):
    with pytest.raises(PermissionDenied) as exc:
        feedback.rating_set(actor=library_people[who], content=lesson, stars=3)
    assert str(exc.value)  # a sentence the page shows
    assert not Rating.objects.exists()


def test_rating_rate_limited(library_people, monkeypatch):
    monkeypatch.setattr(feedback, "RATINGS_PER_10_MINUTES", 2)
    contents = [ContentFactory(author=library_people["teacher_rubi"], published=True) for _ in range(3)]
    laila = library_people["teacher_subarnachar"]
    feedback.rating_set(actor=laila, content=contents[0], stars=3)
    feedback.rating_set(actor=laila, content=contents[1], stars=3)
    with pytest.raises(ValidationError) as exc:
        feedback.rating_set(actor=laila, content=contents[2], stars=3)
    assert codes(exc.value) == {"rate_limited"}


# ---------------------------------------------------------------- comments


def test_comment_added_and_author_told_once_an_hour(library_people, lesson, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = feedback.comment_add(actor=library_people["teacher_subarnachar"], content=lesson,
                                     body="  খুব কাজের পাঠ।\u202e  ")
        feedback.comment_add(actor=library_people["mentor_hatia"], content=lesson, body="ভালো লাগল")
    assert first.body == "খুব কাজের পাঠ।"
    told = Notification.objects.filter(recipient=library_people["teacher_rubi"], kind="library_commented")
    assert told.count() == 1
    assert "ভগ্নাংশের পাঠ" in str(told.get().params)


def test_own_comment_tells_nobody(library_people, lesson, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feedback.comment_add(actor=library_people["teacher_rubi"], content=lesson, body="ধন্যবাদ সবাইকে")
    assert not Notification.objects.exists()


def test_double_tap_is_one_comment(library_people, lesson):
    a = feedback.comment_add(actor=library_people["teacher_subarnachar"], content=lesson, body="চমৎকার")
    b = feedback.comment_add(actor=library_people["teacher_subarnachar"], content=lesson, body="চমৎকার")
    assert a.pk == b.pk and Comment.objects.count() == 1


@pytest.mark.parametrize("body, code", [("", "required"), ("   \n ", "required"), ("\u202e", "required"),
                                        ("ক" * 1001, "max_length"), ("x" * 5000, "max_length")])
def test_bad_comment_refused(library_people, lesson, body, code):
    with pytest.raises(ValidationError) as exc:
        feedback.comment_add(actor=library_people["teacher_subarnachar"], content=lesson, body=body)
    assert codes(exc.value) == {code}
    assert not Comment.objects.exists()


def test_comment_of_1000_characters_kept(library_people, lesson):
    assert len(feedback.comment_add(actor=library_people["teacher_subarnachar"], content=lesson,
                                    body="ক" * 1000).body) == 1000


def test_comments_rate_limited(library_people, lesson):
    laila = library_people["teacher_subarnachar"]
    for n in range(feedback.COMMENTS_PER_10_MINUTES):
        feedback.comment_add(actor=laila, content=lesson, body=f"মন্তব্য {n}")
    with pytest.raises(ValidationError) as exc:
        feedback.comment_add(actor=laila, content=lesson, body="আরও একটি")
    assert codes(exc.value) == {"rate_limited"}
    assert Comment.objects.count() == feedback.COMMENTS_PER_10_MINUTES


@pytest.mark.parametrize("who, allowed", [("teacher_subarnachar", True), ("mentor_hatia", True),
                                          ("officer_hatia", True), ("researcher_tanvir", True),
                                          ("no_role_user", False), ("teacher_pending_zahid", False)])
def test_who_may_comment(library_people, lesson, who, allowed):
    if allowed:
        assert feedback.comment_add(actor=library_people[who], content=lesson, body="কাজের")
    else:
        with pytest.raises(PermissionDenied):
            feedback.comment_add(actor=library_people[who], content=lesson, body="কাজের")
        assert not Comment.objects.exists()


# ---------------------------------------------------------------- reports


def test_report_carries_place_and_tells_moderators(library_people, lesson, places,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = feedback.report_create(actor=library_people["teacher_subarnachar"], content=lesson,
                                        reason="copyright", note="বই থেকে হুবহু নেওয়া")
    assert (report.school_id, report.upazila_id, report.district_id, report.division_id) == (
        lesson.school_id, lesson.upazila_id, lesson.district_id, lesson.division_id)
    assert report.upazila_id == places["hatia"].pk and report.status == Report.Status.OPEN
    told = set(Notification.objects.filter(kind="library_reported").values_list("recipient_id", flat=True))
    assert told == {library_people["mentor_hatia"].pk, library_people["officer_hatia"].pk}


def test_one_open_report_per_reporter(library_people, lesson):
    laila = library_people["teacher_subarnachar"]
    feedback.report_create(actor=laila, content=lesson, reason="wrong", note="")
    with pytest.raises(ValidationError) as exc:
        feedback.report_create(actor=laila, content=lesson, reason="abuse", note="")
    assert codes(exc.value) == {"already_reported"}
    assert "already reported" in exc.value.messages[0]
    Report.objects.update(status=Report.Status.DISMISSED)
    assert feedback.report_create(actor=laila, content=lesson, reason="abuse", note="")  # a new one after a decision
    assert feedback.report_create(actor=library_people["colleague_shirina"], content=lesson, reason="wrong", note="")


@pytest.mark.parametrize("reason, note, code", [("spam", "", "invalid_reason"), ("", "", "invalid_reason"),
                                                ("other", "", "required"), ("wrong", "x" * 1001, "max_length")])
def test_bad_report_refused(library_people, lesson, reason, note, code):
    with pytest.raises(ValidationError) as exc:
        feedback.report_create(actor=library_people["teacher_subarnachar"], content=lesson, reason=reason, note=note)
    assert codes(exc.value) == {code}
    assert not Report.objects.exists()


def test_own_content_not_reported(library_people, lesson):
    with pytest.raises(ValidationError):
        feedback.report_create(actor=library_people["teacher_rubi"], content=lesson, reason="wrong", note="")


@pytest.mark.parametrize("who", ["no_role_user", "teacher_pending_zahid"])
def test_no_role_may_not_report(library_people, lesson, who):
    with pytest.raises(PermissionDenied):
        feedback.report_create(actor=library_people[who], content=lesson, reason="wrong", note="")
