"""A teacher's side of courses: the catalogue, a course, its modules and activities, printable activity
sheets and their short codes, quizzes and attempts. Thin: parse, call a selector or service, render."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from shikhon.core.serving import stored_file_response
from shikhon.courses import outline, selectors, services
from shikhon.courses.codes import normalize_short_code
from shikhon.courses.forms import CatalogueForm, ProgressForm, ShortCodeForm
from shikhon.courses.models import Activity, Course, Question, QuizAttempt
from shikhon.media.selectors import access_video
from shikhon.people.requests import signed_in_user
from shikhon.people.scope import user_scope

PER_PAGE = 20
# Words in an activity's materials that mean a screen in class; an activity whose list names none of them is said
# to need no computer or projector (the course's activities are written for a classroom with chalk and board).
_SCREEN_WORDS = re.compile(r"computer|laptop|projector|tablet|television|\btv\b|screen|কম্পিউটার|ল্যাপটপ|প্রজেক্টর|"
                           r"প্রজেক্টার|ট্যাবলেট|টেলিভিশন|টিভি|পর্দা|স্ক্রিন", re.IGNORECASE)


def needs_screen(materials: str) -> bool:
    """Whether an activity's materials name a computer, projector or other screen."""
    return bool(_SCREEN_WORDS.search(materials or ""))


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _state_of(states: list[selectors.ModuleState], module_id: int) -> selectors.ModuleState:
    return next(s for s in states if s.module.pk == module_id)


# ------------------------------------------------------------------------------------------- catalogue

@login_not_required  # open to visitors: no session is read for one who has no cookie
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    courses = selectors.published_catalogue(query=filters.get("q") or "", subject=filters.get("subject") or "",
                                            grade=filters.get("grade"))
    page = Paginator(courses, PER_PAGE).get_page(request.GET.get("page"))
    signed_in = request.user.is_authenticated
    enrolled = selectors.enrolled_families(signed_in_user(request), [c.family for c in page]) if signed_in else set()
    query_string = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    return render(request, "courses/catalogue.html", {
        "form": form, "page": page, "enrolled": enrolled, "query_string": query_string, "signed_in": signed_in,
    })


# ---------------------------------------------------------------------------------------------- course

def _sample_video(request: HttpRequest, public: outline.PublicOutline) -> Any:
    """The course's sample (its first activity's video) when she may watch it: a visitor may (media's public
    videos); None when it is missing or not ready."""
    if public.sample_video is None:
        return None
    try:
        return access_video(request.user, public.sample_video)
    except Http404:
        return None


@login_not_required  # the public course page; studying it (modules, activities, quizzes) needs signing in
@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if request.user.is_authenticated:
        user = signed_in_user(request)
        course, enrolment = selectors.access_course(user, slug)
        states: list[selectors.ModuleState] | None = selectors.course_module_states(course, enrolment)
        prerequisites = list(course.prerequisites.all())
        missing = selectors.missing_prerequisites(user, course) if enrolment is None and prerequisites else []
    else:
        course, enrolment, states = selectors.access_public_course(slug), None, None
        prerequisites, missing = list(course.prerequisites.all()), []
    public = selectors.public_outline(course)
    modules = [(number, module, states[number - 1] if states else None)
               for number, module in enumerate(public.modules, start=1)]
    here = request.get_full_path()
    return render(request, "courses/detail.html", {
        "course": course, "enrolment": enrolment, "modules": modules, "public": public,
        "prerequisites": prerequisites, "missing": missing, "video": _sample_video(request, public),
        "may_enrol": enrolment is None and course.status == Course.Status.PUBLISHED,
        "signed_in": request.user.is_authenticated,
        "sign_in_url": f"{reverse('people:sign_in')}?{urlencode({'next': here})}",
        "register_url": f"{reverse('people:register')}?{urlencode({'next': here})}",
        "next_url": selectors.next_step_url(states, enrolment, course) if enrolment and states else "",
        # Head teachers get the page on supporting this course in their school (practice:support).
        "is_head_teacher": bool(request.user.is_authenticated
                                and user_scope(signed_in_user(request)).head_school_ids),
    })


@require_POST
def course_enrol(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.access_course_to_enrol(signed_in_user(request), slug)
    try:
        enrolment = services.enrolment_create(actor=signed_in_user(request), course=course)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("courses:detail", slug=slug)
    messages.success(request, _("You are enrolled. Start with the first activity."))
    return redirect(selectors.continue_url(enrolment))


@require_GET
def course_continue(request: HttpRequest, slug: str) -> HttpResponse:
    _course, enrolment = selectors.access_course(signed_in_user(request), slug)
    if enrolment is None:
        return redirect("courses:detail", slug=slug)
    return redirect(selectors.continue_url(enrolment))


# ---------------------------------------------------------------------------------------------- module

@require_GET
def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.access_module(signed_in_user(request), pk)
    course = module.course
    enrolment = selectors.enrolment_in(signed_in_user(request), course)
    states = selectors.course_module_states(course, enrolment)
    state = _state_of(states, module.pk)
    activities = list(module.activities.only("pk", "title", "duration_minutes", "position", "module_id"))
    return render(request, "courses/module.html", {
        "course": course, "module": state.module, "state": state, "enrolment": enrolment,
        "activities": activities, "quiz": getattr(state.module, "quiz", None),
        "module_count": len(states),
    })


# -------------------------------------------------------------------------------------------- activity

def _activity_neighbours(states: list[selectors.ModuleState], activity: Activity) -> tuple[str, str]:
    """Links to the previous and next step: activities in course order, then the module's quiz."""
    steps: list[tuple[str, int]] = []
    for state in states:
        steps += [("courses:activity", pk) for pk in state.activity_ids]
        if state.quiz_id is not None:
            steps.append(("courses:quiz", state.quiz_id))
    here = steps.index(("courses:activity", activity.pk))

    def url(index: int) -> str:
        if not 0 <= index < len(steps):
            return ""
        name, pk = steps[index]
        return reverse(name, kwargs={"pk": pk})

    return url(here - 1), url(here + 1)


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A published course's activity from the cache; her enrolment read once for both the check and the page.
    activity, enrolment = selectors.access_activity_to_study(signed_in_user(request), pk)
    module = activity.module
    course = module.course
    states = selectors.course_module_states(course, enrolment)
    state = _state_of(states, module.pk)
    if enrolment is not None and state.unlocked:
        # She opened it: this is where "continue" brings her back.
        services.enrolment_mark_opened(actor=signed_in_user(request), enrolment=enrolment, activity=activity)
    previous_url, next_url = _activity_neighbours(states, activity)
    return render(request, "courses/activity.html", {
        "activity": activity, "module": module, "course": course, "enrolment": enrolment, "state": state,
        "done": activity.pk in state.done_ids, "previous_url": previous_url, "next_url": next_url,
        "video": activity.video, "may_enrol": enrolment is None and course.status == Course.Status.PUBLISHED,
        "needs_screen": needs_screen(activity.materials),
    })


def _wants_json(request: HttpRequest) -> bool:
    return (request.content_type == "application/json"
            or "application/json" in request.headers.get("Accept", ""))


@require_POST
def activity_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks an activity done (the button) or records the share of its video watched (progress.js)."""
    activity = selectors.access_activity(signed_in_user(request), pk)
    wants_json = _wants_json(request)
    data: dict[str, str] = {}
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested deeper than Python's stack
            body = None
        if not isinstance(body, dict):
            return JsonResponse({"error": _("The request could not be read.")}, status=400)
        watched = body.get("watched_percent")
        data = {"done": "on" if body.get("done") else "", "watched_percent": "" if watched is None else str(watched)}
    else:
        data = request.POST.dict()
    form = ProgressForm(data)
    error = ""
    progress = None
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    elif not form.cleaned_data["done"] and form.cleaned_data["watched_percent"] is None:
        error = _("Nothing to record.")
    else:
        try:
            progress = services.activity_progress_record(
                actor=signed_in_user(request), activity=activity, watched_percent=form.cleaned_data["watched_percent"],
                done=form.cleaned_data["done"])
        except ValidationError as exc:
            error = _error_text(exc)
    if wants_json:
        if progress is None:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse({"watched_percent": progress.watched_percent, "done": progress.done_at is not None})
    if progress is None:
        messages.error(request, error)
    elif form.cleaned_data["done"]:
        messages.success(request, _("Marked as done. Well done!"))
    return redirect(activity.get_absolute_url())


@require_GET
def activity_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable A4 sheet: steps for the classroom, a QR code and the short code to type."""
    from shikhon.core.pdf import qr_svg, render_pdf

    activity = selectors.access_activity(signed_in_user(request), pk)
    code_url = request.build_absolute_uri(reverse("courses:short_code", kwargs={"code": activity.short_code}))
    pdf = render_pdf("courses/activity_sheet_pdf.html", {
        "activity": activity, "module": activity.module, "course": activity.module.course,
        "qr": qr_svg(code_url), "code_url": code_url,
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="shikhon-{activity.short_code}.pdf"'
    return response


@require_safe
def activity_sheet_file(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The sheet the author uploaded, as a download, for those who may open the activity (else 404)."""
    activity = selectors.access_activity(signed_in_user(request), pk)
    return stored_file_response(activity.sheet.name or "", download_name=f"shikhon-sheet-{activity.short_code}",
                                attachment=True)


@require_safe
def question_picture(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """A question's picture, for those who may open its quiz (else 404)."""
    question = selectors.access_question(signed_in_user(request), pk)
    return stored_file_response(question.image.name or "", download_name=f"shikhon-question-{question.pk}",
                                attachment=False)


@require_GET
def short_code(request: HttpRequest, code: str) -> HttpResponse:
    activity = selectors.access_activity_by_code(signed_in_user(request), code)
    return redirect("courses:activity", pk=activity.pk)


@require_GET
def code_lookup(request: HttpRequest) -> HttpResponse:
    form = ShortCodeForm(request.GET)
    if form.is_valid():
        normalized = normalize_short_code(form.cleaned_data["code"])
        activity = selectors.activity_by_code(signed_in_user(request), normalized)
        if activity is not None:
            return redirect("courses:activity", pk=activity.pk)
        messages.error(request, _("No activity has the code %(code)s. Check the letters and try again.")
                       % {"code": normalized or form.cleaned_data["code"]})
    else:
        messages.error(request, _("Type the code printed on the activity sheet."))
    return redirect("courses:catalogue")


# ------------------------------------------------------------------------------------------------ quiz

@require_GET
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.access_quiz(signed_in_user(request), pk)
    course = quiz.module.course
    enrolment = selectors.enrolment_in(signed_in_user(request), course)
    state = selectors.quiz_state(enrolment, quiz)
    return render(request, "courses/quiz.html", {
        "quiz": quiz, "module": quiz.module, "course": course, "enrolment": enrolment, "state": state,
        "question_count": _questions_shown(quiz.questions.count(), quiz.questions_per_attempt),
        "may_enrol": enrolment is None and course.status == Course.Status.PUBLISHED,
    })


def _questions_shown(pool: int, per_attempt: int | None) -> int:
    return min(pool, per_attempt) if per_attempt else pool


@require_POST
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.access_quiz(signed_in_user(request), pk)
    try:
        attempt = services.quiz_attempt_start(actor=signed_in_user(request), quiz=quiz)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(quiz.get_absolute_url())
    return redirect(attempt.get_absolute_url())


def _render_open_attempt(request: HttpRequest, attempt: QuizAttempt, *, posted: dict[str, list[str]] | None = None,
                         error_question: object = None) -> HttpResponse:
    """The questions of an open attempt; after a refused answer, with what she chose kept and the
    question that needs another look marked."""
    posted = posted or {}
    items = [(question, choices, posted.get(str(question.pk), []), question.pk == error_question)
             for question, choices in selectors.attempt_questions(attempt)]
    return render(request, "courses/attempt.html", {
        "attempt": attempt, "quiz": attempt.quiz, "module": attempt.quiz.module, "course": attempt.quiz.module.course,
        "items": items, "kinds": Question.Kind,
        "expired": attempt.expires_at is not None and attempt.expires_at < timezone.now(),
    })


@require_GET
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.access_attempt(signed_in_user(request), pk)
    quiz = attempt.quiz
    module = quiz.module
    course = module.course
    context: dict[str, object] = {"attempt": attempt, "quiz": quiz, "module": module, "course": course}
    if attempt.submitted_at is None:
        return _render_open_attempt(request, attempt)
    feedback = selectors.attempt_feedback(attempt)
    states = selectors.course_module_states(course, attempt.enrolment)
    here = _state_of(states, module.pk)
    following = [s for s in states if s.number > here.number]
    context.update({
        # The module's first activity: "Try it in your class" after the quiz (practice:plan_new, by name).
        "first_activity_id": here.activity_ids[0] if here.activity_ids else None,
        "module_finished": here.finished,
        "feedback": feedback, "kinds": Question.Kind,
        "next_module": following[0].module if following and following[0].unlocked else None,
        "state": selectors.quiz_state(attempt.enrolment, quiz),
        "completed": attempt.enrolment.completed_at is not None,
    })
    return render(request, "courses/attempt_result.html", context)


@require_POST
def attempt_submit(request: HttpRequest, pk: int) -> HttpResponse:
    # Only whether it is hers (else 404) here: the service reads the whole attempt again under its lock.
    attempt = selectors.access_attempt(signed_in_user(request), pk, to="submit")
    answers = services.answers_from_fields(dict(request.POST.lists()))
    try:
        services.quiz_attempt_submit(actor=signed_in_user(request), attempt=attempt, answers=answers)
    except ValidationError as error:
        code = error.code if hasattr(error, "code") else ""
        if code == "already_submitted":
            messages.info(request, _error_text(error))
            return redirect(attempt.get_absolute_url())
        if code == "invalid_answer":  # e.g. a word typed for a number: keep her answers, show the form again
            messages.error(request, _error_text(error))
            params = error.params or {}
            return _render_open_attempt(request, selectors.access_attempt(signed_in_user(request), pk), posted=answers,
                                        error_question=params.get("question"))
        messages.error(request, _error_text(error))
        if code == "deadline_passed":
            return redirect(reverse("courses:quiz", kwargs={"pk": attempt.quiz_id}))
        return redirect(attempt.get_absolute_url())
    return redirect(attempt.get_absolute_url())

