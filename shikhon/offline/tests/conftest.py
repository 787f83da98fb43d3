from __future__ import annotations

from typing import Any

import pytest

from shikhon.courses import services as learning
from shikhon.courses.models import Course
from shikhon.courses.tests.factories import course_with_content


@pytest.fixture
def course(db: Any) -> Course:
    return course_with_content(modules=2, activities=2)


@pytest.fixture
def rubi_enrolled(people: dict[str, Any], course: Course) -> Any:
    return learning.enrolment_create(actor=people["teacher_rubi"], course=course)
