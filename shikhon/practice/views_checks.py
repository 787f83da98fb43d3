"""Pages of learner checks: her classes and rounds, the entry form (one fieldset per learner code), a round's
results with the change since the baseline. Thin: parse, call a service or selector, render. Hidden is 404;
researchers have no page here (counts only, elsewhere)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shikhon.core.bangla import to_western_digits
from shikhon.core.forms import add_service_errors
from shikhon.people.requests import signed_in_user
from shikhon.people.scope import user_scope
from shikhon.practice.checks import definition_of
from shikhon.practice.forms_checks import CheckRoundForm, initial_for, learner_count
from shikhon.practice.models import CheckRound
from shikhon.practice.selectors import access_check_round
from shikhon.practice.selectors import checks as selectors
from shikhon.practice.services.checks import check_round_record

PAGE_SIZE = 25


def _grade(raw: object) -> int | None:
    text = to_western_digits(str(raw or "")).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else None


def _section(raw: object) -> str:
    return " ".join(str(raw or "").split())[:20]


def checks(request: HttpRequest) -> HttpResponse:
    """A teacher's classes and rounds; a head teacher's, mentor's or officer's: the rounds they may see."""
    user = signed_in_user(request)
    scope = user_scope(user)
    if not (scope.school_ids or scope.oversees_area):
        raise Http404
    page = Paginator(selectors.rounds_visible(user).select_related("teacher"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    classes = selectors.classes_of(user) if scope.school_ids else []
    return render(request, "practice/check_list.html", {
        "page": page, "classes": classes, "can_record": bool(scope.school_ids),
        "check": selectors.default_check()})


def check_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user_scope(user).school_ids:
        raise Http404
    learner_check = selectors.default_check()
    if learner_check is None:
        raise Http404
    definition = definition_of(learner_check)
    if request.method == "POST":
        count = learner_count(request.POST.get("count"))
        form = CheckRoundForm(request.POST, learner_check=learner_check, definition=definition, count=count)
    else:
        count = learner_count(request.GET.get("count"))
        kind = request.GET.get("kind", CheckRound.Kind.BASELINE)
        form = CheckRoundForm(initial=initial_for(kind=kind, grade=_grade(request.GET.get("grade")),
                                                  section=_section(request.GET.get("section")), count=count),
                              learner_check=learner_check, definition=definition, count=count)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_round = check_round_record(
                actor=user, learner_check=learner_check, kind=data["kind"], grade=data["grade"],
                section=data["section"], held_on=data["held_on"], results=data["results"],
                client_id=data["client_id"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The check was saved."))
            return redirect(check_round.get_absolute_url())
    return render(request, "practice/check_form.html", {
        "form": form, "learner_check": learner_check, "items": definition.items, "count": count,
        "rows": form.rows(), "action": reverse("practice:check_new")})


def check_round(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = access_check_round(user, pk)
    results = selectors.round_results(found)
    comparison = selectors.comparison_for(found)
    follow_up_url = ""
    if found.teacher_id == user.pk:
        follow_up_url = reverse("practice:check_new") + "?" + urlencode(
            {"kind": CheckRound.Kind.FOLLOW_UP, "grade": found.grade, "section": found.section})
    return render(request, "practice/check_round.html", {
        "round": found, "results": results, "comparison": comparison, "follow_up_url": follow_up_url,
        "is_mine": found.teacher_id == user.pk})
