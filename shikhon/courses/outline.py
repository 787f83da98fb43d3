"""The cached outline of a course and the cached questions of a quiz, and when they are forgotten.

A published (or retired) version's modules, quizzes, activities, questions and choices never change:
edits make a new version. Its outline (modules in order, each with its quiz, and each module's activity
ids) and each quiz's questions are kept in the cache, shared by every app server. Saving or deleting a
module, activity, quiz, question or choice (the admin, tests, an import) forgets them through the
receivers below, which `apps.CoursesConfig.ready` connects; entries expire anyway after an hour."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from shikhon.core.caching import cache_seconds
from shikhon.courses.models import Activity, Choice, Course, Module, Question, Quiz

OUTLINE_CACHE_SECONDS = 3600
FIXED_STATUSES = (Course.Status.PUBLISHED, Course.Status.RETIRED)


def quiz_id_of(module: Module) -> int | None:
    quiz = getattr(module, "quiz", None)  # the reverse one-to-one raises AttributeError when missing
    return quiz.pk if quiz is not None else None


@dataclass
class CourseOutline:
    """The modules of a course in order (each with its quiz, if any, loaded) and each module's
    activity ids in order."""

    modules: list[Module]
    activity_ids: dict[int, list[int]]

    def rows(self) -> list[tuple[int, int | None]]:
        return [(m.pk, quiz_id_of(m)) for m in self.modules]


# ------------------------------------------------------------------------------------------ the outline

def _outline_key(course_id: int) -> str:
    return f"courses:outline:v1:{course_id}"


def outline_forget(course_id: int) -> None:
    cache.delete_many([_outline_key(course_id), _public_key(course_id)])


def course_outline(course: Course) -> CourseOutline:
    """The course's outline: from the cache for a published or retired version, else 2 queries."""
    fixed = course.status in FIXED_STATUSES
    if fixed:
        cached = cache.get(_outline_key(course.pk))
        if isinstance(cached, CourseOutline):
            return cached
    modules = list(Module.objects.filter(course=course).select_related("quiz").order_by("position", "pk"))
    activity_ids: dict[int, list[int]] = {m.pk: [] for m in modules}
    for module_id, activity_id in (Activity.objects.filter(module__course=course)
                                   .order_by("position", "pk").values_list("module_id", "pk")):
        activity_ids[module_id].append(activity_id)
    outline = CourseOutline(modules=modules, activity_ids=activity_ids)
    if fixed:
        cache.set(_outline_key(course.pk), outline, cache_seconds(OUTLINE_CACHE_SECONDS))
    return outline


def outline_rows(course_id: int) -> list[tuple[int, int | None, list[int]]]:
    """(module id, quiz id, activity ids in order) in course order: from the cached outline when a page of the
    course put it there (see `course_outline`), else 2 queries."""
    outline = cache.get(_outline_key(course_id))
    if isinstance(outline, CourseOutline):
        return [(module_id, quiz_id, outline.activity_ids.get(module_id, [])) for module_id, quiz_id in outline.rows()]
    rows = list(Module.objects.filter(course_id=course_id).order_by("position", "pk").values_list("pk", "quiz__id"))
    activity_ids: dict[int, list[int]] = {module_id: [] for module_id, _quiz in rows}
    for module_id, activity_id in (Activity.objects.filter(module__course_id=course_id)
                                   .order_by("position", "pk").values_list("module_id", "pk")):
        activity_ids[module_id].append(activity_id)
    return [(module_id, quiz_id, activity_ids[module_id]) for module_id, quiz_id in rows]


# ------------------------------------------------------------------------------- the public course page

@dataclass
class PublicModule:
    title: str
    summary: str
    has_quiz: bool
    activity_titles: list[str]


@dataclass
class PublicOutline:
    """What a visitor reads of a published course: each module's title, summary and activity titles, and the
    sample video (the first activity's video; its public id, or None)."""

    modules: list[PublicModule]
    sample_video: uuid.UUID | None

    @property
    def activity_count(self) -> int:
        return sum(len(m.activity_titles) for m in self.modules)


def _public_key(course_id: int) -> str:
    return f"courses:public:v1:{course_id}"


def public_outline(course: Course) -> PublicOutline:
    """The course's public outline: from the cache for a published or retired version, else 2 queries."""
    fixed = course.status in FIXED_STATUSES
    if fixed:
        cached = cache.get(_public_key(course.pk))
        if isinstance(cached, PublicOutline):
            return cached
    modules = list(Module.objects.filter(course=course).order_by("position", "pk")
                   .values_list("pk", "title", "summary", "quiz__id"))
    titles: dict[int, list[str]] = {pk: [] for pk, *_rest in modules}
    sample: uuid.UUID | None = None
    first = True
    for module_id, title, video in (Activity.objects.filter(module__course=course)
                                    .order_by("module__position", "module_id", "position", "pk")
                                    .values_list("module_id", "title", "video__public_id")):
        if first:
            sample, first = video, False
        titles[module_id].append(title)
    public = PublicOutline(
        modules=[PublicModule(title=title, summary=summary, has_quiz=quiz_id is not None, activity_titles=titles[pk])
                 for pk, title, summary, quiz_id in modules],
        sample_video=sample)
    if fixed:
        cache.set(_public_key(course.pk), public, cache_seconds(OUTLINE_CACHE_SECONDS))
    return public


# ------------------------------------------------------------------------------ one activity and its module

def _activity_key(activity_id: int) -> str:
    return f"courses:activity:v1:{activity_id}"


def activities_forget(activity_ids: list[int]) -> None:
    cache.delete_many([_activity_key(pk) for pk in activity_ids])


def activity_with_course(activity_id: int) -> Activity | None:
    """The activity with its module and course loaded (and its video: read on use after a cache hit).

    An activity and its module of a published or retired version never change, so they come from the
    cache; the course row is always read fresh (1 query by primary key), because its status does change:
    publishing the next version retires this one (a bulk update no receiver sees). Drafts are read fresh,
    and a miss reads all three in one query."""
    cached = cache.get(_activity_key(activity_id))
    if isinstance(cached, Activity):
        course = Course.objects.filter(pk=cached.module.course_id).first()
        if course is not None and course.status in FIXED_STATUSES:
            cached.module.course = course
            return cached
    activity = Activity.objects.select_related("module__course", "video").filter(pk=activity_id).first()
    if activity is not None and activity.module.course.status in FIXED_STATUSES:
        kept = copy.deepcopy(activity)
        Module.course.field.delete_cached_value(kept.module)
        if Activity.video.is_cached(kept):  # a video may still be processed: read when used
            Activity.video.field.delete_cached_value(kept)
        cache.set(_activity_key(activity_id), kept, cache_seconds(OUTLINE_CACHE_SECONDS))
    return activity


# ------------------------------------------------------------------------------- the questions of a quiz

def _questions_key(quiz_id: int) -> str:
    return f"courses:quiz-questions:v1:{quiz_id}"


def quiz_questions_forget(quiz_id: int) -> None:
    cache.delete(_questions_key(quiz_id))


def questions_by_id(question_ids: list[int], *, quiz_id: int, course: Course) -> dict[int, Question]:
    """These questions (each with its choices loaded), by id: from the cached questions of the quiz when
    its course is published or retired (no query), else 2 queries."""
    if course.status in FIXED_STATUSES:
        every = cache.get(_questions_key(quiz_id))
        if not isinstance(every, dict):
            every = {q.pk: q for q in Question.objects.filter(quiz_id=quiz_id).prefetch_related("choices")}
            cache.set(_questions_key(quiz_id), every, cache_seconds(OUTLINE_CACHE_SECONDS))
        if all(pk in every for pk in question_ids):
            return {pk: every[pk] for pk in question_ids}
    return {q.pk: q for q in Question.objects.filter(pk__in=question_ids).prefetch_related("choices")}


# ------------------------------------------------------------------------ forgetting (signal receivers)

OUTLINE_MODELS: tuple[type[Module | Activity | Quiz], ...] = (Module, Activity, Quiz)
QUESTION_MODELS: tuple[type[Quiz | Question | Choice], ...] = (Quiz, Question, Choice)


def forget_outline_of(sender: Any, instance: Module | Activity | Quiz, **kwargs: Any) -> None:
    """post_save/post_delete of a module, activity or quiz: forget its course's cached outline (and the
    cached activity, or the module's activities)."""
    course_id: int | None = None
    if isinstance(instance, Module):
        course_id = instance.course_id
    elif type(instance).module.is_cached(instance):
        course_id = instance.module.course_id
    else:
        course_id = Module.objects.filter(pk=instance.module_id).values_list("course_id", flat=True).first()
    if course_id is not None:
        outline_forget(course_id)
    if isinstance(instance, Activity):
        activities_forget([instance.pk])
    elif isinstance(instance, Module):
        activities_forget(list(Activity.objects.filter(module_id=instance.pk).values_list("pk", flat=True)))


def forget_questions_of(sender: Any, instance: Quiz | Question | Choice, **kwargs: Any) -> None:
    """post_save/post_delete of a quiz, question or choice: forget the quiz's cached questions."""
    quiz_id: int | None
    if isinstance(instance, Quiz):
        quiz_id = instance.pk
    elif isinstance(instance, Question):
        quiz_id = instance.quiz_id
    elif Choice.question.is_cached(instance):
        quiz_id = instance.question.quiz_id
    else:
        quiz_id = Question.objects.filter(pk=instance.question_id).values_list("quiz_id", flat=True).first()
    if quiz_id is not None:
        quiz_questions_forget(quiz_id)
