"""Pages of lesson observations. Thin: parse, call a service or selector, render. What a person may not see or do
answers 404 (the observation through `access_observation`; answering and replying only for the observed teacher,
recording only for the observer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shikhon.core.forms import add_service_errors
from shikhon.people.requests import signed_in_user
from shikhon.practice import permissions
from shikhon.practice.forms_observations import AnswerForm, ProposeForm, ReplyForm, record_form
from shikhon.practice.selectors import access_observation
from shikhon.practice.selectors import observations as selectors
from shikhon.practice.services import observations as services

if TYPE_CHECKING:
    from shikhon.people.models import User
    from shikhon.practice.models import Observation

S = selectors.S


def observations(request: HttpRequest) -> HttpResponse:
    """Her observations as a teacher (and requests waiting for her answer), hers as observer, and her area's for
    a head teacher, mentor or officer."""
    user = signed_in_user(request)
    return render(request, "practice/observation_list.html", {
        "waiting": list(selectors.waiting_for_answer(user)[: selectors.LIST_LIMIT]),
        "mine": list(selectors.observations_of_teacher(user).exclude(status=S.PROPOSED)[: selectors.LIST_LIMIT]),
        "by_me": list(selectors.observations_by(user)[: selectors.LIST_LIMIT]),
        "area": list(selectors.observations_in_area(user)[: selectors.LIST_LIMIT]),
        "sees_area": selectors.sees_area_observations(user),
        "colleagues": selectors.colleagues_to_observe(user),
    })


def observation(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    obs = access_observation(user, pk)
    page = selectors.observation_page(obs)
    is_teacher, is_observer = permissions.is_observed_teacher(user, obs), permissions.is_observer(user, obs)
    return render(request, "practice/observation_detail.html", {
        "obs": obs, "page": page, "is_teacher": is_teacher, "is_observer": is_observer,
        "may_answer": is_teacher and obs.status in (S.PROPOSED, S.OTHER_DATE),
        "may_record": is_observer and obs.status in (S.AGREED, S.RECORDED),
        "may_reply": is_teacher and obs.status == S.RECORDED,
        "answer_form": AnswerForm(), "reply_form": ReplyForm(initial={"client_id": _new_id()}),
    })


def _new_id() -> str:
    import uuid

    return str(uuid.uuid4())


def observation_new(request: HttpRequest) -> HttpResponse:
    """Propose to observe a teacher's lesson (?teacher=<id>); without a teacher, choose one of her colleagues."""
    user = signed_in_user(request)
    raw = request.GET.get("teacher")
    if not raw:
        return render(request, "practice/observation_new.html", {
            "teacher": None, "colleagues": selectors.colleagues_to_observe(user)})
    teacher = selectors.access_teacher_to_observe(user, raw)
    form = ProposeForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = None
        if data.get("activity"):
            activity = services.published_activities(user).filter(pk=int(data["activity"])).first()
        try:
            obs = services.observation_propose(
                actor=user, teacher=teacher, proposed_on=data["proposed_on"], instrument=form.chosen_instrument(),
                activity=activity, message=data.get("message") or "")
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your request was sent. She will agree, decline or ask for another date."))
            return redirect(obs.get_absolute_url())
    return render(request, "practice/observation_new.html", {"teacher": teacher, "form": form})


def _observed_teacher_only(user: User, pk: int) -> Observation:
    obs = access_observation(user, pk)
    if not permissions.is_observed_teacher(user, obs):
        raise Http404
    return obs


@require_POST
def observation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    obs = _observed_teacher_only(user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.observation_answer(actor=user, observation=obs, answer=data["answer"],
                                        note=data.get("note") or "", asked_date=data.get("asked_date"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer was sent to the observer."))
            return redirect(obs.get_absolute_url())
    page = selectors.observation_page(obs)
    return render(request, "practice/observation_detail.html", {
        "obs": obs, "page": page, "is_teacher": True, "is_observer": False, "may_answer": True,
        "answer_form": form, "reply_form": ReplyForm()})


@require_POST
def observation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    obs = _observed_teacher_only(user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.observation_reply(actor=user, observation=obs, text=form.cleaned_data["text"],
                                       client_id=form.cleaned_data.get("client_id"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect(obs.get_absolute_url())
    page = selectors.observation_page(obs)
    return render(request, "practice/observation_detail.html", {
        "obs": obs, "page": page, "is_teacher": True, "is_observer": False,
        "may_reply": obs.status == S.RECORDED, "reply_form": form})


def observation_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The observer records the visit (only after the teacher agreed). Works without JavaScript; offline, the
    outbox keeps it and sends it later (kind practice.observation_entry)."""
    user = signed_in_user(request)
    obs = access_observation(user, pk)
    if not permissions.is_observer(user, obs):
        raise Http404
    form = record_form(user, obs, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_entry_add(actor=user, observation=obs, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The observation was recorded. She will read it and can reply."))
            return redirect(obs.get_absolute_url())
    return render(request, "practice/observation_record.html", {
        "obs": obs, "form": form, "definition": form.definition,
        "consent": obs.status in (S.AGREED, S.RECORDED)})
