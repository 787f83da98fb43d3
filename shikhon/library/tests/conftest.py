"""The library's named people beyond the shared ones: mentors at district and national level, and a teacher of
Rubi's school (a colleague)."""

from __future__ import annotations

import pytest

from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant


@pytest.fixture
def library_people(people, places):
    """`people` plus: mentor_noakhali (district mentor), mentor_national (national mentor), colleague_shirina
    (a teacher at Rubi's school), mentor_subarnachar (a mentor of another upazila)."""
    extra = dict(people)
    extra["mentor_noakhali"] = UserFactory(phone="+8801711000031", name_bn="নাজমা হক", name_en="Nazma Haque")
    grant(extra["mentor_noakhali"], Role.Kind.MENTOR, district=places["noakhali"])
    extra["mentor_national"] = UserFactory(phone="+8801711000032", name_bn="ফেরদৌসী রহমান", name_en="Ferdousi Rahman")
    grant(extra["mentor_national"], Role.Kind.MENTOR)
    extra["colleague_shirina"] = UserFactory(phone="+8801711000033", name_bn="শিরিনা খাতুন", name_en="Shirina Khatun")
    grant(extra["colleague_shirina"], Role.Kind.TEACHER, school=places["school_hatia"])
    extra["mentor_subarnachar"] = UserFactory(phone="+8801711000034", name_bn="মিনু", name_en="Minu")
    grant(extra["mentor_subarnachar"], Role.Kind.MENTOR, upazila=places["subarnachar"])
    return extra
