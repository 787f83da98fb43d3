"""Area progress pages for head teachers, officers and mentors (and counts for researchers): `/progress/`
opens at the person's own level, `/progress/<level>/<id>/` drills down (a school by its EIIN),
`/progress/teacher/<id>/` shows one teacher. `?stage=` lists the teachers at a funnel stage; `?sort=` orders a
school's teachers. Reads only (`insights.progress`); what lies outside her area is a 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from shikhon.insights import progress
from shikhon.people.requests import signed_in_user
from shikhon.people.scope import Scope, everything_q, user_scope

PAGE_SIZE = 50


def _scope(request: HttpRequest) -> Scope:
    scope = user_scope(signed_in_user(request))
    if not progress.sees_progress(scope):
        raise Http404
    return scope


@require_safe
def progress_home(request: HttpRequest) -> HttpResponse:
    """Her own level: the country (national people, researchers), her one place, or the rows of her places;
    with `?stage=`, the teachers of her whole area at that stage."""
    scope = _scope(request)
    stage = progress.parse_stage(request.GET.get("stage"))
    if stage is not None:
        if not progress.sees_names(scope):
            raise Http404  # a researcher sees counts, never a list of names
        return _stage_list(request, scope, stage, progress.area_of(scope), level="", place=None)
    landing = progress.landing(scope)
    if landing is None:
        raise Http404
    if isinstance(landing, list):
        return render(request, "insights/progress/area.html", {
            "level": "mine", "place": None, "crumbs": [], "page": None, "rows": landing,
            "heading": progress.LEVEL_TITLES["mine"],
            "totals": progress.area_counts(progress.area_of(scope)), "stage_links": True,
        })
    level, place = landing
    if level == "school":
        return _school(request, scope, place)
    return _area(request, scope, level, place)


@require_safe
def progress_place(request: HttpRequest, level: str, pk: str) -> HttpResponse:
    scope = _scope(request)
    stage = progress.parse_stage(request.GET.get("stage"))
    names = level == "school" or stage is not None
    place = progress.access_place(signed_in_user(request), level, pk, names=names)
    if stage is not None:
        return _stage_list(request, scope, stage, Q(**{f"{level}_id": place.pk}), level=level, place=place)
    if level == "school":
        return _school(request, scope, place)
    return _area(request, scope, level, place)


def _area(request: HttpRequest, scope: Scope, level: str, place: Any) -> HttpResponse:
    """The places one level down, a page of them, each with its counts."""
    page = Paginator(progress.children_of(level, place), PAGE_SIZE).get_page(request.GET.get("page"))
    national = level == "national"
    return render(request, "insights/progress/area.html", {
        "level": level, "place": place, "child_level": progress.CHILD_LEVEL[level],
        "heading": progress.LEVEL_TITLES[level],
        "crumbs": [] if national else progress.crumbs(scope, level, place),
        "page": page, "rows": progress.place_rows(scope, progress.CHILD_LEVEL[level], list(page.object_list)),
        "totals": progress.area_counts(everything_q() if national else Q(**{f"{level}_id": place.pk})),
        "stage_links": scope.is_national if national else progress.sees_names_at(scope, level, place),
    })


def _school(request: HttpRequest, scope: Scope, school: Any) -> HttpResponse:
    """A school's teachers with their progress, sorted as asked (`?sort=`), a page of them."""
    key, descending = progress.parse_sort(request.GET.get("sort"))
    rows = progress.sort_rows(progress.school_teacher_rows(school), key, descending)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    current = f"-{key}" if descending else key
    sorts = []
    for k in progress.SORTS:
        target = k if current == f"-{k}" else (f"-{k}" if current == k else k)  # a second tap turns the order
        sorts.append({"key": k, "url": "?" + urlencode({"sort": target}), "label": progress.SORT_LABELS[k],
                      "active": k == key, "descending": descending and k == key})
    return render(request, "insights/progress/school.html", {
        "school": school, "crumbs": progress.crumbs(scope, "school", school), "page": page, "sorts": sorts,
        "query_string": urlencode({"sort": current}), "totals": progress.area_counts(Q(school_id=school.pk)),
        "is_head": scope.is_head_teacher_of(school.pk),
    })


def _stage_list(request: HttpRequest, scope: Scope, stage: str, area: Q, *, level: str,
                place: Any) -> HttpResponse:
    """The teachers at one stage of the funnel in an area, by name, a page of them."""
    page = Paginator(progress.stage_people(stage, area), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/progress/stage.html", {
        "stage": stage, "title": progress.STAGE_TITLES[stage], "level": level, "place": place,
        "crumbs": progress.crumbs(scope, level, place) if place is not None else [],
        "place_url": progress.place_url(level, place) if place is not None else None,
        "page": page, "rows": progress.stage_page_rows(list(page.object_list)),
        "query_string": urlencode({"stage": stage}),
    })


@require_safe
def progress_teacher(request: HttpRequest, pk: str) -> HttpResponse:
    """One teacher: every course she is in with its progress, her certificates and her training."""
    scope = _scope(request)
    teacher, schools = progress.access_teacher(signed_in_user(request), pk)
    return render(request, "insights/progress/teacher.html", {
        "teacher": teacher, "schools": [(s, progress.place_url("school", s)) for s in schools],
        "detail": progress.teacher_detail(teacher),
        "crumbs": [*progress.crumbs(scope, "school", schools[0]),
                   progress.Crumb(str(schools[0]), progress.place_url("school", schools[0]))],
    })
