"""The authoring pages: course authors and national admins write courses in the site; national admins
review and publish. Thin: parse, call a service in courses.authoring, redirect (POST-redirect-GET).
Everyone else gets 404, as if the pages did not exist."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shikhon.core.bangla import format_number
from shikhon.core.forms import add_service_errors
from shikhon.courses import authoring, selectors
from shikhon.courses.forms_author import (
    ActivityForm,
    CourseForm,
    FileForm,
    ModuleForm,
    QuestionForm,
    QuizSettingsForm,
    ReturnForm,
)
from shikhon.courses.models import Activity, Course, Question, Quiz
from shikhon.courses.permissions import can_author, can_review
from shikhon.people.models import User

PAGE_SIZE = 25
T = TypeVar("T")


def _author(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_author(user):
        raise Http404
    return user


class _NotDraft(Exception):
    """The version being changed is no longer a draft (an authoring service refused with PermissionDenied,
    or the view saw it first). `_authoring` answers it: back to the course with a sentence."""

    def __init__(self, course: Course) -> None:
        super().__init__(course.pk)
        self.course = course


def _authoring(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The one answer to an edit of a version that is no longer a draft: say so and go back to the course.
    (Pages of courses she may not author are 404 before this: `_author`, `selectors.access_*_for_authoring`.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _NotDraft as refused:
            messages.error(request, _("Only a draft can be changed. Make a new version of the course first."))
            return redirect("author:course", pk=refused.course.pk)

    return wrapper


@contextmanager
def _changing(course: Course) -> Iterator[None]:
    """Around an authoring service: its PermissionDenied (the version is not a draft) becomes `_NotDraft`."""
    try:
        yield
    except PermissionDenied as exc:
        raise _NotDraft(course) from exc


def _ensure_draft(course: Course) -> None:
    if course.status != Course.Status.DRAFT:
        raise _NotDraft(course)


def _save(request: HttpRequest, course: Course, form: forms.Form, call: Callable[[], T], done: str) -> T | None:
    """Run one authoring service for a submitted form: its result (with `done` told to the author), or None
    when the form or the service found bad input (now shown on the form). A version that is no longer a
    draft raises `_NotDraft`, answered by `_authoring`."""
    _ensure_draft(course)
    if not form.is_valid():
        return None
    try:
        with _changing(course):
            result = call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, done)
    return result


def _video_status_template() -> Any:
    try:
        return get_template("media/video_status.html")
    except TemplateDoesNotExist:
        return None


def _preview_url(activity: Activity) -> str:
    """The learning page of the activity, when the learning pages are mounted."""
    try:
        return reverse("courses:activity", kwargs={"pk": activity.pk})
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------- lists


@_authoring
def course_list(request: HttpRequest) -> HttpResponse:
    """Every course family, shown by its newest version, with the version now published."""
    user = _author(request)
    page = Paginator(selectors.course_families_for_author(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/author/course_list.html",
                  {"page": page, "is_reviewer": can_review(user)})


@_authoring
def review_queue(request: HttpRequest) -> HttpResponse:
    user = _author(request)
    if not can_review(user):
        raise Http404
    page = Paginator(selectors.courses_in_review(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/author/review_queue.html", {"page": page})


# ---------------------------------------------------------------- courses


@_authoring
def course_new(request: HttpRequest) -> HttpResponse:
    user = _author(request)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = authoring.course_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The course was created as a draft. Now add its modules."))
            return redirect("author:course", pk=course.pk)
    return render(request, "courses/author/course_new.html", {"form": form})


def _course_page(request: HttpRequest, course: Course, *, form: CourseForm | None = None,
                 module_form: ModuleForm | None = None, return_form: ReturnForm | None = None) -> HttpResponse:
    user = _author(request)
    editable = course.status == Course.Status.DRAFT
    if editable and form is None:
        form = CourseForm(initial=CourseForm.initial_for(course), course=course)
    modules = selectors.modules_for_authoring(course)
    context = {
        "course": course,
        "editable": editable,
        "form": form,
        "module_form": module_form or ModuleForm(prefix="module"),
        "return_form": return_form or ReturnForm(),
        "modules": modules,
        "prerequisites": course.prerequisites.all(),
        "versions": authoring.family_versions(course=course),
        "missing": authoring.course_missing_parts(course=course) if editable else [],
        "is_reviewer": can_review(user),
    }
    return render(request, "courses/author/course_edit.html", context)


@_authoring
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = selectors.access_course_for_authoring(user, pk)
    if request.method == "POST":
        form = CourseForm(request.POST, course=course)
        saved = _save(request, course, form, lambda: authoring.course_update(
            actor=user, course=course, **form.cleaned_data), _("The course details were saved."))
        if saved is not None:
            return redirect("author:course", pk=course.pk)
        course.refresh_from_db()
        return _course_page(request, course, form=form)
    return _course_page(request, course)


@_authoring
@require_POST
def module_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = selectors.access_course_for_authoring(user, pk)
    form = ModuleForm(request.POST, prefix="module")
    module = _save(request, course, form, lambda: authoring.module_create(
        actor=user, course=course, **form.cleaned_data), _("The module was added. Now add its activities."))
    if module is not None:
        return redirect("author:module", pk=module.pk)
    return _course_page(request, course, module_form=form)


@_authoring
@require_POST
def course_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = selectors.access_course_for_authoring(user, pk)
    try:
        with _changing(course):
            authoring.course_submit(actor=user, course=course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The course was sent for review. The reviewers have been told."))
    return redirect("author:course", pk=course.pk)


@_authoring
@require_POST
def course_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = selectors.access_course_for_authoring(user, pk)
    if not can_review(user):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            authoring.course_return(actor=user, course=course, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The course was returned to its author with your comments."))
            return redirect("author:course", pk=course.pk)
    return _course_page(request, course, return_form=form)


@_authoring
@require_POST
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = selectors.access_course_for_authoring(user, pk)
    if not can_review(user):
        raise PermissionDenied
    try:
        authoring.course_publish(actor=user, course=course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The course is published. Teachers can enrol now."))
    return redirect("author:course", pk=course.pk)


@_authoring
@require_POST
def course_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = selectors.access_course_for_authoring(user, pk)
    draft = authoring.course_new_version(actor=user, course=course)
    if draft.pk != course.pk:
        messages.success(request, _("This is the new draft version %(version)s. Teachers keep studying the "
                                    "version they enrolled in.") % {"version": format_number(draft.version)})
    return redirect("author:course", pk=draft.pk)


# ---------------------------------------------------------------- modules


@_authoring
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    module = selectors.access_module_for_authoring(user, pk)
    course = module.course
    form = ModuleForm(request.POST or None, initial={"title": module.title, "summary": module.summary})
    if request.method == "POST":
        saved = _save(request, course, form, lambda: authoring.module_update(
            actor=user, module=module, **form.cleaned_data), _("The module was saved."))
        if saved is not None:
            return redirect("author:module", pk=module.pk)
        module.refresh_from_db(fields=["title", "summary"])
    quiz = selectors.quiz_with_question_count(module)
    return render(request, "courses/author/module_edit.html", {
        "module": module, "course": course, "form": form, "editable": course.status == Course.Status.DRAFT,
        "activities": module.activities.order_by("position", "pk").select_related("video"), "quiz": quiz,
    })


@_authoring
@require_POST
def module_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    module = selectors.access_module_for_authoring(user, pk)
    try:
        with _changing(module.course):
            authoring.module_move(actor=user, module=module, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("author:course", pk=module.course_id)


@_authoring
@require_POST
def module_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    module = selectors.access_module_for_authoring(user, pk)
    with _changing(module.course):
        authoring.module_delete(actor=user, module=module)
    messages.success(request, _("The module was deleted."))
    return redirect("author:course", pk=module.course_id)


# ---------------------------------------------------------------- activities


@_authoring
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    module = selectors.access_module_for_authoring(user, pk)
    _ensure_draft(module.course)
    form = ActivityForm(request.POST or None, initial={"duration_minutes": 20})
    if request.method == "POST":
        activity = _save(request, module.course, form, lambda: authoring.activity_create(
            actor=user, module=module, **form.cleaned_data), _("The activity was added. You can upload its video now."))
        if activity is not None:
            return redirect("author:activity", pk=activity.pk)
    return render(request, "courses/author/activity_new.html",
                  {"form": form, "module": module, "course": module.course})


def _video_form(data: Any = None, files: Any = None) -> FileForm:
    # One page shows the three file forms: each gets its own ids (two `id_file` would be invalid HTML).
    return FileForm(data, files, auto_id="id_video_%s", label=_("Video file"), accept="video/*",
                    help_text=_("MP4 or another common video file. It is made smaller for 2G after upload."))


def _captions_form(data: Any = None, files: Any = None) -> FileForm:
    return FileForm(data, files, auto_id="id_captions_%s", label=_("Captions file (WebVTT)"),
                    accept=".vtt,text/vtt")


def _sheet_form(data: Any = None, files: Any = None) -> FileForm:
    return FileForm(data, files, auto_id="id_sheet_%s", label=_("Printable sheet"),
                    accept="application/pdf,image/png,image/jpeg",
                    help_text=_("PDF, PNG or JPEG, at most 10 MB."))


def _activity_page(request: HttpRequest, activity: Activity, **forms: Any) -> HttpResponse:
    course = activity.module.course
    fields = {name: getattr(activity, name) for name in authoring.ACTIVITY_FIELDS}
    context = {
        "activity": activity, "module": activity.module, "course": course,
        "editable": course.status == Course.Status.DRAFT,
        "form": forms.get("form") or ActivityForm(initial=fields),
        "video_form": forms.get("video_form") or _video_form(),
        "captions_form": forms.get("captions_form") or _captions_form(),
        "sheet_form": forms.get("sheet_form") or _sheet_form(),
        "video": activity.video,
        "preview_url": _preview_url(activity),
        "video_status_template": _video_status_template() if activity.video_id else None,
    }
    return render(request, "courses/author/activity_edit.html", context)


@_authoring
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    activity = selectors.access_activity_for_authoring(user, pk)
    if request.method == "POST":
        form = ActivityForm(request.POST)
        saved = _save(request, activity.module.course, form, lambda: authoring.activity_update(
            actor=user, activity=activity, **form.cleaned_data), _("The activity was saved."))
        if saved is not None:
            return redirect("author:activity", pk=activity.pk)
        activity.refresh_from_db()
        return _activity_page(request, activity, form=form)
    return _activity_page(request, activity)


def _upload(request: HttpRequest, pk: int, *, form_name: str, make_form: Any, call: Any,
            done: str) -> HttpResponse:
    user = _author(request)
    activity = selectors.access_activity_for_authoring(user, pk)
    form = make_form(request.POST, request.FILES)
    saved = _save(request, activity.module.course, form, lambda: call(
        actor=user, activity=activity, file=form.cleaned_data["file"]), done)
    if saved is not None:
        return redirect("author:activity", pk=activity.pk)
    activity.refresh_from_db()
    return _activity_page(request, activity, **{form_name: form})


@_authoring
@require_POST
def activity_video(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload(request, pk, form_name="video_form", make_form=_video_form, call=authoring.activity_video_upload,
                   done=_("The video was uploaded. It is being prepared for phones; this can take a few minutes."))


@_authoring
@require_POST
def activity_captions(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload(request, pk, form_name="captions_form", make_form=_captions_form,
                   call=authoring.activity_captions_upload, done=_("The captions were saved."))


@_authoring
@require_POST
def activity_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("action") == "remove":
        user = _author(request)
        activity = selectors.access_activity_for_authoring(user, pk)
        with _changing(activity.module.course):
            authoring.activity_sheet_set(actor=user, activity=activity, file=None)
        messages.success(request, _("The sheet was removed from this activity."))
        return redirect("author:activity", pk=activity.pk)
    return _upload(request, pk, form_name="sheet_form", make_form=_sheet_form, call=authoring.activity_sheet_set,
                   done=_("The printable sheet was saved."))


@_authoring
@require_POST
def activity_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    activity = selectors.access_activity_for_authoring(user, pk)
    try:
        with _changing(activity.module.course):
            authoring.activity_move(actor=user, activity=activity, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("author:module", pk=activity.module_id)


@_authoring
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    activity = selectors.access_activity_for_authoring(user, pk)
    with _changing(activity.module.course):
        authoring.activity_delete(actor=user, activity=activity)
    messages.success(request, _("The activity was deleted."))
    return redirect("author:module", pk=activity.module_id)


# ---------------------------------------------------------------- quizzes and questions


@_authoring
def quiz_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A module's quiz: its settings and its questions. The quiz is made when first saved."""
    user = _author(request)
    module = selectors.access_module_for_authoring(user, pk)
    course = module.course
    quiz = selectors.quiz_of_module(module)
    current = quiz or Quiz(module=module)
    form = QuizSettingsForm(request.POST or None, initial={
        "pass_percent": current.pass_percent, "questions_per_attempt": current.questions_per_attempt,
        "max_attempts": current.max_attempts, "retake_wait_minutes": current.retake_wait_minutes,
        "time_limit_minutes": current.time_limit_minutes})
    if request.method == "POST":
        saved = _save(request, course, form, lambda: authoring.quiz_settings_update(
            actor=user, module=module, **form.cleaned_data), _("The quiz settings were saved."))
        if saved is not None:
            return redirect("author:quiz", pk=module.pk)
    questions = (quiz.questions.order_by("position", "pk").prefetch_related("choices") if quiz else [])
    return render(request, "courses/author/quiz_edit.html", {
        "module": module, "course": course, "quiz": quiz, "form": form, "questions": questions,
        "editable": course.status == Course.Status.DRAFT,
    })


def _question_args(form: QuestionForm) -> dict[str, Any]:
    data = form.cleaned_data
    image = data.get("image")
    return {"kind": data["kind"], "text": data["text"], "choices": data["choices"],
            "numeric_answer": data.get("numeric_answer"), "numeric_tolerance": data.get("numeric_tolerance"),
            "feedback": data.get("feedback", ""), "image": image or None}


@_authoring
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    module = selectors.access_module_for_authoring(user, pk)
    course = module.course
    _ensure_draft(course)
    form = QuestionForm(request.POST or None, request.FILES or None, initial={"kind": Question.Kind.SINGLE})
    if request.method == "POST":
        saved = _save(request, course, form, lambda: authoring.question_create(
            actor=user, module=module, **_question_args(form)), _("The question was added."))
        if saved is not None:
            if request.POST.get("then") == "another":
                return redirect("author:question_new", pk=module.pk)
            return redirect("author:quiz", pk=module.pk)
    return render(request, "courses/author/question_form.html",
                  {"form": form, "module": module, "course": course, "question": None})


@_authoring
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    question = selectors.access_question_for_authoring(user, pk)
    module = question.quiz.module
    course = module.course
    if request.method == "POST":
        form = QuestionForm(request.POST, request.FILES)
        saved = _save(request, course, form, lambda: authoring.question_update(
            actor=user, question=question, image_clear=form.cleaned_data.get("image") is False,
            **_question_args(form)), _("The question was saved."))
        if saved is not None:
            return redirect("author:quiz", pk=module.pk)
        question.refresh_from_db()
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question))
    return render(request, "courses/author/question_form.html",
                  {"form": form, "module": module, "course": course, "question": question,
                   "editable": course.status == Course.Status.DRAFT})


@_authoring
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    question = selectors.access_question_for_authoring(user, pk)
    module = question.quiz.module
    with _changing(module.course):
        authoring.question_delete(actor=user, question=question)
    messages.success(request, _("The question was deleted."))
    return redirect("author:quiz", pk=module.pk)
