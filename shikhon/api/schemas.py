"""What the API answers. Names come in both languages: `name_bn` and `name_en`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ErrorDetail(Schema):
    code: str = Field(..., description="Stable, machine-readable: not_found, invalid, not_authenticated, …")
    message: str = Field(..., description="A sentence in the caller's language that says what to do next.")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorOut(Schema):
    error: ErrorDetail


class PlaceRef(Schema):
    id: int
    name_bn: str
    name_en: str


class DivisionOut(Schema):
    id: int
    code: int
    name_bn: str
    name_en: str


class DistrictOut(Schema):
    id: int
    code: int
    name_bn: str
    name_en: str
    division: PlaceRef
    latitude: float | None = None
    longitude: float | None = None


class UpazilaOut(Schema):
    id: int
    code: int
    name_bn: str
    name_en: str
    district: PlaceRef
    division: PlaceRef


class SchoolOut(Schema):
    eiin: str
    name_bn: str
    name_en: str
    kind: str
    is_active: bool
    union: PlaceRef | None = None
    upazila: PlaceRef
    district: PlaceRef
    division: PlaceRef


class SchoolRef(Schema):
    eiin: str
    name_bn: str
    name_en: str


class Page(Schema):
    count: int = Field(..., description="How many items match, on all pages.")
    page: int = Field(..., description="This page's number, from 1.")
    pages: int = Field(..., description="How many pages there are (0 when nothing matches).")
    limit: int = Field(..., description="Items per page.")


class DivisionPage(Page):
    items: list[DivisionOut]


class DistrictPage(Page):
    items: list[DistrictOut]


class UpazilaPage(Page):
    items: list[UpazilaOut]


class SchoolPage(Page):
    items: list[SchoolOut]


class RoleOut(Schema):
    id: int
    kind: str
    status: str
    is_current: bool
    starts_on: dt.date
    ends_on: dt.date | None = None
    school: SchoolRef | None = None
    upazila: PlaceRef | None = None
    district: PlaceRef | None = None
    division: PlaceRef | None = None
    place_name_bn: str = Field(..., description="The most specific place of the role, in Bangla.")
    place_name_en: str


class ScopeOut(Schema):
    """The places this person works in or oversees, by their current roles."""

    kinds: list[str]
    is_national: bool
    is_researcher: bool
    school_ids: list[int]
    head_school_ids: list[int]
    upazila_ids: list[int]
    district_ids: list[int]
    division_ids: list[int]
    pending_school_ids: list[int]


class MeOut(Schema):
    id: int
    phone: str = Field(..., description="E.164, for example +8801712345678.")
    name_bn: str
    name_en: str
    roles: list[RoleOut]
    scope: ScopeOut
