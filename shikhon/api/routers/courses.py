"""Courses for learners: the catalogue and a course (public when published), enrolling, marking an activity done,
quizzes and attempts, and the caller's enrolments with progress.

Every operation loads rows through `courses.selectors.access_*` (missing, malformed and hidden are one 404) and
writes through `courses.services`, the same calls the pages and /sync/ make: answers are scored on the server
only, and a service's refusal answers its own sentence (409 for "not now", 400 for bad input)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from pydantic import ConfigDict

from shikhon.api.auth import PUBLIC_AUTH, PUBLIC_OPENAPI, caller, caller_or_visitor
from shikhon.api.errors import refusals
from shikhon.api.pagination import MAX_ID, PageParams, paginate_list, search_text
from shikhon.api.schemas import ErrorOut, Page
from shikhon.courses import selectors, services

if TYPE_CHECKING:
    from shikhon.courses.models import Course, Enrolment, Quiz, QuizAttempt
    from shikhon.people.models import User

router = Router(tags=["courses"])

ERRORS: dict[int, Any] = {401: ErrorOut, 414: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS_404, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,80}$"
MAX_ANSWERS = 200
MAX_VALUES = 20


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


def _slug() -> Any:
    return Path(..., pattern=SLUG_PATTERN, description="The course's web address name, e.g. anonde-gonit-shikhi.")


# --------------------------------------------------------------------------------------------- schemas

class CourseParams(PageParams):
    q: str = search_text("Words of the title.")
    subject: str | None = Field(None, pattern=r"^[a-z_]{1,20}$", description="Only courses of this subject "
                                "(maths, bangla, english, science, social, religion, arts, pedagogy).")
    grade: int | None = Field(None, ge=1, le=12, description="Only courses for this grade (1 to 12).")


class CourseOut(Schema):
    slug: str
    title: str
    summary: str
    subject: str
    grade_from: int
    grade_to: int
    estimated_hours: int = Field(..., description="Hours of study the course asks for.")
    version: int
    status: Literal["draft", "review", "published", "retired"] = Field(
        ..., description="published; retired (a newer version replaced it: she keeps studying hers).")
    enrolled: bool = Field(..., description="Whether the caller is enrolled in it (false for a visitor).")


class CoursePage(Page):
    items: list[CourseOut]


class QuizRef(Schema):
    id: int
    pass_percent: int
    questions_per_attempt: int | None = None
    max_attempts: int | None = None
    time_limit_minutes: int | None = None


class ActivityOut(Schema):
    id: int
    title: str
    summary: str
    duration_minutes: int = Field(..., description="Time in class.")
    short_code: str = Field(..., description="The code printed on the activity sheet.")
    url: str = Field(..., description="The activity's page on the site.")


class ModuleProgress(Schema):
    unlocked: bool = Field(..., description="Module 1 always; each next one when the one before is finished.")
    activities_done: int
    activities_total: int
    quiz_passed: bool = Field(..., description="Its quiz is passed (true for a module without a quiz).")
    finished: bool = Field(..., description="Every activity done and the quiz passed.")
    done_activity_ids: list[int]


class ModuleOut(Schema):
    id: int
    number: int
    title: str
    summary: str
    quiz: QuizRef | None = None
    activities: list[ActivityOut]
    progress: ModuleProgress | None = Field(None, description="The caller's, when enrolled in this version.")


class PrerequisiteOut(Schema):
    slug: str
    title: str


class EnrolmentOut(Schema):
    course: str = Field(..., description="The course's slug.")
    title: str
    version: int
    enrolled_at: dt.datetime
    last_seen_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    completed: bool
    modules_finished: int
    modules_total: int
    next_url: str = Field(..., description="Where she left off, on the site.")


class CourseDetailOut(CourseOut):
    prerequisites: list[PrerequisiteOut]
    modules: list[ModuleOut]
    enrolment: EnrolmentOut | None = Field(None, description="The caller's enrolment in this version, if any.")


class EnrolmentPage(Page):
    items: list[EnrolmentOut]


class ProgressOut(Schema):
    activity: int
    done: bool
    watched_percent: int
    module: ModuleProgress


class Blocked(Schema):
    code: str = Field(..., description="not_enrolled, locked, activities_not_done, no_attempts_left or wait.")
    reason: str = Field(..., description="A sentence in the caller's language.")


class QuizOut(Schema):
    id: int
    module: int
    course: str
    pass_percent: int
    questions_per_attempt: int | None = None
    max_attempts: int | None = None
    retake_wait_minutes: int
    time_limit_minutes: int | None = None
    attempts_used: int
    attempts_left: int | None = Field(None, description="None: no limit.")
    best_score: int | None = None
    passed: bool
    unlocked: bool
    can_start: bool = Field(..., description="Whether POST …/attempts would start or continue an attempt now.")
    open_attempt: int | None = Field(None, description="Her attempt still open, to continue.")
    blocked: Blocked | None = None


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: Literal["single", "multiple", "true_false", "numeric"]
    text: str
    image_url: str | None = None
    choices: list[ChoiceOut] = Field(..., description="In the order shown; empty for a number question.")


class AnswerResult(Schema):
    question: int
    answer: list[str] = Field(..., description="What was counted: choice ids, or the number.")
    correct: bool
    correct_choices: list[int]
    correct_number: str | None = None
    feedback: str


class ResultOut(Schema):
    correct_count: int
    total: int
    score_percent: int
    pass_percent: int
    passed: bool
    course_completed: bool
    answers: list[AnswerResult]


class AttemptOut(Schema):
    id: int
    quiz: int
    course: str
    number: int
    status: Literal["open", "expired", "submitted"]
    started_at: dt.datetime
    expires_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    questions: list[QuestionOut]
    result: ResultOut | None = Field(None, description="After submission: scored on the server.")


Answer = Annotated[str, Field(max_length=40)]


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[Annotated[str, Field(pattern=r"^[0-9]{1,19}$")],
                  Annotated[list[Answer], Field(max_length=MAX_VALUES)]] = Field(
        ..., max_length=MAX_ANSWERS, json_schema_extra={"additionalProperties": False},
        description='By question id: a list of chosen choice ids ("412"), or one number ("12", "১২.৫"). '
                    "A question left out is unanswered.")


# ---------------------------------------------------------------------------------------------- helpers

def _module_progress(state: selectors.ModuleState) -> dict[str, Any]:
    return {"unlocked": state.unlocked, "activities_done": state.activities_done,
            "activities_total": state.activities_total, "quiz_passed": state.passed, "finished": state.finished,
            "done_activity_ids": [pk for pk in state.activity_ids if pk in state.done_ids]}


def _course(course: Course, *, enrolled: bool) -> dict[str, Any]:
    return {"slug": course.slug, "title": course.title, "summary": course.summary, "subject": course.subject,
            "grade_from": course.grade_from, "grade_to": course.grade_to, "estimated_hours": course.estimated_hours,
            "version": course.version, "status": course.status, "enrolled": enrolled}


def _enrolment(enrolment: Enrolment, states: list[selectors.ModuleState]) -> dict[str, Any]:
    course = enrolment.course
    return {"course": course.slug, "title": course.title, "version": course.version,
            "enrolled_at": enrolment.enrolled_at, "last_seen_at": enrolment.last_seen_at,
            "completed_at": enrolment.completed_at, "completed": enrolment.completed_at is not None,
            "modules_finished": sum(1 for s in states if s.finished),
            "modules_total": len(states), "next_url": selectors.next_step_url(states, enrolment, course)}


def _quiz_ref(quiz: Quiz | None) -> dict[str, Any] | None:
    if quiz is None:
        return None
    return {"id": quiz.pk, "pass_percent": quiz.pass_percent, "questions_per_attempt": quiz.questions_per_attempt,
            "max_attempts": quiz.max_attempts, "time_limit_minutes": quiz.time_limit_minutes}


def _course_detail(user: User | None, course: Course, enrolment: Enrolment | None) -> dict[str, Any]:
    states = selectors.course_module_states(course, enrolment)
    activities: dict[int, list[dict[str, Any]]] = {s.module.pk: [] for s in states}
    for activity in selectors.course_activities(course):
        activities.setdefault(activity.module_id, []).append({
            "id": activity.pk, "title": activity.title, "summary": activity.summary,
            "duration_minutes": activity.duration_minutes, "short_code": activity.short_code,
            "url": reverse("courses:activity", kwargs={"pk": activity.pk})})
    modules = [{"id": s.module.pk, "number": s.number, "title": s.module.title, "summary": s.module.summary,
                "quiz": _quiz_ref(getattr(s.module, "quiz", None)), "activities": activities.get(s.module.pk, []),
                "progress": _module_progress(s) if enrolment is not None else None} for s in states]
    return {**_course(course, enrolled=enrolment is not None),
            "prerequisites": [{"slug": c.slug, "title": c.title} for c in course.prerequisites.all()],
            "modules": modules, "enrolment": _enrolment(enrolment, states) if enrolment is not None else None}


def _studied(user: User | None, slug: str) -> tuple[Course, Enrolment | None]:
    """The version she studies (the one she is enrolled in, else the published one), as the course page
    loads it; a visitor sees the published version."""
    if user is None:
        return selectors.access_public_course(slug), None
    return selectors.access_course(user, slug)


def _attempt(attempt: QuizAttempt, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    quiz = attempt.quiz
    course = quiz.module.course
    base = {"id": attempt.pk, "quiz": quiz.pk, "course": course.slug, "number": attempt.number,
            "started_at": attempt.started_at, "expires_at": attempt.expires_at, "submitted_at": attempt.submitted_at}
    if attempt.submitted_at is None:
        expired = attempt.expires_at is not None and attempt.expires_at < now
        return {**base, "status": "expired" if expired else "open", "result": None, "questions": [
            _question(question, choices) for question, choices in selectors.attempt_questions(attempt)]}
    feedback = selectors.attempt_feedback(attempt)
    return {**base, "status": "submitted", "questions": [_question(f.question, f.choices) for f in feedback],
            "result": {
                "correct_count": attempt.correct_count or 0, "total": len(feedback),
                "score_percent": attempt.score_percent or 0, "pass_percent": quiz.pass_percent,
                "passed": bool(attempt.passed), "course_completed": attempt.enrolment.completed_at is not None,
                "answers": [{"question": f.question.pk, "answer": f.values, "correct": f.correct,
                             "correct_choices": [c.pk for c in f.choices if c.is_correct],
                             "correct_number": f.correct_number or None, "feedback": f.question.feedback}
                            for f in feedback]}}


def _question(question: Any, choices: list[Any]) -> dict[str, Any]:
    return {"id": question.pk, "kind": question.kind, "text": question.text,
            "image_url": reverse("courses:question_picture", kwargs={"pk": question.pk}) if question.image else None,
            "choices": [] if question.kind == "numeric" else [{"id": c.pk, "text": c.text} for c in choices]}


# ------------------------------------------------------------------------------------------- catalogue

@router.get("/courses", response={200: CoursePage, **ERRORS}, auth=PUBLIC_AUTH, openapi_extra=PUBLIC_OPENAPI,
            summary="Published courses (public)")
def list_courses(request: HttpRequest, params: Query[CourseParams]) -> dict[str, Any]:
    """The catalogue: published courses by title, searched and filtered as on the site. No sign-in needed."""
    courses = selectors.published_catalogue(query=params.q, subject=params.subject or "", grade=params.grade)
    page = paginate_list(courses, params)
    user = caller_or_visitor(request)
    enrolled = selectors.enrolled_families(user, [c.family for c in page["items"]]) if user and page["items"] \
        else set()
    page["items"] = [_course(c, enrolled=c.family in enrolled) for c in page["items"]]
    return page


@router.get("/courses/{slug}", response={200: CourseDetailOut, **ERRORS_404}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="One course with its modules and activities (public)")
def get_course(request: HttpRequest, slug: str = _slug()) -> dict[str, Any]:
    """A published course for anyone; for a signed-in teacher, the version she is enrolled in, with her
    progress per module. A draft, or a course that does not exist, is 404."""
    user = caller_or_visitor(request)
    course, enrolment = _studied(user, slug)
    return _course_detail(user, course, enrolment)


@router.post("/courses/{slug}/enrol", response={200: CourseDetailOut, **WRITE_ERRORS}, summary="Enrol in a course")
def enrol(request: HttpRequest, slug: str = _slug()) -> dict[str, Any]:
    """Enrol the caller in the published version (or keep her enrolment in any version of it, unchanged).
    Refused with 409 when the course asks for prerequisites she has not completed."""
    user = caller(request)
    course = selectors.access_course_to_enrol(user, slug)
    with refusals():
        enrolment = services.enrolment_create(actor=user, course=course)
    return _course_detail(user, enrolment.course, enrolment)


# ------------------------------------------------------------------------------------------ my learning

@router.get("/me/enrolments", response={200: EnrolmentPage, **ERRORS}, tags=["me"], summary="My enrolments")
def my_enrolments(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Her courses, newest enrolment first, with modules finished (activities done and quiz passed)."""
    rows = selectors.learner_enrolments(caller(request))
    page = paginate_list(rows, params)
    page["items"] = [{
        "course": row.slug, "title": row.title, "version": row.enrolment.course.version,
        "enrolled_at": row.enrolment.enrolled_at, "last_seen_at": row.enrolment.last_seen_at,
        "completed_at": row.enrolment.completed_at, "completed": row.completed,
        "modules_finished": row.modules_passed, "modules_total": row.modules_total, "next_url": row.next_url,
    } for row in page["items"]]
    return page


@router.post("/activities/{id}/done", response={200: ProgressOut, **WRITE_ERRORS}, summary="Mark an activity done")
def activity_done(request: HttpRequest, id: int = _id("Activity id.")) -> dict[str, Any]:
    """Marks the activity done for her (once done, it stays done). She must be enrolled, and the module open."""
    user = caller(request)
    activity = selectors.access_activity(user, id)
    with refusals():
        progress = services.activity_progress_record(actor=user, activity=activity, done=True)
    course = activity.module.course
    states = selectors.course_module_states(course, selectors.enrolment_in(user, course))
    state = next(s for s in states if s.module.pk == activity.module_id)
    return {"activity": activity.pk, "done": progress.done_at is not None,
            "watched_percent": progress.watched_percent, "module": _module_progress(state)}


# ------------------------------------------------------------------------------------------------ quizzes

def _quiz(user: User, quiz: Quiz) -> dict[str, Any]:
    course = quiz.module.course
    enrolment = selectors.enrolment_in(user, course)
    state = selectors.quiz_state(enrolment, quiz)
    return {"id": quiz.pk, "module": quiz.module_id, "course": course.slug, "pass_percent": quiz.pass_percent,
            "questions_per_attempt": quiz.questions_per_attempt, "max_attempts": quiz.max_attempts,
            "retake_wait_minutes": quiz.retake_wait_minutes, "time_limit_minutes": quiz.time_limit_minutes,
            "attempts_used": state.attempts_used, "attempts_left": state.attempts_left,
            "best_score": state.best_score, "passed": state.passed, "unlocked": state.unlocked,
            "can_start": state.can_start, "open_attempt": state.open_attempt.pk if state.open_attempt else None,
            "blocked": {"code": state.blocked_code, "reason": state.blocked_reason}
            if state.blocked_code and not state.open_attempt else None}


@router.get("/quizzes/{id}", response={200: QuizOut, **ERRORS_404}, summary="A quiz and where she stands")
def get_quiz(request: HttpRequest, id: int = _id("Quiz id.")) -> dict[str, Any]:
    user = caller(request)
    return _quiz(user, selectors.access_quiz(user, id))


@router.post("/quizzes/{id}/attempts", response={200: AttemptOut, **WRITE_ERRORS}, summary="Start a quiz attempt")
def start_attempt(request: HttpRequest, id: int = _id("Quiz id.")) -> dict[str, Any]:
    """Her open attempt of the quiz, or a new one drawn on the server (questions and the order of their choices).
    Refused with 409 and the reason (not enrolled, module locked, no attempts left, wait before a retake)."""
    user = caller(request)
    quiz = selectors.access_quiz(user, id)
    with refusals():
        attempt = services.quiz_attempt_start(actor=user, quiz=quiz)
    return _attempt(selectors.access_attempt(user, attempt.pk))


@router.get("/attempts/{id}", response={200: AttemptOut, **ERRORS_404}, summary="One of her attempts")
def get_attempt(request: HttpRequest, id: int = _id("Attempt id.")) -> dict[str, Any]:
    """Open: its questions. Submitted: the result, each answer with whether it was right (another person's
    attempt is 404)."""
    return _attempt(selectors.access_attempt(caller(request), id))


@router.post("/attempts/{id}/submit", response={200: AttemptOut, **WRITE_ERRORS}, summary="Submit her answers")
def submit_attempt(request: HttpRequest, payload: SubmitIn, id: int = _id("Attempt id.")) -> dict[str, Any]:
    """Scores the answers on the server, as the quiz page and the offline sync do. A second submission, answers
    after the time limit (409), answers to questions not shown or choices of another question (400) are refused
    and nothing is stored."""
    user = caller(request)
    attempt = selectors.access_attempt(user, id, to="submit")
    with refusals():
        services.quiz_attempt_submit(actor=user, attempt=attempt, answers=payload.answers)
    return _attempt(selectors.access_attempt(user, id))
