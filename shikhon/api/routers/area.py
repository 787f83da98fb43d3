"""For those who oversee teachers: the enrolments and completions of their area, one page at a time.

The area is loaded by `insights.progress.access_area` — the progress pages' own rule for seeing people by name:
the schools she heads, the upazilas, districts and divisions she oversees (officer or mentor), everything for
national people — applied to the enrolment's own indexed place ids. Someone who oversees nothing (a teacher, a
researcher) gets 404, and so does a filter naming a school or upazila outside her area, as on those pages."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from shikhon.api.auth import caller
from shikhon.api.pagination import MAX_ID, PageParams, paginate
from shikhon.api.schemas import ErrorOut, Page
from shikhon.courses.selectors import area_enrolments
from shikhon.insights.progress import access_area

if TYPE_CHECKING:
    from shikhon.courses.models import Enrolment

router = Router(tags=["area"])

ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 414: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class AreaParams(PageParams):
    school: int | None = Field(None, ge=1, le=MAX_ID, description="Only this school (id) of her area.")
    upazila: int | None = Field(None, ge=1, le=MAX_ID, description="Only this upazila (id) of her area.")


class TeacherRef(Schema):
    id: int
    name_bn: str
    name_en: str


class EnrolledCourseRef(Schema):
    slug: str
    title: str
    version: int


class AreaEnrolmentOut(Schema):
    teacher: TeacherRef
    course: EnrolledCourseRef
    school_id: int | None = Field(None, description="Her school when she enrolled.")
    upazila_id: int | None = None
    enrolled_at: dt.datetime
    last_seen_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None


class AreaEnrolmentPage(Page):
    items: list[AreaEnrolmentOut]


def _row(enrolment: Enrolment) -> dict[str, Any]:
    user, course = enrolment.user, enrolment.course
    return {"teacher": {"id": user.pk, "name_bn": user.name_bn, "name_en": user.name_en},
            "course": {"slug": course.slug, "title": course.title, "version": course.version},
            "school_id": enrolment.school_id, "upazila_id": enrolment.upazila_id,
            "enrolled_at": enrolment.enrolled_at, "last_seen_at": enrolment.last_seen_at,
            "completed_at": enrolment.completed_at}


def _page(request: HttpRequest, params: AreaParams, *, completed: bool | None) -> dict[str, Any]:
    area = access_area(caller(request), school_id=params.school, upazila_id=params.upazila)
    enrolments = area_enrolments(area, completed=completed)
    page = paginate(enrolments, params)
    page["items"] = [_row(e) for e in page["items"]]
    return page


@router.get("/area/enrolments", response={200: AreaEnrolmentPage, **ERRORS}, summary="My area's enrolments")
def area_enrolments_list(request: HttpRequest, params: Query[AreaParams]) -> dict[str, Any]:
    """Every enrolment placed in her area (the teacher's school when she enrolled), newest first."""
    return _page(request, params, completed=None)


@router.get("/area/completions", response={200: AreaEnrolmentPage, **ERRORS}, summary="My area's completions")
def area_completions_list(request: HttpRequest, params: Query[AreaParams]) -> dict[str, Any]:
    """The completed enrolments of her area, the latest completion first."""
    return _page(request, params, completed=True)
