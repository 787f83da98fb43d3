"""Fixtures and helpers of the practice API's tests (no tests here): the named people with a colleague of Rubi's,
a client per person, an activity of a published course, request bodies, and a list's query count."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shikhon.api.tests.conftest import ApiClient
from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import course_with_content
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant

__all__ = ["activities_of", "activity", "as_", "colleague", "everyone", "plan_body", "query_count", "record_body"]


@pytest.fixture
def colleague(people, places):
    """শিরিনা, a teacher at Rubi's school (Hatia): she sees what Rubi shares with the circle."""
    user = UserFactory(phone="+8801711000021", name_bn="শিরিনা খাতুন", name_en="Shirina Khatun")
    grant(user, Role.Kind.TEACHER, school=places["school_hatia"])
    return user


@pytest.fixture
def everyone(people, colleague) -> dict[str, Any]:
    return {**people, "colleague": colleague}


@pytest.fixture
def as_(client, everyone, token_of):
    tokens: dict[str, str] = {}

    def make(who: str) -> ApiClient:
        if who not in tokens:
            tokens[who] = token_of(everyone[who])
        return ApiClient(client, tokens[who])

    return make


@pytest.fixture
def activity() -> Any:
    course = course_with_content(modules=3, activities=2)
    return course.modules.order_by("position").first().activities.order_by("position").first()


def activities_of(activity: Any) -> list[Any]:
    course = activity.module.course
    return [a for m in course.modules.order_by("position") for a in m.activities.order_by("position")]


def plan_body(activity: Any, **extra: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "activity": activity.pk, "grade": 2, "section": "ক",
            "planned_on": (dhaka_today() + dt.timedelta(days=3)).isoformat(), "materials": "নুড়ি পাথর", **extra}


def record_body(activity: Any, **extra: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "activity": activity.pk, "taught_on": dhaka_today().isoformat(),
            "outcome": "taught", "grade": 2, "section": "ক", "learners_present": 28, "minutes": 35, "rating": 4,
            "what_worked": "জোড়ায় গোনা", "what_to_change": "আরও নুড়ি", **extra}


def query_count(api: ApiClient, path: str, data: dict[str, Any] | None = None) -> int:
    api.get(path, data)  # her token and scope warm, as on any later call
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path, {"limit": 100, **(data or {})}).status_code == 200
    return len(ctx.captured_queries)
