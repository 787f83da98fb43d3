"""The people of one school: its head teacher and teachers, for those who work there or oversee it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shikhon.people.selectors import school_members, user_scope
from shikhon.places.selectors import parse_eiin, school_get


def school_teachers(request: HttpRequest, eiin: str) -> HttpResponse:
    canonical = parse_eiin(eiin)
    school = school_get(canonical) if canonical else None
    scope = user_scope(request.user)  # type: ignore[arg-type]
    if school is None or not scope.covers(school_id=school.pk, upazila_id=school.upazila_id,
                                          district_id=school.district_id, division_id=school.division_id):
        raise Http404
    members = school_members(school)
    heads = [role for role in members if role.kind == role.Kind.HEAD_TEACHER and role.status == role.Status.ACTIVE]
    page = Paginator([role for role in members if role not in heads], 50).get_page(request.GET.get("page"))
    return render(request, "people/school_teachers.html", {"school": school, "heads": heads, "page": page})
