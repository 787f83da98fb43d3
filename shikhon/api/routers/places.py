"""Geography (divisions, districts, upazilas) and schools. Any signed-in caller may read them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router

from shikhon.api.pagination import MAX_ID, PageParams, SearchParams, paginate, search_text
from shikhon.api.schemas import (
    DistrictOut,
    DistrictPage,
    DivisionOut,
    DivisionPage,
    ErrorOut,
    SchoolOut,
    SchoolPage,
    UpazilaOut,
    UpazilaPage,
)
from shikhon.core.bangla import to_western_digits
from shikhon.places.models import District, Division, School, Upazila
from shikhon.places.selectors import clean_query, school_search

router = Router(tags=["places"])

ERRORS: dict[int, Any] = {401: ErrorOut, 414: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: ErrorOut}
EIIN_PATTERN = r"^[0-9০-৯]{6}$"


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


def _filter_id(description: str) -> Any:
    return Field(None, ge=1, le=MAX_ID, description=description)


class DistrictParams(PageParams):
    division: int | None = _filter_id("Only districts of this division (id).")


class UpazilaParams(SearchParams):
    district: int | None = _filter_id("Only upazilas of this district (id).")
    division: int | None = _filter_id("Only upazilas of this division (id).")


class SchoolParams(SearchParams):
    q: str = search_text("EIIN digits, or words of the school's name (Bangla or English).")
    upazila: int | None = _filter_id("Only schools of this upazila (id).")
    district: int | None = _filter_id("Only schools of this district (id).")
    kind: School.Kind | None = Field(None, description="Only schools of this kind.")


def _name_search(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    text = clean_query(query)
    for word in text.split()[:6]:
        queryset = queryset.filter(Q(name_bn__icontains=word) | Q(name_en__icontains=word))
    return queryset


# ------------------------------------------------------------------------------------------ divisions


@router.get("/divisions", response={200: DivisionPage, **ERRORS}, summary="List divisions")
def list_divisions(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    return paginate(Division.objects.order_by("name_en", "id"), params)


@router.get("/divisions/{id}", response={200: DivisionOut, **ERRORS_404}, summary="One division")
def get_division(request: HttpRequest, id: int = _id("Division id.")) -> Division:
    return get_object_or_404(Division, pk=id)


# ------------------------------------------------------------------------------------------ districts

_DISTRICTS = District.objects.select_related("division")


@router.get("/districts", response={200: DistrictPage, **ERRORS}, summary="List districts")
def list_districts(request: HttpRequest, params: Query[DistrictParams]) -> dict[str, Any]:
    districts = _DISTRICTS.order_by("name_en", "id")
    if params.division is not None:
        districts = districts.filter(division_id=params.division)
    return paginate(districts, params)


@router.get("/districts/{id}", response={200: DistrictOut, **ERRORS_404}, summary="One district")
def get_district(request: HttpRequest, id: int = _id("District id.")) -> District:
    return get_object_or_404(_DISTRICTS, pk=id)


# ------------------------------------------------------------------------------------------- upazilas

_UPAZILAS = Upazila.objects.select_related("district", "division")


@router.get("/upazilas", response={200: UpazilaPage, **ERRORS}, summary="List or search upazilas")
def list_upazilas(request: HttpRequest, params: Query[UpazilaParams]) -> dict[str, Any]:
    upazilas = _UPAZILAS.order_by("name_en", "id")
    if params.district is not None:
        upazilas = upazilas.filter(district_id=params.district)
    if params.division is not None:
        upazilas = upazilas.filter(division_id=params.division)
    return paginate(_name_search(upazilas, params.q), params)


@router.get("/upazilas/{id}", response={200: UpazilaOut, **ERRORS_404}, summary="One upazila")
def get_upazila(request: HttpRequest, id: int = _id("Upazila id.")) -> Upazila:
    return get_object_or_404(_UPAZILAS, pk=id)


# -------------------------------------------------------------------------------------------- schools


@router.get("/schools", response={200: SchoolPage, **ERRORS}, summary="Search open schools")
def list_schools(request: HttpRequest, params: Query[SchoolParams]) -> dict[str, Any]:
    """Open schools whose EIIN starts with the digits in `q`, or whose name contains all its words."""
    schools = school_search(params.q, upazila_id=params.upazila).select_related("division", "union")
    if params.district is not None:
        schools = schools.filter(district_id=params.district)
    if params.kind is not None:
        schools = schools.filter(kind=params.kind)
    return paginate(schools, params)


@router.get("/schools/{eiin}", response={200: SchoolOut, **ERRORS_404}, summary="One school, by EIIN")
def get_school(
    request: HttpRequest,
    eiin: str = Path(..., pattern=EIIN_PATTERN, description="The school's 6-digit EIIN (Bangla digits too)."),
) -> School:
    queryset = School.objects.select_related("union", "upazila", "district", "division")
    return get_object_or_404(queryset, eiin=to_western_digits(eiin))
