"""For those who oversee teachers: the enrolments and completions of their area, one page at a time.

The area is `people.scope.user_scope(caller).headed_or_overseen_q()` — the schools she heads, the upazilas,
districts and divisions she oversees (officer or mentor), everything for national people — applied to the
enrolment's own indexed place ids, as the site's progress pages and the home page's funnel do. Someone who
oversees nothing (a teacher) gets 404, and so does a filter naming a school or upazila outside her area."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from shikhon.api.auth import caller
from shikhon.api.pagination import MAX_ID, PageParams, paginate
from shikhon.api.schemas import ErrorOut, Page
from shikhon.courses.selectors import area_enrolments
from shikhon.people.scope import Scope, user_scope
from shikhon.places.selectors import schools_by_ids, upazila_get

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


def _overseer_scope(request: HttpRequest) -> Scope:
    scope = user_scope(caller(request))
    if not (scope.head_school_ids or scope.oversees_area):
        raise Http404
    return scope


def _check_filters(scope: Scope, params: AreaParams) -> None:
    """A school or upazila named in the filters must lie in her area: else 404, as if it did not exist."""
    if params.upazila is not None:
        upazila = upazila_get(params.upazila)
        if upazila is None or not scope.oversees(upazila_id=upazila.pk, district_id=upazila.district_id,
                                                 division_id=upazila.division_id):
            raise Http404
    if params.school is not None:
        school = schools_by_ids([params.school]).first()
        if school is None or not (scope.is_head_teacher_of(school.pk) or scope.oversees(
                upazila_id=school.upazila_id, district_id=school.district_id, division_id=school.division_id)):
            raise Http404


def _row(enrolment: Enrolment) -> dict[str, Any]:
    user, course = enrolment.user, enrolment.course
    return {"teacher": {"id": user.pk, "name_bn": user.name_bn, "name_en": user.name_en},
            "course": {"slug": course.slug, "title": course.title, "version": course.version},
            "school_id": enrolment.school_id, "upazila_id": enrolment.upazila_id,
            "enrolled_at": enrolment.enrolled_at, "last_seen_at": enrolment.last_seen_at,
            "completed_at": enrolment.completed_at}


def _page(request: HttpRequest, params: AreaParams, *, completed: bool | None) -> dict[str, Any]:
    scope = _overseer_scope(request)
    _check_filters(scope, params)
    enrolments = area_enrolments(scope.headed_or_overseen_q(), completed=completed, school_id=params.school,
                                 upazila_id=params.upazila)
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
