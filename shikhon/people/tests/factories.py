from __future__ import annotations

from typing import Any

import factory

from shikhon.people.models import Role, User
from shikhon.places.models import District, Division, School, Upazila
from shikhon.places.tests.factories import SchoolFactory

HATIA, SUBARNACHAR, SYLHET_COMPANIGANJ = 46, 47, 275


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("phone",)

    phone = factory.Sequence(lambda n: f"+8801811{n:06d}")
    name_bn = factory.Sequence(lambda n: f"শিক্ষক {n}")
    name_en = factory.Sequence(lambda n: f"Teacher {n}")
    password = factory.django.Password(None)


def grant(user: User, kind: str, *, school: School | None = None, upazila: Upazila | None = None,
          district: District | None = None, division: Division | None = None,
          status: str = Role.Status.ACTIVE) -> Role:
    """Give a role with the place ids filled in, as the services do."""
    fields: dict[str, Any] = {}
    if school is not None:
        fields = {"school": school, "upazila_id": school.upazila_id, "district_id": school.district_id,
                  "division_id": school.division_id}
    elif upazila is not None:
        fields = {"upazila": upazila, "district_id": upazila.district_id, "division_id": upazila.division_id}
    elif district is not None:
        fields = {"district": district, "division_id": district.division_id}
    elif division is not None:
        fields = {"division": division}
    return Role.objects.create(user=user, kind=kind, status=status, **fields)


def named_places() -> dict[str, Any]:
    hatia = Upazila.objects.get(code=HATIA)
    subarnachar = Upazila.objects.get(code=SUBARNACHAR)
    sylhet_companiganj = Upazila.objects.get(code=SYLHET_COMPANIGANJ)
    return {
        "hatia": hatia,
        "subarnachar": subarnachar,
        "noakhali": hatia.district,
        "chattagram": hatia.district.division,
        "sylhet_upazila": sylhet_companiganj,
        "school_hatia": SchoolFactory(eiin="100001", name_bn="হাতিয়া সরকারি প্রাথমিক বিদ্যালয়",
                                      name_en="Hatia Government Primary School", upazila=hatia),
        "school_hatia_2": SchoolFactory(eiin="100002", name_bn="চরকিং সরকারি প্রাথমিক বিদ্যালয়",
                                        name_en="Char King Government Primary School", upazila=hatia),
        "school_subarnachar": SchoolFactory(eiin="100101", name_bn="চরজব্বার সরকারি প্রাথমিক বিদ্যালয়",
                                            name_en="Char Jabbar Government Primary School", upazila=subarnachar),
        "school_sylhet": SchoolFactory(eiin="300001", name_bn="সিলেট সরকারি প্রাথমিক বিদ্যালয়",
                                       name_en="Sylhet Government Primary School", upazila=sylhet_companiganj),
    }


def named_people(p: dict[str, Any]) -> dict[str, User]:
    K = Role.Kind
    people: dict[str, User] = {}

    def person(key: str, phone: str, name_bn: str, name_en: str) -> User:
        people[key] = UserFactory(phone=phone, name_bn=name_bn, name_en=name_en)
        return people[key]

    grant(person("teacher_rubi", "+8801711000007", "রুবি আক্তার", "Rubi Akter"), K.TEACHER, school=p["school_hatia"])
    grant(person("head_teacher_masuma", "+8801711000006", "মাসুমা বেগম", "Masuma Begum"), K.HEAD_TEACHER,
          school=p["school_hatia"])
    grant(person("teacher_pending_zahid", "+8801711000008", "জাহিদ হাসান", "Zahid Hasan"), K.TEACHER,
          school=p["school_hatia"], status=Role.Status.PENDING)
    grant(person("teacher_of_other_school", "+8801711000011", "কামরুন নাহার", "Kamrun Nahar"), K.TEACHER,
          school=p["school_hatia_2"])
    grant(person("teacher_subarnachar", "+8801711000012", "লাইলা", "Laila"), K.TEACHER,
          school=p["school_subarnachar"])
    grant(person("head_teacher_subarnachar", "+8801711000013", "রহিম", "Rahim"), K.HEAD_TEACHER,
          school=p["school_subarnachar"])
    grant(person("mentor_hatia", "+8801711000005", "সেলিনা পারভীন", "Selina Parvin"), K.MENTOR, upazila=p["hatia"])
    grant(person("officer_hatia", "+8801711000004", "আবুল কালাম", "Abul Kalam"), K.UPAZILA_OFFICER,
          upazila=p["hatia"])
    grant(person("officer_other_upazila", "+8801711000010", "শাহানা পারভিন", "Shahana Parvin"), K.UPAZILA_OFFICER,
          upazila=p["subarnachar"])
    grant(person("officer_noakhali", "+8801711000003", "ফারহানা ইয়াসমিন", "Farhana Yasmin"), K.DISTRICT_OFFICER,
          district=p["noakhali"])
    grant(person("officer_sylhet_upazila", "+8801711000014", "জামাল", "Jamal"), K.UPAZILA_OFFICER,
          upazila=p["sylhet_upazila"])
    grant(person("officer_chattagram", "+8801711000002", "মাহবুবুর রহমান", "Mahbubur Rahman"), K.DIVISION_OFFICER,
          division=p["chattagram"])
    grant(person("national_admin_nasrin", "+8801711000001", "নাসরিন আক্তার", "Nasrin Akter"), K.NATIONAL_ADMIN)
    grant(person("researcher_tanvir", "+8801711000009", "তানভীর আহমেদ", "Tanvir Ahmed"), K.RESEARCHER)
    grant(person("course_author_shirin", "+8801711000016", "শিরিন সুলতানা", "Shirin Sultana"), K.COURSE_AUTHOR)
    person("no_role_user", "+8801711000015", "নতুন", "Newcomer")
    return people
