"""The people of one school: its head teacher and teachers, for those who work there or oversee it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shikhon.people.requests import signed_in_user
from shikhon.people.selectors import access_school_staff, school_members


def school_teachers(request: HttpRequest, eiin: str) -> HttpResponse:
    school = access_school_staff(signed_in_user(request), eiin)
    members = school_members(school)
    heads = [role for role in members if role.kind == role.Kind.HEAD_TEACHER and role.status == role.Status.ACTIVE]
    page = Paginator([role for role in members if role not in heads], 50).get_page(request.GET.get("page"))
    return render(request, "people/school_teachers.html", {"school": school, "heads": heads, "page": page})
