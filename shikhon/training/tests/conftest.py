"""A published course, a programme that asks for its certificate, a Hatia batch, and certificates
made directly (issuing them is tested in certificates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from shikhon.certificates.models import Certificate
from shikhon.courses.models import Course, Enrolment
from shikhon.courses.tests.factories import CourseFactory
from shikhon.people.models import User
from shikhon.training import services
from shikhon.training.models import Batch, Programme

_codes = count(1)


@pytest.fixture
def course(db) -> Course:
    return CourseFactory(title="আনন্দে গণিত শিখি")


@pytest.fixture
def certify(course) -> Callable[..., Certificate]:
    def make(user: User, *, revoked: bool = False, on: Course | None = None,
             issued_at: dt.datetime | None = None) -> Certificate:
        target = on or course
        enrolment = Enrolment.objects.create(user=user, course=target, family=target.family,
                                             completed_at=timezone.now())
        return Certificate.objects.create(
            enrolment=enrolment, user=user, course=target, family=target.family, code=f"TEST{next(_codes):08d}",
            holder_name_bn=user.name_bn, course_title=target.title, issued_at=issued_at or timezone.now(),
            revoked_at=timezone.now() if revoked else None)

    return make


@pytest.fixture
def programme(people, course) -> Programme:
    return services.programme_save(actor=people["national_admin_nasrin"], title="আনন্দে গণিত: মুখোমুখি প্রশিক্ষণ",
                                   description="ছয় দিনের প্রশিক্ষণ", required_course=course, days=6)


@pytest.fixture
def make_batch(people, places, programme) -> Callable[..., Batch]:
    def make(*, starts_in: int = 3, days: int = 6, capacity: int = 30, actor: str = "officer_hatia",
             upazila: str = "hatia", **costs: Decimal) -> Batch:
        starts = timezone.localdate() + dt.timedelta(days=starts_in)
        return services.batch_save(
            actor=people[actor], programme=programme, title="হাতিয়া ব্যাচ ১", upazila=places[upazila],
            venue="উপজেলা রিসোর্স সেন্টার, হাতিয়া", starts_on=starts, ends_on=starts + dt.timedelta(days=days - 1),
            capacity=capacity, **costs)

    return make


@pytest.fixture
def batch(make_batch) -> Batch:
    return make_batch()


@pytest.fixture
def certified(people, certify) -> dict[str, User]:
    """Rubi, Masuma (head teacher) and Kamrun (other Hatia school) and Laila (Subarnachar) hold the
    certificate; Zahid is pending."""
    for key in ("teacher_rubi", "head_teacher_masuma", "teacher_of_other_school", "teacher_subarnachar",
                "teacher_pending_zahid"):
        certify(people[key])
    return people
