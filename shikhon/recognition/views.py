"""The champions' pages: this week's three and the past ones (public), the published formula (public), a week's
page (public once announced; before that only for those who may confirm, with confirm/announce buttons), and the
review page (confirmers: the latest weeks, compute a finished week). Thin: parse, call, render; hidden is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shikhon.core.bangla import format_date
from shikhon.people.requests import signed_in_user
from shikhon.recognition import selectors, services
from shikhon.recognition.formula import CURRENT
from shikhon.recognition.permissions import can_confirm


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    week = selectors.latest_announced()
    return render(request, "recognition/index.html", {
        "week": week, "champions": selectors.champions_of(week) if week else [],
        "sentence": selectors.week_sentence(week) if week else CURRENT.sentence(),
        "past": selectors.past_champions_page(request.GET.get("page")), "shares": selectors.past_shares(),
        "can_confirm": can_confirm(request.user),
    })


@login_not_required
@require_GET
def formula(request: HttpRequest) -> HttpResponse:
    return render(request, "recognition/formula.html", {"formula": CURRENT, "sentence": CURRENT.sentence()})


@login_not_required
@require_GET
def week(request: HttpRequest, starts_on: str) -> HttpResponse:
    row = selectors.access_week(request.user, starts_on)
    return render(request, "recognition/week.html", {
        "week": row, "champions": selectors.champions_of(row), "sentence": selectors.week_sentence(row),
        "can_confirm": can_confirm(request.user),
    })


def _confirmer(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = signed_in_user(request)
    if not can_confirm(user):
        raise Http404
    return user


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    user = _confirmer(request)
    last = services.last_finished_week()
    if request.method == "POST":
        starts_on = selectors.parse_week(request.POST.get("starts_on"))
        if starts_on is None:
            messages.error(request, _("Choose a week by its Sunday (for example %(date)s).") % {
                "date": format_date(last)})
        else:
            try:
                row = services.week_compute(starts_on=starts_on, actor=user)
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("The champions of the week starting %(date)s are computed.") % {
                    "date": format_date(row.starts_on)})
                return redirect(row.get_absolute_url())
        return redirect("recognition:review")
    return render(request, "recognition/review.html", {"weeks": selectors.weeks_to_review(), "last": last})


@require_POST
def week_confirm(request: HttpRequest, starts_on: str) -> HttpResponse:
    user = _confirmer(request)
    row = selectors.access_week(user, starts_on)
    try:
        services.week_confirm(actor=user, week=row)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Confirmed. The champions will be announced on time, or now if you choose."))
    return redirect(row.get_absolute_url())


@require_POST
def week_announce(request: HttpRequest, starts_on: str) -> HttpResponse:
    user = _confirmer(request)
    row = selectors.access_week(user, starts_on)
    services.week_announce(actor=user, week=row)
    messages.success(request, _("Announced. The champions are told and shown to everyone."))
    return redirect(row.get_absolute_url())
