"""Area progress pages (/progress/): counts per place in a bounded number of queries, a school's teachers with
their progress (sortable), stage lists, the teacher page, and who may see what (404 elsewhere)."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shikhon.certificates.models import Certificate
from shikhon.core.clock import DHAKA
from shikhon.courses.models import ActivityProgress, Course, Enrolment, QuizAttempt
from shikhon.courses.tests.factories import ActivityFactory, CourseFactory, ModuleFactory, QuizFactory
from shikhon.insights import progress
from shikhon.people.models import Role, User
from shikhon.people.scope import user_scope
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.tests.factories import SchoolFactory
from shikhon.training.models import Batch, Invitation, Programme

pytestmark = pytest.mark.django_db

_codes = count(1)
PROGRESS = "/progress/"


def place_url(level: str, key: object) -> str:
    return reverse("insights:progress_place", kwargs={"level": level, "pk": key})


def school_url(school: Any) -> str:
    return place_url("school", school.eiin)


def teacher_url(user: User) -> str:
    return reverse("insights:progress_teacher", kwargs={"pk": user.pk})


# ---------------------------------------------------------------------------------------------- data

@pytest.fixture
def course(db) -> Course:
    """Two modules, each with two activities and a quiz: six steps."""
    course = CourseFactory(title="আনন্দে গণিত শিখি")
    for _ in range(2):
        module = ModuleFactory(course=course)
        ActivityFactory(module=module)
        ActivityFactory(module=module)
        QuizFactory(module=module)
    return course


def _placed(user: User) -> dict[str, int | None]:
    role = Role.objects.filter(user=user, school__isnull=False).order_by("-pk").first()
    assert role is not None
    return {"school_id": role.school_id, "upazila_id": role.upazila_id, "district_id": role.district_id,
            "division_id": role.division_id}


def enrol(user: User, course: Course, *, done: int = 0, passed: int = 0, completed: bool = False,
          seen: dt.datetime | None = None) -> Enrolment:
    enrolment = Enrolment.objects.create(user=user, course=course, family=course.family, last_seen_at=seen,
                                         completed_at=timezone.now() if completed else None, **_placed(user))
    activities = [a for m in course.modules.order_by("position") for a in m.activities.order_by("position")]
    for activity in activities[:done]:
        ActivityProgress.objects.create(enrolment=enrolment, activity=activity, done_at=timezone.now())
    quizzes = [m.quiz for m in course.modules.order_by("position")]
    for number, quiz in enumerate(quizzes[:passed], start=1):
        QuizAttempt.objects.create(enrolment=enrolment, quiz=quiz, number=number, started_at=timezone.now(),
                                   submitted_at=timezone.now(), passed=True, score_percent=100)
    return enrolment


def certify(enrolment: Enrolment, *, revoked: bool = False) -> Certificate:
    now = timezone.now()
    fields: dict[str, Any] = {}
    if "issued_on" in {f.name for f in Certificate._meta.get_fields()}:  # issue 10 stores Dhaka's date
        fields["issued_on"] = now.astimezone(DHAKA).date()
    return Certificate.objects.create(
        enrolment=enrolment, user=enrolment.user, course=enrolment.course, family=enrolment.family,
        code=f"PROG{next(_codes):08d}", holder_name_bn=enrolment.user.name_bn, course_title=enrolment.course.title,
        issued_at=now, revoked_at=now if revoked else None, school_id=enrolment.school_id,
        upazila_id=enrolment.upazila_id, district_id=enrolment.district_id, division_id=enrolment.division_id,
        **fields)


@pytest.fixture
def batch(people, places, course) -> Batch:
    programme = Programme.objects.create(title="মুখোমুখি প্রশিক্ষণ", required_course=course,
                                         required_family=course.family)
    hatia = places["hatia"]
    today = timezone.localdate()
    return Batch.objects.create(programme=programme, title="হাতিয়া ব্যাচ", upazila=hatia,
                                district_id=hatia.district_id, division_id=hatia.division_id, venue="URC",
                                starts_on=today - dt.timedelta(days=7), ends_on=today - dt.timedelta(days=2))


def invite(batch: Batch, user: User, *, trained: bool = False, status: str = "accepted") -> Invitation:
    return Invitation.objects.create(batch=batch, teacher=user, status=status,
                                     completed_at=timezone.now() if trained else None, **_placed(user))


@pytest.fixture
def story(people, course, batch):
    """Rubi: trained (certified, completed); Masuma: half-way; Kamrun (other Hatia school): certified;
    Laila (Subarnachar): enrolled, nothing done."""
    rubi = enrol(people["teacher_rubi"], course, done=4, passed=2, completed=True,
                 seen=timezone.now() - dt.timedelta(days=3))
    certify(rubi)
    invite(batch, people["teacher_rubi"], trained=True)
    enrol(people["head_teacher_masuma"], course, done=2, passed=1, seen=timezone.now())
    certify(enrol(people["teacher_of_other_school"], course, done=4, passed=2, completed=True))
    enrol(people["teacher_subarnachar"], course)
    return people


def login(client, people, who: str) -> None:
    client.force_login(people[who])


# ---------------------------------------------------------------------------------------------- selectors

def test_counts_by_place_per_school(story, places, django_assert_num_queries):
    ids = [places["school_hatia"].pk, places["school_hatia_2"].pk, places["school_sylhet"].pk]
    with django_assert_num_queries(4):
        counts = progress.counts_by_place("school", ids)
    assert counts[places["school_hatia"].pk] == progress.Counts(teachers=2, enrolled=2, completed=1, certified=1,
                                                                trained=1)
    assert counts[places["school_hatia_2"].pk] == progress.Counts(teachers=1, enrolled=1, completed=1, certified=1)
    assert counts[places["school_sylhet"].pk] == progress.Counts()


def test_counts_by_upazila_district_division(story, places):
    hatia, subarnachar = places["hatia"], places["subarnachar"]
    by_upazila = progress.counts_by_place("upazila", [hatia.pk, subarnachar.pk])
    assert by_upazila[hatia.pk] == progress.Counts(teachers=3, enrolled=3, completed=2, certified=2, trained=1)
    # Subarnachar: Laila and her head teacher Rahim; Laila enrolled
    assert by_upazila[subarnachar.pk] == progress.Counts(teachers=2, enrolled=1)
    noakhali = places["noakhali"]
    assert progress.counts_by_place("district", [noakhali.pk])[noakhali.pk].teachers == 5
    chattagram = places["chattagram"]
    assert progress.counts_by_place("division", [chattagram.pk])[chattagram.pk].enrolled == 4
    assert progress.counts_by_place("school", []) == {}
    with pytest.raises(ValueError, match="Unknown place level"):
        progress.counts_by_place("union", [1])


def test_a_revoked_certificate_is_not_counted(people, places, course):
    certify(enrol(people["teacher_rubi"], course, completed=True), revoked=True)
    school = places["school_hatia"]
    assert progress.counts_by_place("school", [school.pk])[school.pk].certified == 0


def test_area_counts_agree_with_rows(story, places):
    from django.db.models import Q

    hatia = places["hatia"]
    assert progress.area_counts(Q(upazila_id=hatia.pk)) == progress.counts_by_place("upazila", [hatia.pk])[hatia.pk]


def test_teacher_rows_progress_and_standing(story, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        rows = {r.user.name_en: r for r in progress.school_teacher_rows(places["school_hatia"])}
    assert set(rows) == {"Rubi Akter", "Masuma Begum"}  # Zahid is still pending
    rubi, masuma = rows["Rubi Akter"], rows["Masuma Begum"]
    assert (rubi.percent, rubi.standing, rubi.is_head) == (100, "trained", False)
    assert (masuma.percent, masuma.standing, masuma.is_head) == (50, "enrolled", True)  # 3 of 6 steps
    assert rubi.certificate is not None and rubi.training is not None and rubi.training.status == "trained"
    assert masuma.last_studied == timezone.now().astimezone(DHAKA).date()


def test_last_studied_is_dhakas_date(people, course, dhaka_small_hours):
    """01:30 in Dhaka is still yesterday in UTC: the day shown is Dhaka's."""
    enrol(people["teacher_rubi"], course, done=1, seen=timezone.now())
    row = progress.teacher_rows([(people["teacher_rubi"], False)])[0]
    assert row.last_studied == timezone.now().astimezone(DHAKA).date()
    assert row.last_studied != timezone.now().astimezone(dt.UTC).date()


@pytest.mark.parametrize(("raw", "expected"), [
    ("name", ("name", False)), ("-progress", ("progress", True)), ("activity", ("activity", False)),
    ("-status", ("status", True)), ("", ("name", False)), ("DROP TABLE", ("name", False)), ("--name", ("name", False)),
    (None, ("name", False)),
])
def test_parse_sort(raw, expected):
    assert progress.parse_sort(raw) == expected


def test_parse_stage():
    assert [progress.parse_stage(s) for s in ("enrolled", "trained", "nope", "", None)] == [
        "enrolled", "trained", None, None, None]


def test_landing_by_role(people, places):
    def landing(who: str) -> Any:
        return progress.landing(user_scope(people[who]))

    assert landing("head_teacher_masuma") == ("school", places["school_hatia"])
    assert landing("officer_hatia") == ("upazila", places["hatia"])
    assert landing("mentor_hatia") == ("upazila", places["hatia"])
    assert landing("officer_noakhali") == ("district", places["noakhali"])
    assert landing("officer_chattagram") == ("division", places["chattagram"])
    assert landing("national_admin_nasrin") == ("national", None)
    assert landing("researcher_tanvir") == ("national", None)
    assert landing("teacher_rubi") is None
    assert landing("course_author_shirin") is None


def test_landing_with_several_places_lists_them(people, places):
    grant(people["officer_hatia"], Role.Kind.UPAZILA_OFFICER, upazila=places["subarnachar"])
    people["officer_hatia"].refresh_from_db()
    rows = progress.landing(user_scope(people["officer_hatia"]))
    assert isinstance(rows, list)
    assert {r.place for r in rows} == {places["hatia"], places["subarnachar"]}


# ---------------------------------------------------------------------------------------------- pages

LANDS = [
    ("head_teacher_masuma", "রুবি আক্তার"),          # her school's teachers
    ("officer_hatia", "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়"),  # the schools of his upazila
    ("mentor_hatia", "চরকিং সরকারি প্রাথমিক বিদ্যালয়"),
    ("officer_noakhali", "হাতিয়া"),                 # the upazilas of her district
    ("officer_chattagram", "নোয়াখালী"),             # the districts of his division
    ("national_admin_nasrin", "চট্টগ্রাম"),           # the divisions
    ("researcher_tanvir", "চট্টগ্রাম"),
]


@pytest.mark.parametrize(("who", "shows"), LANDS)
def test_progress_opens_at_her_level(client, story, who, shows):
    login(client, story, who)
    response = client.get(PROGRESS)
    assert response.status_code == 200
    assert shows in response.content.decode()


@pytest.mark.parametrize("who", ["teacher_rubi", "teacher_pending_zahid", "course_author_shirin", "no_role_user"])
def test_people_who_supervise_no_one_get_404(client, story, places, who):
    login(client, story, who)
    for url in (PROGRESS, f"{PROGRESS}?stage=enrolled", school_url(places["school_hatia"]),
                place_url("upazila", places["hatia"].pk), teacher_url(story["teacher_rubi"])):
        assert client.get(url).status_code == 404, url


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(PROGRESS)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_head_teachers_school_page_shows_each_teachers_progress(client, story, places):
    login(client, story, "head_teacher_masuma")
    response = client.get(school_url(places["school_hatia"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "রুবি আক্তার" in body and "মাসুমা বেগম" in body
    assert "১০০%" in body and "৫০%" in body  # Bangla digits
    assert "জাহিদ" not in body  # pending: on the people page, not here
    assert reverse("people:school_teachers", args=["100001"]) in body
    assert teacher_url(story["teacher_rubi"]) in body


SCHOOL_HATIA_SEES = ["head_teacher_masuma", "officer_hatia", "mentor_hatia", "officer_noakhali",
                     "officer_chattagram", "national_admin_nasrin"]
SCHOOL_HATIA_HIDDEN = ["teacher_rubi", "head_teacher_subarnachar", "officer_other_upazila", "officer_sylhet_upazila",
                       "researcher_tanvir", "teacher_of_other_school", "no_role_user"]


@pytest.mark.parametrize("who", SCHOOL_HATIA_SEES)
def test_school_page_for_those_over_it(client, story, places, who):
    login(client, story, who)
    assert client.get(school_url(places["school_hatia"])).status_code == 200
    assert client.get(teacher_url(story["teacher_rubi"])).status_code == 200
    assert client.get(school_url(places["school_hatia"]) + "?stage=trained").status_code == 200


@pytest.mark.parametrize("who", SCHOOL_HATIA_HIDDEN)
def test_school_page_hidden_from_others(client, story, places, who):
    login(client, story, who)
    assert client.get(school_url(places["school_hatia"])).status_code == 404
    assert client.get(teacher_url(story["teacher_rubi"])).status_code == 404
    assert client.get(school_url(places["school_hatia"]) + "?stage=trained").status_code == 404


@pytest.mark.parametrize(("who", "level", "key", "status"), [
    ("officer_hatia", "upazila", "hatia", 200),
    ("officer_hatia", "upazila", "subarnachar", 404),
    ("officer_hatia", "district", "noakhali", 404),
    ("officer_hatia", "division", "chattagram", 404),
    ("officer_other_upazila", "upazila", "hatia", 404),
    ("officer_sylhet_upazila", "upazila", "hatia", 404),
    ("officer_noakhali", "district", "noakhali", 200),
    ("officer_noakhali", "upazila", "hatia", 200),
    ("officer_noakhali", "upazila", "subarnachar", 200),
    ("officer_noakhali", "upazila", "sylhet_upazila", 404),
    ("officer_noakhali", "division", "chattagram", 404),
    ("officer_chattagram", "division", "chattagram", 200),
    ("officer_chattagram", "upazila", "sylhet_upazila", 404),
    ("national_admin_nasrin", "upazila", "sylhet_upazila", 200),
    ("researcher_tanvir", "upazila", "hatia", 200),
    ("researcher_tanvir", "division", "chattagram", 200),
    ("head_teacher_masuma", "upazila", "hatia", 404),
    ("head_teacher_subarnachar", "upazila", "hatia", 404),
])
def test_area_pages_by_role(client, story, places, who, level, key, status):
    login(client, story, who)
    pk = places[key].pk
    assert client.get(place_url(level, pk)).status_code == status


def test_district_officer_drills_down_to_a_teacher(client, story, places):
    login(client, story, "officer_noakhali")
    body = client.get(place_url("district", places["noakhali"].pk)).content.decode()
    upazila = place_url("upazila", places["hatia"].pk)
    assert upazila in body
    body = client.get(upazila).content.decode()
    assert school_url(places["school_hatia"]) in body
    body = client.get(school_url(places["school_hatia"])).content.decode()
    assert teacher_url(story["teacher_rubi"]) in body
    body = client.get(teacher_url(story["teacher_rubi"])).content.decode()
    assert "আনন্দে গণিত শিখি" in body and "মুখোমুখি প্রশিক্ষণ" in body
    # the crumbs lead back up, each linked where she may go
    assert upazila in body and place_url("district", places["noakhali"].pk) in body
    assert place_url("division", places["chattagram"].pk) not in body  # above her: not a link


def test_researcher_sees_counts_but_no_names(client, story, places):
    login(client, story, "researcher_tanvir")
    body = client.get(place_url("upazila", places["hatia"].pk)).content.decode()
    assert "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়" in body
    assert school_url(places["school_hatia"]) not in body  # a school's page names its teachers
    assert "?stage=" not in body
    assert client.get(f"{PROGRESS}?stage=enrolled").status_code == 404
    assert client.get(place_url("upazila", places["hatia"].pk) + "?stage=enrolled").status_code == 404


@pytest.mark.parametrize("path", [
    "/progress/upazila/abc/", "/progress/upazila/0/", "/progress/upazila/-1/", "/progress/upazila/99999999/",
    "/progress/upazila/99999999999999999999999/", "/progress/union/1/", "/progress/school/12/",
    "/progress/school/999999/", "/progress/school/abcdef/", "/progress/teacher/abc/", "/progress/teacher/0/",
    "/progress/teacher/99999999/", "/progress/national/1/", "/progress/teacher/",
])
def test_bad_addresses_are_404(client, story, path):
    login(client, story, "national_admin_nasrin")
    assert client.get(path).status_code == 404


def test_bangla_digits_in_ids_are_read(client, story, places):
    from shikhon.core.bangla import to_bangla_digits

    login(client, story, "officer_hatia")
    assert client.get(place_url("upazila", to_bangla_digits(places["hatia"].pk))).status_code == 200


@pytest.mark.parametrize("query", ["?sort=DROP", "?sort=", "?sort=-", "?page=abc", "?page=999", "?stage=nope",
                                   "?stage=", "?sort=%00", "?stage=enrolled&page=-3"])
def test_bad_query_strings_fall_back(client, story, places, query):
    login(client, story, "head_teacher_masuma")
    assert client.get(school_url(places["school_hatia"]) + query).status_code == 200
    assert client.get(PROGRESS + query).status_code == 200


def test_a_teacher_at_another_school_of_the_head_teacher_is_not_hers(client, story, places):
    """Masuma heads Hatia school; Kamrun teaches at Char King: 404 for Masuma."""
    login(client, story, "head_teacher_masuma")
    assert client.get(teacher_url(story["teacher_of_other_school"])).status_code == 404
    assert client.get(teacher_url(story["officer_hatia"])).status_code == 404  # no school role: no one's teacher


def test_posts_are_refused(client, story, places):
    login(client, story, "officer_hatia")
    assert client.post(PROGRESS).status_code == 405


# ---------------------------------------------------------------------------------------------- sorting

def _names_in_order(body: str, names: list[str]) -> list[str]:
    return sorted(names, key=body.index)


@pytest.mark.parametrize(("sort", "first"), [
    ("name", "মাসুমা বেগম"), ("-name", "রুবি আক্তার"),
    ("progress", "মাসুমা বেগম"), ("-progress", "রুবি আক্তার"),
    ("activity", "রুবি আক্তার"), ("-activity", "মাসুমা বেগম"),
    ("status", "মাসুমা বেগম"), ("-status", "রুবি আক্তার"),
])
def test_school_teachers_sort(client, story, places, sort, first):
    login(client, story, "head_teacher_masuma")
    body = client.get(school_url(places["school_hatia"]) + f"?sort={sort}").content.decode()
    listed = body[body.index('id="teachers"'):]
    assert _names_in_order(listed, ["রুবি আক্তার", "মাসুমা বেগম"])[0] == first
    assert 'aria-current="true"' in body


def test_sort_links_toggle_direction(client, story, places):
    login(client, story, "head_teacher_masuma")
    body = client.get(school_url(places["school_hatia"]) + "?sort=progress").content.decode()
    assert 'href="?sort=-progress"' in body and 'href="?sort=name"' in body
    body = client.get(school_url(places["school_hatia"]) + "?sort=-progress").content.decode()
    assert 'href="?sort=progress"' in body


# ---------------------------------------------------------------------------------------------- stages

@pytest.mark.parametrize(("who", "stage", "shown", "hidden"), [
    ("officer_hatia", "teachers", {"রুবি আক্তার", "মাসুমা বেগম", "কামরুন নাহার"}, {"লাইলা"}),
    ("officer_hatia", "enrolled", {"রুবি আক্তার", "মাসুমা বেগম", "কামরুন নাহার"}, {"লাইলা"}),
    ("officer_hatia", "completed", {"রুবি আক্তার", "কামরুন নাহার"}, {"মাসুমা বেগম"}),
    ("officer_hatia", "certified", {"রুবি আক্তার", "কামরুন নাহার"}, {"মাসুমা বেগম"}),
    ("officer_hatia", "trained", {"রুবি আক্তার"}, {"কামরুন নাহার", "মাসুমা বেগম"}),
    ("head_teacher_masuma", "enrolled", {"রুবি আক্তার", "মাসুমা বেগম"}, {"কামরুন নাহার"}),
    ("officer_noakhali", "enrolled", {"রুবি আক্তার", "লাইলা"}, set()),
    ("national_admin_nasrin", "certified", {"রুবি আক্তার", "কামরুন নাহার"}, {"লাইলা"}),
])
def test_stage_lists_the_area_teachers_at_that_stage(client, story, who, stage, shown, hidden):
    login(client, story, who)
    response = client.get(f"{PROGRESS}?stage={stage}")
    assert response.status_code == 200
    body = response.content.decode()
    listed = body[body.index('id="teachers"'):]
    assert all(name in listed for name in shown), stage
    assert not any(name in listed for name in hidden), stage


def test_stage_list_counts_match_the_totals(client, story):
    login(client, story, "officer_hatia")
    body = client.get(f"{PROGRESS}?stage=completed").content.decode()
    assert "২ জন শিক্ষক" in body or "2 teachers" in body or "২ teachers" in body


def test_stage_on_a_place_page_narrows_to_that_place(client, story, places):
    login(client, story, "officer_hatia")
    body = client.get(school_url(places["school_hatia_2"]) + "?stage=enrolled").content.decode()
    listed = body[body.index('id="teachers"'):]
    assert "কামরুন নাহার" in listed and "রুবি আক্তার" not in listed


def test_totals_link_to_stage_lists(client, story, places):
    login(client, story, "officer_hatia")
    body = client.get(PROGRESS).content.decode()
    for stage in progress.STAGES:
        assert f'href="?stage={stage}"' in body


# ---------------------------------------------------------------------------------------------- query counts

def _more_schools(places, story, course, n: int) -> None:
    for i in range(n):
        school = SchoolFactory(eiin=f"2{i:05d}", name_bn=f"বিদ্যালয় {i}", upazila=places["hatia"])
        for _ in range(2):
            teacher = UserFactory()
            grant(teacher, Role.Kind.TEACHER, school=school)
            certify(enrol(teacher, course, done=2, passed=1, completed=True, seen=timezone.now()))


def _queries(client, url: str) -> int:
    from django.db import connection

    client.get(url)  # warm her session, person and scope in the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("who", "url_of"), [
    ("officer_hatia", lambda p: place_url("upazila", p["hatia"].pk)),
    ("officer_hatia", lambda p: school_url(p["school_hatia"])),
    ("officer_hatia", lambda p: PROGRESS + "?stage=certified"),
    ("officer_noakhali", lambda p: place_url("district", p["noakhali"].pk)),
    ("national_admin_nasrin", lambda p: PROGRESS),
])
def test_queries_do_not_grow_with_rows(client, story, places, course, who, url_of, django_assert_max_num_queries):
    login(client, story, who)
    url = url_of(places)
    before = _queries(client, url)
    _more_schools(places, story, course, 6)
    for _ in range(4):
        grant(UserFactory(), Role.Kind.TEACHER, school=places["school_hatia"])
    after = _queries(client, url)
    assert after == before, (before, after)
    with django_assert_max_num_queries(16):
        client.get(url)


def test_school_page_queries_bounded(client, story, places, django_assert_max_num_queries):
    login(client, story, "head_teacher_masuma")
    client.get(school_url(places["school_hatia"]))
    with django_assert_max_num_queries(14):
        assert client.get(school_url(places["school_hatia"])).status_code == 200


def test_gets_write_nothing(client, story, places):
    from django.db import connection

    login(client, story, "officer_hatia")
    client.get(PROGRESS)
    with CaptureQueriesContext(connection) as ctx:
        for url in (PROGRESS, school_url(places["school_hatia"]), teacher_url(story["teacher_rubi"]),
                    PROGRESS + "?stage=trained"):
            client.get(url)
    writes = [q["sql"] for q in ctx.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "django_session" not in q["sql"]]
    assert writes == []


# ---------------------------------------------------------------------------------------------- pagination

def test_a_large_school_is_paginated(client, story, places, course):
    for _ in range(55):
        grant(UserFactory(), Role.Kind.TEACHER, school=places["school_hatia"])
    login(client, story, "head_teacher_masuma")
    body = client.get(school_url(places["school_hatia"])).content.decode()
    assert body.count("/progress/teacher/") == 50
    assert "?sort=name&amp;page=2" in body
    body = client.get(school_url(places["school_hatia"]) + "?sort=name&page=2").content.decode()
    assert body.count("/progress/teacher/") == 7


def test_english_page_reads_in_english(client, story, places):
    login(client, story, "head_teacher_masuma")
    client.cookies["django_language"] = "en"
    body = client.get(school_url(places["school_hatia"])).content.decode()
    assert "Rubi Akter" in body and "100% done" in body


# ---------------------------------------------------------------------------------------------- navigation

@pytest.mark.parametrize(("who", "linked"), [
    ("head_teacher_masuma", True), ("officer_hatia", True), ("mentor_hatia", True), ("officer_noakhali", True),
    ("national_admin_nasrin", True), ("teacher_rubi", False),
])
def test_people_and_school_pages_lead_to_progress(client, story, places, who, linked):
    """The people page (names, numbers, requests to join) and the school's page link to the progress page for
    those who may open it; a teacher of the school still sees her colleagues' names there, without a link."""
    login(client, story, who)
    target = school_url(places["school_hatia"])
    for url in (reverse("people:school_teachers", args=["100001"]), reverse("places:school", args=["100001"])):
        response = client.get(url)
        assert response.status_code == 200
        assert (target in response.content.decode()) == linked, url


def test_several_places_are_listed_with_their_counts(client, story, places):
    grant(story["officer_hatia"], Role.Kind.UPAZILA_OFFICER, upazila=places["subarnachar"])
    login(client, story, "officer_hatia")
    body = client.get(PROGRESS).content.decode()
    assert place_url("upazila", places["hatia"].pk) in body
    assert place_url("upazila", places["subarnachar"].pk) in body
    assert 'href="?stage=enrolled"' in body
    listed = client.get(f"{PROGRESS}?stage=enrolled").content.decode()
    assert "লাইলা" in listed and "রুবি আক্তার" in listed  # both upazilas now


def test_a_full_page_stays_light(client, story, places, course):
    """Fifty teachers on one page: the HTML stays within the 14 KB budget, compressed."""
    import gzip

    for _ in range(50):
        teacher = UserFactory()
        grant(teacher, Role.Kind.TEACHER, school=places["school_hatia"])
        certify(enrol(teacher, course, done=3, passed=1, completed=True, seen=timezone.now()))
    login(client, story, "head_teacher_masuma")
    body = client.get(school_url(places["school_hatia"])).content
    assert len(gzip.compress(body)) <= 14 * 1024, len(gzip.compress(body))


def test_empty_school_and_stage_say_so(client, story, places):
    login(client, story, "national_admin_nasrin")
    body = client.get(school_url(places["school_sylhet"])).content.decode()
    assert 'class="empty"' in body and "No teacher of this school has joined yet." in body
    body = client.get(school_url(places["school_sylhet"]) + "?stage=trained").content.decode()
    assert 'class="empty"' in body and "No teacher has reached this stage yet." in body


@pytest.mark.parametrize("who", ["head_teacher_masuma", "officer_noakhali", "national_admin_nasrin"])
def test_teacher_page_costs_the_same_for_1_course_and_5(client, story, places, who):
    """Her courses, certificates and training: no query per course or certificate."""
    login(client, story, who)
    rubi = story["teacher_rubi"]
    few = _queries(client, teacher_url(rubi))
    for n in range(4):
        other = CourseFactory(title=f"কোর্স {n}")
        module = ModuleFactory(course=other)
        ActivityFactory(module=module)
        QuizFactory(module=module)
        certify(enrol(rubi, other, done=1, passed=1, completed=True, seen=timezone.now()))
    assert _queries(client, teacher_url(rubi)) == few
    assert client.get(teacher_url(rubi)).content.decode().count("কোর্স ") >= 4


def test_several_places_cost_the_same_as_one_each(client, story, places):
    """Her landing with several places: one query per level she holds, then the counts per level — not per place."""
    officer = story["officer_hatia"]
    grant(officer, Role.Kind.UPAZILA_OFFICER, upazila=places["subarnachar"])
    login(client, story, "officer_hatia")
    two = _queries(client, PROGRESS)
    more = list(places["noakhali"].upazilas.exclude(pk__in=[places["hatia"].pk, places["subarnachar"].pk])[:4])
    assert len(more) == 4
    for upazila in more:
        grant(officer, Role.Kind.UPAZILA_OFFICER, upazila=upazila)
    client.force_login(officer)  # her roles changed: her scope is read again once
    assert _queries(client, PROGRESS) == two
    assert client.get(PROGRESS).content.decode().count("/progress/upazila/") >= 6


@pytest.mark.parametrize("query", ["?sort=progress", "?sort=DROP", "?sort=-", "?page=abc", "?page=999",
                                   "?stage=nope&sort=%00"])
@pytest.mark.parametrize("who, level, key", [
    ("officer_noakhali", "district", "noakhali"), ("officer_hatia", "upazila", "hatia"),
    ("researcher_tanvir", "division", "chattagram"),
])
def test_area_pages_ignore_junk_query_strings(client, story, places, who, level, key, query):
    """Area pages are not sortable: a sort or a page that means nothing gives the page as it is, never a 500."""
    login(client, story, who)
    response = client.get(place_url(level, places[key].pk) + query)
    assert response.status_code == 200


def test_certificates_show_the_date_printed_on_them(client, story, places):
    """The date a certificate prints (`issued_on`, Dhaka's, kept when the demo moves it back), not a date derived
    again from `issued_at`."""
    from shikhon.core.bangla import format_date

    certificate = Certificate.objects.get(user=story["teacher_rubi"])
    printed = dt.date(2026, 1, 15)
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=printed)
    login(client, story, "head_teacher_masuma")
    for url in (school_url(places["school_hatia"]), teacher_url(story["teacher_rubi"])):
        body = client.get(url).content.decode()
        assert format_date(printed, "bn") in body, url
