"""The cached outline of a published course and the cached questions of a quiz are forgotten when a
piece of the course changes (receivers connected in apps.py)."""

from __future__ import annotations

import pytest

from shikhon.courses import outline
from shikhon.courses.models import Course, Question
from shikhon.courses.tests.factories import (
    ActivityFactory,
    ChoiceFactory,
    ModuleFactory,
    add_question,
    course_with_content,
)


@pytest.fixture
def course(db):
    return course_with_content(modules=2, activities=2)


def test_a_published_outline_is_cached(course, django_assert_num_queries):
    first = outline.course_outline(course)
    with django_assert_num_queries(0):
        again = outline.course_outline(course)
        rows = [(m, q) for m, q, _a in outline.outline_rows(course.pk)]
    assert [m.pk for m in again.modules] == [m.pk for m in first.modules]
    assert rows == first.rows() and all(quiz_id is not None for _m, quiz_id in rows)


def test_a_draft_outline_is_not_cached(db, django_assert_num_queries):
    draft = course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)
    outline.course_outline(draft)
    with django_assert_num_queries(2):
        outline.course_outline(draft)


@pytest.mark.parametrize("change", ["add_module", "add_activity", "delete_activity", "delete_quiz"])
def test_changing_a_piece_forgets_the_outline(course, change):
    before = outline.course_outline(course)
    first = before.modules[0]
    if change == "add_module":
        ModuleFactory(course=course, position=9)
    elif change == "add_activity":
        ActivityFactory(module=first, position=9)
    elif change == "delete_activity":
        type(first).objects.get(pk=first.pk).activities.first().delete()
    else:
        type(first).objects.get(pk=first.pk).quiz.delete()
    after = outline.course_outline(course)
    assert (len(after.modules), sum(map(len, after.activity_ids.values())), after.rows()) != (
        len(before.modules), sum(map(len, before.activity_ids.values())), before.rows())


def test_changing_a_question_or_choice_forgets_the_questions(course):
    quiz = course.modules.first().quiz
    ids = list(quiz.questions.values_list("pk", flat=True))
    cached = outline.questions_by_id(ids, quiz_id=quiz.pk, course=course)
    single = next(q for q in cached.values() if q.kind == Question.Kind.SINGLE)
    ChoiceFactory(question=Question.objects.get(pk=single.pk), text="নতুন", is_correct=True)
    fresh = outline.questions_by_id(ids, quiz_id=quiz.pk, course=course)
    assert len(fresh[single.pk].choices.all()) == len(single.choices.all()) + 1
    new = add_question(quiz, Question.Kind.NUMERIC, position=9)
    assert new.pk in outline.questions_by_id([*ids, new.pk], quiz_id=quiz.pk, course=course)
    Question.objects.filter(pk=new.pk).first().delete()
    assert new.pk not in outline.questions_by_id([*ids], quiz_id=quiz.pk, course=course)
