"""Pages of face-to-face training. Thin: parse, call a service or selector, render. Hidden is 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shikhon.core.bangla import format_number
from shikhon.core.clock import dhaka_today
from shikhon.core.forms import add_service_errors
from shikhon.people.requests import signed_in_user
from shikhon.people.selectors import grant_places
from shikhon.training import permissions, selectors, services
from shikhon.training.forms import BatchForm, CompleteForm, CourseCostForm, ProgrammeForm, ReasonForm, batch_initial
from shikhon.training.models import Batch
from shikhon.training.money import per_teacher

PAGE_SIZE = 25
MAX_ID_DIGITS = 18


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= MAX_ID_DIGITS]


def home(request: HttpRequest) -> HttpResponse:
    """Officers: the batches of their area; trainers: the batches they train; teachers: invitations."""
    user = signed_in_user(request)
    is_officer = permissions.is_officer(user)
    page = None
    if is_officer:
        page = Paginator(selectors.batches_for_organiser(user), PAGE_SIZE).get_page(request.GET.get("page"))
    programmes = list(selectors.programmes_list()[:50]) if is_officer else []
    trained = list(selectors.batches_trained_by(user)[:20])
    invitations = list(selectors.invitations_of(user)[:20])
    return render(request, "training/home.html", {
        "is_officer": is_officer, "page": page, "programmes": programmes, "trained": trained,
        "invitations": invitations, "can_manage_programmes": permissions.can_manage_programmes(user),
        "can_manage_costs": permissions.can_manage_costs(user), "can_see_costs": permissions.can_see_costs(user),
    })


def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.can_manage_programmes(user):
        raise Http404
    programme = selectors.access_programme(user, pk) if pk is not None else None
    form = ProgrammeForm.for_programme(programme, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.programme_save(actor=user, programme=programme, title=data["title"],
                                    description=data["description"], required_course=data["required_course"],
                                    days=data["days"], is_active=data["is_active"],
                                    hours_per_day=data["hours_per_day"] or 6)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("training:home")
    return render(request, "training/programme_form.html", {"form": form, "programme": programme})


def batch_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.is_officer(user):
        raise Http404
    batch = selectors.access_batch(user, pk, to="organise") if pk is not None else None
    upazilas, _districts, _divisions = grant_places(user)
    programmes = selectors.programmes_for_batch(batch)
    initial = batch_initial(batch) if batch is not None else {"starts_on": dhaka_today()}
    form = BatchForm(request.POST or None, initial=initial, upazilas=upazilas, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.batch_save(
                actor=user, batch=batch, programme=data["programme"], title=data["title"], upazila=data["upazila"],
                venue=data["venue"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                capacity=data["capacity"], trainers=data["trainer_phones"], trainer_names=data["trainer_names"],
                cost_venue=data["cost_venue"], cost_allowances=data["cost_allowances"],
                cost_materials=data["cost_materials"], cost_trainers=data["cost_trainers"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("upazila", _("You can organise training only in your own area. Choose an upazila "
                                        "in your area."))
        else:
            messages.success(request, _("The batch was saved."))
            return redirect(saved.get_absolute_url())
    return render(request, "training/batch_form.html", {"form": form, "batch": batch})


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = selectors.access_batch(user, pk)
    if not permissions.sees_batch_sheet(user, batch):
        own = selectors.invitation_to(user, batch)
        if own is not None:
            return redirect("training:invitation", pk=own.pk)
        raise Http404
    can_organise = permissions.can_organise(user, batch)
    can_attend = can_organise or permissions.is_trainer(user, batch)
    summary = selectors.batch_summary(batch)
    page = Paginator(selectors.batch_invitees(batch), PAGE_SIZE).get_page(request.GET.get("page"))
    today = dhaka_today()
    days = [d for d in selectors.batch_days(batch) if d <= today]
    return render(request, "training/batch.html", {
        "batch": batch, "summary": summary, "page": page, "days": days, "can_organise": can_organise,
        "can_attend": can_attend, "trainers": list(batch.trainers.all()),
        "is_open": batch.status not in services.CLOSED,
        "can_invite": batch.status not in services.CLOSED and batch.ends_on >= today,
        "can_complete": batch.status not in services.CLOSED and batch.ends_on <= today,
        "complete_form": CompleteForm(initial={"min_days": services.default_min_days(batch)}),
        "can_withdraw": can_organise and batch.status not in services.CLOSED,
        "all_days": len(selectors.batch_days(batch)),
    })


def invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = selectors.access_batch(user, pk, to="organise")
    error = ""
    if request.method == "POST":
        try:
            sent = services.invitations_send(actor=user, batch=batch,
                                             teacher_ids=_ids(request.POST.getlist("teacher")))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, ngettext("%(count)s teacher was invited and gets an SMS.",
                                               "%(count)s teachers were invited. They get an SMS.", len(sent))
                             % {"count": format_number(len(sent))})
            return redirect("training:invite", pk=batch.pk)
    search = (request.GET.get("q") or "")[:60]
    summary = selectors.batch_summary(batch)
    page = Paginator(selectors.eligible_teachers(user, batch, search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/invite.html", {
        "batch": batch, "page": page, "search": search, "error": error, "summary": summary,
        "free": max(batch.capacity - summary.holding, 0),
        "query_string": urlencode({"q": search}) if search else "",
    })


def _day_or_404(text: str) -> dt.date:
    if len(text) != 10:
        raise Http404
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


def attendance_today(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.access_batch(signed_in_user(request), pk, to="attend")
    today = dhaka_today()
    day = min(max(today, batch.starts_on), batch.ends_on)
    return redirect("training:attendance", pk=batch.pk, day=day.isoformat())


def attendance(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    user = signed_in_user(request)
    batch = selectors.access_batch(user, pk, to="attend")
    the_day = _day_or_404(day)
    if not batch.starts_on <= the_day <= batch.ends_on:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            n = services.attendance_take(actor=user, batch=batch, day=the_day,
                                         present_ids=_ids(request.POST.getlist("present")))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Attendance was saved: %(count)s present.") % {"count": format_number(n)})
            return redirect("training:attendance", pk=batch.pk, day=the_day.isoformat())
    sheet = list(selectors.attendance_sheet(batch, the_day)[:selectors.MAX_CAPACITY_SHEET])
    today = dhaka_today()
    return render(request, "training/attendance.html", {
        "batch": batch, "day": the_day, "sheet": sheet, "error": error, "days": selectors.batch_days(batch),
        "is_future": the_day > today, "is_open": batch.status not in services.CLOSED, "today": today,
        "marked": any(getattr(row, "present", None) is not None for row in sheet),
    })


@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = selectors.access_batch(user, pk, to="organise")
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the number of days present needed, for example 5."))
        return redirect(batch.get_absolute_url())
    try:
        n = services.batch_complete(actor=user, batch=batch, min_days=form.cleaned_data["min_days"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, ngettext("The batch is completed: %(count)s teacher completed the training.",
                                          "The batch is completed: %(count)s teachers completed the training.", n)
                         % {"count": format_number(n)})
    return redirect(batch.get_absolute_url())


def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    inv = selectors.access_invitation(user, pk)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            messages.error(request, _("Choose Accept or Decline."))
        else:
            try:
                services.invitation_respond(actor=user, invitation=inv, accept=answer == "accept")
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("Thank you. You accepted the invitation.") if answer == "accept"
                                 else _("You declined the invitation."))
        return redirect("training:invitation", pk=inv.pk)
    batch = inv.batch
    return render(request, "training/invitation.html", {
        "inv": inv, "batch": batch, "trainers": list(batch.trainers.all()),
        "may_answer": selectors.invitation_may_answer(inv),
    })


def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a batch with a reason (GET: the form; POST: cancel). Officers over its venue; others 404."""
    user = signed_in_user(request)
    batch = selectors.access_batch(user, pk, to="organise")
    if batch.status in services.CLOSED:
        messages.info(request, _("This batch is already closed."))
        return redirect(batch.get_absolute_url())
    return _with_reason(
        request, batch,
        missing=_("Write why the batch is cancelled; the invited teachers will read it."),
        act=lambda reason: services.batch_cancel(actor=user, batch=batch, reason=reason),
        done=_("The batch was cancelled. The invited teachers have been told why."),
        page={"title": _("Cancel the batch"), "button": _("Cancel the batch"),
              "lead": _("Every teacher invited to this batch is told, in the app and by SMS, with your reason. "
                        "This cannot be undone.")},
    )


def invitation_withdraw(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Withdraw one teacher's invitation with a reason. Officers over the batch's venue; others 404."""
    user = signed_in_user(request)
    batch = selectors.access_batch(user, pk, to="organise")
    invitation = selectors.access_batch_invitation(batch, invitation_pk)
    return _with_reason(
        request, batch,
        missing=_("Write why the invitation is withdrawn; the teacher will read it."),
        act=lambda reason: services.invitation_withdraw(actor=user, invitation=invitation, reason=reason),
        done=_("The invitation was withdrawn. The teacher has been told why."),
        page={"invitation": invitation, "title": _("Withdraw an invitation"), "button": _("Withdraw the invitation"),
              "lead": _("The teacher is told, in the app and by SMS, with your reason, and her place is free again.")},
    )


def _with_reason(request: HttpRequest, batch: Batch, *, missing: str, act: Callable[[str], object], done: str,
                 page: dict[str, Any]) -> HttpResponse:
    """The reason form of cancelling and withdrawing: GET shows it; a valid POST calls `act(reason)` and goes back
    to the batch with `done`; the service's refusal is shown on the form."""
    form = ReasonForm(request.POST or None, missing=missing)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(batch.get_absolute_url())
    return render(request, "training/reason_form.html", {"batch": batch, "form": form, **page})


def costs(request: HttpRequest) -> HttpResponse:
    """Costs of training: every officer sees her area's face-to-face figure and the online courses; national
    administrators also record course costs; researchers read. Anyone else: 404."""
    user = signed_in_user(request)
    if not permissions.can_see_costs(user):
        raise Http404
    can_record = permissions.can_manage_costs(user)
    form = CourseCostForm(request.POST or None, initial={"year": dhaka_today().year}) if can_record else None
    if request.method == "POST" and form is None:
        raise PermissionDenied  # she may read the page, not record costs
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.course_cost_save(actor=user, course=data["course"], year=data["year"],
                                      development=data["development"], hosting=data["hosting"], sms=data["sms"],
                                      other=data["other"], note=data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The course cost was saved."))
            return redirect("training:costs")
    online = selectors.online_costs_by_family()
    online_total = sum((row.total for row in online), start=Decimal(0))
    certified = sum(row.certified for row in online)
    return render(request, "training/costs.html", {
        "form": form, "online": online, "online_total": online_total, "online_certified": certified,
        "online_total_per_teacher": per_teacher(online_total, certified),
        "face_to_face": selectors.face_to_face_costs_for(user),
        "reference_online": selectors.REFERENCE_ONLINE_COST_PER_TEACHER,
        "reference_f2f": selectors.REFERENCE_FACE_TO_FACE_COST_PER_TEACHER,
    })
