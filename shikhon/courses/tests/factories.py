"""Factories for courses: a published course with modules, activities and a quiz each, in one call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from shikhon.courses.models import Activity, Choice, Course, Module, Question, Quiz, Subject


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"আনন্দে গণিত শিখি {n}")
    summary = "প্রথম ও দ্বিতীয় শ্রেণির গণিত, খেলার মাধ্যমে।"
    subject = Subject.MATHS
    grade_from = 1
    grade_to = 2
    status = Course.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"মডিউল {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"কাজ {n}")
    materials = "১০টি পাথর\nখাতা"
    steps = "শিশুদের গোল করে বসান।\nপাথর গুনতে বলুন।"
    learner_actions = "শিশুরা জোড়ায় গোনে।"
    try_prompt = "কাল প্রথম ঘণ্টায় এটি করে দেখুন।"


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    module = factory.SubFactory(ModuleFactory)
    pass_percent = 60


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"প্রশ্ন {n}: ৩ + ৪ = ?")
    feedback = "৩টি পাথরের সাথে ৪টি পাথর মিলিয়ে গুনুন।"


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"উত্তর {n}")
    is_correct = False


def add_question(quiz: Quiz, kind: str = Question.Kind.SINGLE, **kwargs: Any) -> Question:
    """A question of each kind with its answers: single (7 correct of 6/7/8), multiple (2 and 4 of
    1/2/3/4 are even), true/false, numeric (12)."""
    if kind == Question.Kind.NUMERIC:
        return QuestionFactory(quiz=quiz, kind=kind, text="৫ + ৭ = কত?", numeric_answer=Decimal(12), **kwargs)
    question = QuestionFactory(quiz=quiz, kind=kind, **kwargs)
    if kind == Question.Kind.SINGLE:
        answers = [("৬", False), ("৭", True), ("৮", False)]
    elif kind == Question.Kind.MULTIPLE:
        answers = [("১", False), ("২", True), ("৩", False), ("৪", True)]
    else:
        answers = [("সত্য", True), ("মিথ্যা", False)]
    for position, (text, correct) in enumerate(answers):
        ChoiceFactory(question=question, position=position, text=text, is_correct=correct)
    return question


def course_with_content(*, modules: int = 3, activities: int = 3, status: str = Course.Status.PUBLISHED,
                        kinds: tuple[str, ...] = (Question.Kind.SINGLE, Question.Kind.NUMERIC),
                        **course_fields: Any) -> Course:
    """A course with `modules` modules of `activities` activities each and a quiz per module whose
    questions are of the given kinds."""
    course = CourseFactory(status=status, **course_fields)
    for m in range(modules):
        module = ModuleFactory(course=course, position=m, title=f"মডিউল {m + 1}")
        for a in range(activities):
            ActivityFactory(module=module, position=a, title=f"কাজ {m + 1}.{a + 1}")
        quiz = QuizFactory(module=module)
        for q, kind in enumerate(kinds):
            add_question(quiz, kind, position=q)
    return course


def do_activities(user: Any, module: Any) -> None:
    """She marks every activity of the module done, through the service (what a module's quiz needs first)."""
    from shikhon.courses.services import activity_progress_record

    for activity in module.activities.order_by("position", "pk"):
        activity_progress_record(actor=user, activity=activity, done=True)


def do_all_activities(user: Any, course: Course) -> None:
    """Every activity of the course done, in order (only as far as modules are open: pass quizzes between)."""
    for module in course.modules.order_by("position", "pk"):
        do_activities(user, module)
