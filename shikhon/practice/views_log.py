"""Pages of the practice log: plan an activity, a plan, record how it went, a record (photo, acknowledgement,
encouragement), her practice history with what to try next, and the per-course page for head teachers. Thin:
parse, call a selector or service, render. Hidden rows answer 404 (`selectors.access_*`); an action refused on a
row she may see answers 403."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shikhon.core.forms import add_service_errors
from shikhon.core.serving import stored_file_response
from shikhon.courses import selectors as course_selectors
from shikhon.library.selectors.access import access_content
from shikhon.people.requests import signed_in_user
from shikhon.practice import permissions
from shikhon.practice.forms_log import EncourageForm, PhotoForm, PlanForm, RecordForm
from shikhon.practice.models import PracticePlan
from shikhon.practice.selectors import access_plan, access_record
from shikhon.practice.selectors import log as selectors
from shikhon.practice.services import log as services

if TYPE_CHECKING:
    from shikhon.courses.models import Activity
    from shikhon.library.models import Content
    from shikhon.people.models import User

NOT_FOUND_ACTIVITY = "activity_missing"


def _activity(user: User, raw: object) -> Activity | None:
    """The activity she may study (a published course's), or None."""
    try:
        activity, _enrolment = course_selectors.access_activity_to_study(user, raw)
    except Http404:
        return None
    return activity


def _content(user: User, raw: object) -> Content | None:
    """The library content she may see (the service refuses one that is not published, with a sentence), or
    None."""
    if raw in (None, ""):
        return None
    try:
        return access_content(user, raw)
    except Http404:
        return None


def _content_to_use(user: User, raw: object) -> Content:
    """The page's `?content=`: a content she may see, else 404 (like a missing one)."""
    content = _content(user, raw)
    if content is None:
        raise Http404
    return content


def _missing_content() -> str:
    return _("This library content was not found. Open it in the library and tap “Use it in your class”.")


def _missing_activity() -> str:
    return _("This activity was not found. Open the activity in your course and tap “Try it in your class”.")


# ---------------------------------------------------------------- plans


def plan_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    content: Content | None = None
    if request.method == "POST":
        form = PlanForm(request.POST)
        activity = _activity(user, request.POST.get("activity")) if request.POST.get("activity") else None
        content = _content(user, request.POST.get("content"))
        if form.is_valid():
            if form.cleaned_data.get("content") is not None and content is None:
                form.add_error(None, _missing_content())
            elif form.cleaned_data.get("activity") is not None and activity is None:
                form.add_error(None, _missing_activity())
            else:
                data = form.cleaned_data
                try:
                    plan = services.plan_create(actor=user, activity=activity, content=content, grade=data["grade"],
                                                section=data["section"], planned_on=data["planned_on"],
                                                materials=data["materials"], client_id=data["client_id"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                except PermissionDenied:
                    form.add_error(None, _("You can plan only for yourself."))
                else:
                    messages.success(request, _("Your plan is saved. After the lesson, record how it went."))
                    return redirect(plan.get_absolute_url())
    else:
        activity = None
        initial: dict[str, Any] = {}
        if request.GET.get("content"):
            content = _content_to_use(user, request.GET.get("content"))
            initial = {"content": content.pk}
        else:
            activity = _activity(user, request.GET.get("activity"))
            if activity is not None:
                initial = {"activity": activity.pk, "materials": activity.materials.strip()[:1000]}
        form = PlanForm(initial=initial)
    suggestion = selectors.continue_suggestion(user) if activity is None and content is None else None
    return render(request, "practice/log_plan_form.html", {
        "form": form, "activity": activity, "content": content, "suggestion": suggestion,
        "module": activity.module if activity else None, "course": activity.module.course if activity else None,
    })


@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    plan = access_plan(user, pk)
    record = selectors.record_of_plan(plan)
    mine = plan.teacher_id == user.pk
    waiting = plan.state == PracticePlan.State.PLANNED
    return render(request, "practice/log_plan_detail.html", {
        "plan": plan, "activity": plan.activity, "content": plan.content, "record": record, "mine": mine,
        "can_record": mine and waiting and record is None,
        "can_drop": waiting and (mine or plan.created_by_id == user.pk),
        "due": selectors.is_due(plan),
    })


@require_POST
def plan_drop(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    plan = access_plan(user, pk)
    try:
        services.plan_drop(actor=user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan was dropped."))
    return redirect(plan.get_absolute_url())


# ---------------------------------------------------------------- records


def record_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    source = request.POST if request.method == "POST" else request.GET
    plan = selectors.plan_of_teacher(user, source.get("plan")) if source.get("plan") else None
    content: Content | None = None
    if plan is not None:
        activity, content = plan.activity, plan.content
    elif source.get("content"):
        activity = None
        content = (_content(user, source.get("content")) if request.method == "POST"
                   else _content_to_use(user, source.get("content")))
    else:
        activity = _activity(user, source.get("activity"))
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES)
        done = selectors.record_with_client_id(user, request.POST.get("client_id"))
        if done is not None:  # this form was saved already (a second tap): show what was saved
            return redirect(done.get_absolute_url())
        if form.is_valid():
            data = form.cleaned_data
            if data.get("plan") and plan is None:
                form.add_error(None, _("This plan was not found, or it already has a record. Record the lesson "
                                       "from your practice page."))
            elif plan is None and data.get("content") is not None and content is None:
                form.add_error(None, _missing_content())
            elif activity is None and content is None:
                form.add_error(None, _missing_activity())
            else:
                try:
                    record = services.record_create(
                        actor=user, activity=activity, content=content, taught_on=data["taught_on"],
                        outcome=data["outcome"],
                        grade=data["grade"], section=data["section"], learners_present=data["learners_present"],
                        minutes=data["minutes"], rating=data["rating"], what_worked=data["what_worked"],
                        what_to_change=data["what_to_change"], why_not=data["why_not"], plan=plan,
                        shared_with_circle=data["shared_with_circle"], photo=data.get("photo"),
                        client_id=data["client_id"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                except PermissionDenied:
                    form.add_error(None, _("You can record only your own lessons."))
                else:
                    messages.success(request, _("Your practice is recorded. Thank you: this is how teaching "
                                                "changes."))
                    return redirect(record.get_absolute_url())
    else:
        initial: dict[str, Any] = {}
        if plan is not None:
            initial = {"plan": plan.pk, "activity": plan.activity_id, "content": plan.content_id, "grade": plan.grade,
                       "section": plan.section}
        elif content is not None:
            initial = {"content": content.pk}
        elif activity is not None:
            initial = {"activity": activity.pk}
        form = RecordForm(initial=initial)
    return render(request, "practice/log_record_form.html", {"form": form, "activity": activity, "content": content,
                                                             "plan": plan})


@require_safe
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    record = access_record(user, pk)
    mine = record.teacher_id == user.pk
    may_encourage = permissions.can_encourage(user, record)
    mine_encouragement = selectors.encouragement_by(record, user) if may_encourage else None
    return render(request, "practice/log_record_detail.html", {
        "record": record, "activity": record.activity, "content": record.content, "mine": mine,
        "encouragements": selectors.encouragements_of(record),
        "may_acknowledge": record.acknowledged_at is None and permissions.can_acknowledge(user, record),
        "may_encourage": may_encourage,
        "encourage_form": EncourageForm(initial={"comment": mine_encouragement.comment if mine_encouragement else ""}),
        "encouraged": mine_encouragement is not None,
        "photo_form": PhotoForm() if mine else None,
    })


@require_safe
def record_photo(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The record's photo, for those who may open the record (else 404)."""
    record = access_record(signed_in_user(request), pk)
    return stored_file_response(record.photo.name or "", download_name=f"shikhon-practice-{record.pk}",
                                attachment=False)


@require_POST
def record_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    record = access_record(user, pk)
    if record.teacher_id != user.pk:
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.record_photo_add(actor=user, record=record, photo=form.cleaned_data["photo"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The photo was added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(record.get_absolute_url())


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    record = access_record(user, pk)
    services.record_acknowledge(actor=user, record=record)  # PermissionDenied: 403 on a row she may see
    messages.success(request, _("You acknowledged this practice. The teacher is told."))
    return redirect(record.get_absolute_url())


@require_POST
def encourage(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    record = access_record(user, pk)
    form = EncourageForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(record.get_absolute_url())
    try:
        services.encouragement_add(actor=user, record=record, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you for encouraging your colleague."))
    return redirect(record.get_absolute_url())


# ---------------------------------------------------------------- her practice


@require_safe
def history(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    plans = selectors.plans_due(user)
    return render(request, "practice/log_history.html", {
        "history": selectors.history_of(user), "suggestion": selectors.continue_suggestion(user),
        "plans": [(plan, selectors.is_due(plan)) for plan in plans],
        "limit": selectors.HISTORY_LIMIT,
    })


@require_safe
def support(request: HttpRequest, slug: str) -> HttpResponse:
    """How a head teacher supports this course in her school (written for the demo course; true of any)."""
    course, _enrolment = course_selectors.access_course(signed_in_user(request), slug)
    return render(request, "practice/log_support.html", {"course": course})
