"""Pages of the status part: her ongoing-user status (or, with `?teacher=`, a teacher in the reader's scope),
its history, the rule's sentence and her progress towards the certificate of practice, with "check now" buttons
(POST); and the area page: ongoing users per place with the definition beside them, the contrast of schools, and
the cost per ongoing user. Thin: parse, call a selector or service, render. Hidden answers 404."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shikhon.people.requests import signed_in_user
from shikhon.people.scope import user_scope
from shikhon.practice.rules import certificate_rule, ongoing_rule
from shikhon.practice.selectors import status as selectors
from shikhon.practice.services import status as services

AREA_PAGE_SIZE = 50


def _status_url(teacher_id: int, own: bool) -> str:
    from django.urls import reverse

    url = reverse("practice:status")
    return url if own else f"{url}?{urlencode({'teacher': teacher_id})}"


def _family(raw: object, families: list[UUID]) -> UUID | None:
    try:
        family = UUID(str(raw or "").strip()[:40])
    except ValueError:
        return None
    return family if family in families else None


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    raw = request.POST.get("teacher") if request.method == "POST" else request.GET.get("teacher")
    teacher = selectors.access_status_teacher(user, raw)
    own = teacher.pk == user.pk
    families = services.practice_families_of(teacher)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "evaluate":
            row = services.ongoing_evaluate(teacher=teacher)
            messages.success(request, _("Checked now: %(status)s.") % {
                "status": services.status_label(row.is_ongoing)})
        elif action == "certificate":
            family = _family(request.POST.get("family"), families)
            if family is None:
                messages.error(request, _("Choose one of the courses listed below and check again."))
            elif services.practice_certificate_check(teacher=teacher, family=family) is not None:
                messages.success(request, _("The certificate of practice is issued. It is in the certificates."))
            else:
                messages.info(request, _("Not yet: the conditions not met are marked below."))
        else:
            messages.error(request, _("Choose one of the buttons on the page."))
        return redirect(_status_url(teacher.pk, own))
    latest = selectors.latest_status(teacher)
    return render(request, "practice/status_page.html", {
        "teacher": teacher, "own": own, "latest": latest, "history": selectors.status_history(teacher),
        "ongoing_sentence": ongoing_rule().sentence(), "certificate_sentence": certificate_rule().sentence(),
        "progress": [services.practice_certificate_progress(teacher, family) for family in families[:10]],
    })


def area(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    scope = user_scope(user)
    if not selectors.sees_area(scope):
        raise Http404
    level = selectors.parse_level(scope, request.GET.get("level"))
    area_q = selectors.area_q(scope)
    rule = ongoing_rule()
    page = Paginator(selectors.ongoing_counts_by_place(area_q, level), AREA_PAGE_SIZE).get_page(
        request.GET.get("page"))
    ongoing, evaluated = selectors.ongoing_total(area_q)
    sees_costs = selectors.sees_costs(scope)
    return render(request, "practice/area_page.html", {
        "level": level, "levels": selectors.area_levels(scope), "page": page,
        "rows": selectors.place_counts(level, list(page.object_list)),
        "ongoing": ongoing, "evaluated": evaluated, "sentence": rule.sentence(),
        "contrast": selectors.contrast(area_q, rule),
        "course_costs": selectors.course_costs_per_ongoing(rule) if sees_costs else [],
        "area_costs": selectors.area_costs_per_ongoing(user, area_q, ongoing) if sees_costs else [],
        "sees_costs": sees_costs, "query_string": urlencode({"level": level}),
    })
