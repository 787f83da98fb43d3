"""Completed enrolments made directly (the learning side is tested elsewhere), and their certificates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from shikhon.certificates.models import Certificate
from shikhon.certificates.services import certificate_issue
from shikhon.courses.models import Course, Enrolment
from shikhon.courses.tests.factories import CourseFactory
from shikhon.people.models import User
from shikhon.places.models import School


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHIKHON_PUBLIC_URL = "https://shikhon.example.gov.bd"


@pytest.fixture
def course(db) -> Course:
    return CourseFactory(title="আনন্দে গণিত শিখি")


@pytest.fixture
def enrol(course) -> Callable[..., Enrolment]:
    def make(user: User, school: School | None, *, completed: bool = True, on: Course | None = None) -> Enrolment:
        target = on or course
        places: dict[str, Any] = {}
        if school is not None:
            places = {"school_id": school.pk, "upazila_id": school.upazila_id, "district_id": school.district_id,
                      "division_id": school.division_id}
        return Enrolment.objects.create(user=user, course=target, family=target.family,
                                        completed_at=timezone.now() if completed else None, **places)

    return make


@pytest.fixture
def rubi_enrolment(people, places, enrol) -> Enrolment:
    return enrol(people["teacher_rubi"], places["school_hatia"])


@pytest.fixture
def rubi_certificate(rubi_enrolment) -> Certificate:
    certificate = certificate_issue(enrolment_id=rubi_enrolment.pk)
    assert certificate is not None
    return certificate


@pytest.fixture
def certificate_of(people, places, enrol) -> Callable[[str, str], Certificate]:
    """certificate_of("teacher_subarnachar", "school_subarnachar")."""
    def make(who: str, school: str) -> Certificate:
        certificate = certificate_issue(enrolment_id=enrol(people[who], places[school]).pk)
        assert certificate is not None
        return certificate

    return make
