"""Draft → review → published, returns with a note, and new versions (deep copies) of a course."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from shikhon.core.models import AuditEvent
from shikhon.courses import authoring
from shikhon.courses.models import Activity, Choice, Course, Enrolment, Module, Question, Quiz
from shikhon.courses.tests.factories import CourseFactory, add_question, course_with_content
from shikhon.media.models import Video
from shikhon.notify.models import Notification


@pytest.fixture
def author(people):
    return people["course_author_shirin"]


@pytest.fixture
def admin(people):
    return people["national_admin_nasrin"]


@pytest.fixture
def complete_draft(author):
    course = course_with_content(modules=2, activities=2, status=Course.Status.DRAFT, published_at=None,
                                 created_by=author)
    return course


def test_submit_incomplete_lists_what_is_missing(author):
    course = authoring.course_create(actor=author, title="অসম্পূর্ণ", slug="osompurno")
    with pytest.raises(ValidationError) as err:
        authoring.course_submit(actor=author, course=course)
    assert "no module" in str(err.value)
    module = authoring.module_create(actor=author, course=course, title="প্রথম")
    with pytest.raises(ValidationError) as err:
        authoring.course_submit(actor=author, course=course)
    assert "“প্রথম” has no activity" in str(err.value) and "“প্রথম” has no quiz question" in str(err.value)
    authoring.activity_create(actor=author, module=module, title="কাজ")
    authoring.quiz_settings_update(actor=author, module=module, pass_percent=60)
    with pytest.raises(ValidationError) as err:
        authoring.course_submit(actor=author, course=course)
    assert "has no activity" not in str(err.value) and "has no quiz question" in str(err.value)
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT


def test_submit_tells_every_national_admin_and_audits(people, author, admin, complete_draft,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = authoring.course_submit(actor=author, course=complete_draft)
    assert course.status == Course.Status.REVIEW and course.submitted_at
    told = Notification.objects.filter(kind="course_submitted")
    assert list(told.values_list("recipient", flat=True)) == [admin.pk]
    assert AuditEvent.objects.filter(action="course_submitted", target_id=str(course.pk)).exists()


def test_return_needs_a_reviewer_and_a_note(author, admin, complete_draft, django_capture_on_commit_callbacks):
    authoring.course_submit(actor=author, course=complete_draft)
    with pytest.raises(PermissionDenied):
        authoring.course_return(actor=author, course=complete_draft, note="নিজেই ফেরত")
    with pytest.raises(ValidationError):
        authoring.course_return(actor=admin, course=complete_draft, note="   ")
    with django_capture_on_commit_callbacks(execute=True):
        course = authoring.course_return(actor=admin, course=complete_draft, note="দ্বিতীয় মডিউলে ভিডিও দিন।")
    assert course.status == Course.Status.DRAFT and course.review_note == "দ্বিতীয় মডিউলে ভিডিও দিন।"
    note = Notification.objects.get(kind="course_returned")
    assert note.recipient == author and note.params["note"] == "দ্বিতীয় মডিউলে ভিডিও দিন।"
    assert AuditEvent.objects.filter(action="course_returned").exists()


def test_publish_only_by_a_reviewer_from_review(author, admin, complete_draft, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        authoring.course_publish(actor=admin, course=complete_draft)  # still a draft
    authoring.course_submit(actor=author, course=complete_draft)
    with pytest.raises(PermissionDenied):
        authoring.course_publish(actor=author, course=complete_draft)
    with django_capture_on_commit_callbacks(execute=True):
        course = authoring.course_publish(actor=admin, course=complete_draft)
    assert course.status == Course.Status.PUBLISHED and course.published_by == admin and course.published_at
    assert Notification.objects.get(kind="course_published").recipient == author
    assert AuditEvent.objects.filter(action="course_published").exists()


def test_new_version_is_a_deep_draft_copy(author):
    old = course_with_content(modules=2, activities=2, kinds=("single", "multiple", "true_false", "numeric"))
    video = Video.objects.create(title="গুনি")
    first_activity = Activity.objects.filter(module__course=old).first()
    first_activity.video = video
    first_activity.sheet.name = "sheets/2026/11/sheet.pdf"
    first_activity.save()
    prerequisite = CourseFactory()
    old.prerequisites.add(prerequisite)

    new = authoring.course_new_version(actor=author, course=old)

    assert (new.family, new.version, new.status, new.slug) == (old.family, 2, Course.Status.DRAFT, old.slug)
    assert list(new.prerequisites.all()) == [prerequisite]
    for model, path in ((Module, "course"), (Activity, "module__course"), (Question, "quiz__module__course")):
        old_keys = set(model.objects.filter(**{path: old}).values_list("key", flat=True))
        new_keys = set(model.objects.filter(**{path: new}).values_list("key", flat=True))
        assert old_keys == new_keys and len(new_keys) > 0
    assert Quiz.objects.filter(module__course=new).count() == 2
    assert Choice.objects.filter(question__quiz__module__course=new).count() == \
        Choice.objects.filter(question__quiz__module__course=old).count()
    copied = Activity.objects.get(module__course=new, key=first_activity.key)
    assert copied.video_id == video.pk and copied.sheet.name == "sheets/2026/11/sheet.pdf"
    assert copied.short_code != first_activity.short_code
    numeric = Question.objects.filter(quiz__module__course=new, kind="numeric").first()
    assert numeric.numeric_answer == 12
    old.refresh_from_db()
    assert old.status == Course.Status.PUBLISHED  # untouched until the new version is published


def test_new_version_returns_the_existing_draft(author):
    old = course_with_content(modules=1, activities=1)
    first = authoring.course_new_version(actor=author, course=old)
    assert authoring.course_new_version(actor=author, course=old) == first
    assert authoring.course_new_version(actor=author, course=first) == first
    assert Course.objects.filter(family=old.family).count() == 2


def test_new_version_refused_to_teachers(people):
    old = course_with_content(modules=1, activities=1)
    with pytest.raises(PermissionDenied):
        authoring.course_new_version(actor=people["teacher_rubi"], course=old)


def test_publishing_a_new_version_retires_the_old_and_keeps_enrolments(people, author, admin):
    old = course_with_content(modules=1, activities=1)
    rubi = people["teacher_rubi"]
    enrolment = Enrolment.objects.create(user=rubi, course=old, family=old.family)

    new = authoring.course_new_version(actor=author, course=old)
    module = new.modules.get()
    authoring.activity_update(actor=author, activity=module.activities.get(), title="নতুন কাজ")
    add_question(module.quiz, "numeric")
    authoring.course_submit(actor=author, course=new)
    authoring.course_publish(actor=admin, course=new)

    old.refresh_from_db()
    new.refresh_from_db()
    enrolment.refresh_from_db()
    assert old.status == Course.Status.RETIRED and new.status == Course.Status.PUBLISHED
    assert Course.objects.filter(family=old.family, status=Course.Status.PUBLISHED).count() == 1
    assert enrolment.course_id == old.pk
    assert Activity.objects.get(module__course=old).title != "নতুন কাজ"

    # A third version from the retired one continues the numbering.
    third = authoring.course_new_version(actor=author, course=old)
    assert third.version == 3


def test_database_allows_only_one_published_version(author):
    old = course_with_content(modules=1, activities=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseFactory(family=old.family, version=2, slug=old.slug, status=Course.Status.PUBLISHED)
