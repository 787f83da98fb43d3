"""The status page (hers; a teacher in the reader's scope with ?teacher=) and the area page (ongoing users per
place, one grouped query per level; the contrast of schools; cost per ongoing user with its formula): every role,
own and other place, bad input (a sentence or the page, never a 500), bounded queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from shikhon.certificates.models import Certificate
from shikhon.certificates.services import certificate_issue
from shikhon.people.models import Role
from shikhon.people.scope import everything_q, user_scope
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.practice.models import OngoingStatus
from shikhon.practice.selectors.status import CostPerOngoing, area_q, ongoing_counts_by_place
from shikhon.practice.services.status import ongoing_evaluate, ongoing_evaluate_all
from shikhon.practice.tests.test_status_support import Practice
from shikhon.training.models import CourseCost

pytestmark = pytest.mark.django_db

STATUS = reverse("practice:status")
AREA = reverse("practice:area")


@pytest.fixture
def practice(people, places) -> Practice:
    return Practice(people, places)


@pytest.fixture
def rubi_ongoing(people, practice) -> OngoingStatus:
    practice.ongoing(people["teacher_rubi"])
    return ongoing_evaluate(teacher=people["teacher_rubi"])


def _url(teacher) -> str:
    return f"{STATUS}?teacher={teacher.pk}"


# ------------------------------------------------------------------------------------------------ status page

def test_her_own_status_page(client, people, rubi_ongoing):
    client.force_login(people["teacher_rubi"])
    response = client.get(STATUS)
    body = response.content.decode()
    assert response.status_code == 200
    assert "My practice status" in body and "Ongoing user" in body
    assert "An ongoing user has made at least" in body  # the definition's sentence, beside the status
    assert "The certificate of practice needs at least" in body
    assert "Practice records of this course" in body  # progress, condition by condition


@pytest.mark.parametrize(("who", "code"), [
    ("teacher_rubi", 200), ("head_teacher_masuma", 200), ("officer_hatia", 200), ("mentor_hatia", 200),
    ("officer_noakhali", 200), ("officer_chattagram", 200), ("national_admin_nasrin", 200),
    ("teacher_of_other_school", 404), ("head_teacher_subarnachar", 404), ("officer_other_upazila", 404),
    ("officer_sylhet_upazila", 404), ("researcher_tanvir", 404), ("course_author_shirin", 404),
    ("no_role_user", 404), ("teacher_pending_zahid", 404),
])
def test_rubis_status_page_by_role(client, people, rubi_ongoing, who, code):
    client.force_login(people[who])
    response = client.get(_url(people["teacher_rubi"]))
    assert response.status_code == code
    if code == 200 and who != "teacher_rubi":
        assert "রুবি আক্তার" in response.content.decode()


def test_a_colleague_does_not_see_her_status(client, people, rubi_ongoing):
    colleague: Any = UserFactory(phone="+8801711000031")
    grant(colleague, Role.Kind.TEACHER, school=people["teacher_rubi"].roles.first().school)
    client.force_login(colleague)
    assert client.get(_url(people["teacher_rubi"])).status_code == 404


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "99999999999999999999999", "১২৩৪৫৬", "%00", "1 OR 1=1"])
def test_bad_teacher_ids_are_404(client, people, raw):
    client.force_login(people["officer_hatia"])
    assert client.get(STATUS, {"teacher": raw}).status_code == 404


def test_needs_sign_in(client):
    assert client.get(STATUS).status_code == 302
    assert client.get(AREA).status_code == 302


def test_check_now_writes_her_status(client, people, practice):
    rubi = people["teacher_rubi"]
    practice.ongoing(rubi)
    client.force_login(rubi)
    response = client.post(STATUS, {"action": "evaluate"}, follow=True)
    assert response.status_code == 200 and "Checked now" in response.content.decode()
    assert OngoingStatus.objects.get(teacher=rubi, is_latest=True).is_ongoing


def test_her_head_teacher_may_check_now(client, people, practice):
    rubi = people["teacher_rubi"]
    practice.ongoing(rubi)
    client.force_login(people["head_teacher_masuma"])
    response = client.post(STATUS, {"action": "evaluate", "teacher": rubi.pk})
    assert response.status_code == 302 and response["Location"] == _url(rubi)
    assert OngoingStatus.objects.filter(teacher=rubi).exists()


def test_an_outsider_may_not_check_her(client, people, practice):
    client.force_login(people["officer_other_upazila"])
    assert client.post(STATUS, {"action": "evaluate", "teacher": people["teacher_rubi"].pk}).status_code == 404
    assert not OngoingStatus.objects.exists()


@pytest.mark.parametrize("data", [{"action": "nonsense"}, {}, {"action": "certificate", "family": "x" * 5000},
                                  {"action": "certificate", "family": "0b7d2c1e-1111-4222-8333-444455556666"},
                                  {"action": "certificate"}])
def test_bad_posts_answer_a_sentence(client, people, practice, data):
    practice.record("teacher_rubi")
    client.force_login(people["teacher_rubi"])
    response = client.post(STATUS, data, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose one of the" in body
    assert not Certificate.objects.exists() and not OngoingStatus.objects.exists()


def test_check_the_certificate_now_says_not_yet(client, people, practice):
    practice.record("teacher_rubi")
    client.force_login(people["teacher_rubi"])
    response = client.post(STATUS, {"action": "certificate", "family": str(practice.course.family)}, follow=True)
    assert "Not yet" in response.content.decode() and not Certificate.objects.exists()


def test_status_page_writes_nothing_on_get(client, people, rubi_ongoing, django_assert_max_num_queries):
    client.force_login(people["head_teacher_masuma"])
    with django_assert_max_num_queries(30) as captured:
        assert client.get(_url(people["teacher_rubi"])).status_code == 200
    writes = [q["sql"] for q in captured.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "django_session" not in q["sql"]]
    assert writes == []


# ------------------------------------------------------------------------------------------------ area page

@pytest.mark.parametrize(("who", "code"), [
    ("officer_hatia", 200), ("mentor_hatia", 200), ("officer_other_upazila", 200), ("officer_noakhali", 200),
    ("officer_chattagram", 200), ("national_admin_nasrin", 200), ("researcher_tanvir", 200),
    ("teacher_rubi", 404), ("head_teacher_masuma", 404), ("course_author_shirin", 404), ("no_role_user", 404),
])
def test_area_page_by_role(client, people, rubi_ongoing, who, code):
    client.force_login(people[who])
    assert client.get(AREA).status_code == code


def test_area_page_shows_her_school_with_the_definition(client, people, rubi_ongoing):
    client.force_login(people["officer_hatia"])
    body = client.get(AREA).content.decode()
    assert "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়" in body
    assert "An ongoing user has made at least" in body
    assert "রুবি" not in body  # counts, not names


def test_area_page_names_places_in_the_readers_language(client, people, rubi_ongoing):
    """Regression (browser story of issue 11): the English page named the schools in Bangla."""
    client.force_login(people["officer_hatia"])
    school = people["teacher_rubi"].roles.first().school
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    body = client.get(AREA).content.decode()
    assert school.name_en and school.name_en in body
    assert school.name_bn not in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    assert school.name_bn in client.get(AREA).content.decode()


def test_another_upazilas_officer_sees_only_his_area(client, people, rubi_ongoing):
    client.force_login(people["officer_other_upazila"])
    body = client.get(AREA).content.decode()
    assert "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়" not in body
    assert "No teacher&#x27;s status is checked here yet." in body or "No teacher's status is checked" in body


def test_researcher_sees_counts_without_names(client, people, rubi_ongoing):
    client.force_login(people["researcher_tanvir"])
    for level in ("district", "upazila", "school"):
        body = client.get(AREA, {"level": level}).content.decode()
        assert "রুবি" not in body and "Rubi" not in body
    body = client.get(AREA, {"level": "district"}).content.decode()
    assert "নোয়াখালী" in body or "Noakhali" in body


@pytest.mark.parametrize("params", [{"level": "junk"}, {"level": "school", "page": "zz"}, {"page": "-5"},
                                    {"page": "99999999999999999999"}, {"level": "x" * 3000}, {"level": "\x00"}])
def test_area_bad_input_answers_the_page(client, people, rubi_ongoing, params):
    client.force_login(people["officer_noakhali"])
    assert client.get(AREA, params).status_code == 200


@pytest.mark.parametrize(("level", "key"), [("school", "school_hatia"), ("upazila", "hatia"),
                                             ("district", "noakhali")])
def test_area_counts_one_query_per_level(people, practice, level, key, django_assert_num_queries):
    practice.ongoing(people["teacher_rubi"])
    practice.record(people["teacher_of_other_school"])  # checked, not ongoing
    practice.ongoing(people["teacher_subarnachar"])
    ongoing_evaluate_all()
    area = area_q(user_scope(people["officer_noakhali"]))
    with django_assert_num_queries(1):
        rows = {pk: (ongoing, evaluated) for pk, ongoing, evaluated in ongoing_counts_by_place(area, level)}
    place = practice.places[key]
    if level == "school":
        assert rows[place.pk] == (1, 1)
        assert rows[practice.places["school_hatia_2"].pk] == (0, 1)
    elif level == "upazila":
        assert rows[place.pk] == (1, 2) and rows[practice.places["subarnachar"].pk] == (1, 1)
    else:
        assert rows == {place.pk: (2, 3)}
    everything = {pk: n for pk, n, _e in ongoing_counts_by_place(everything_q(), level)}
    assert sum(everything.values()) == 2


def test_area_page_costs_the_same_for_few_and_many_schools(client, people, practice,
                                                           django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    practice.ongoing(people["teacher_rubi"])
    practice.completed(people["teacher_of_other_school"], "school_hatia_2")
    ongoing_evaluate_all()
    client.force_login(people["officer_noakhali"])
    client.get(AREA, {"level": "school"})  # the session and her scope cached, as on every later page
    with CaptureQueriesContext(connection) as few:
        assert client.get(AREA, {"level": "school"}).status_code == 200
    for i in range(6):
        teacher: Any = UserFactory(phone=f"+88017330{i:05d}")
        grant(teacher, Role.Kind.TEACHER, school=practice.places["school_hatia_2" if i % 2 else "school_subarnachar"])
        practice.ongoing(teacher)
        practice.completed(teacher, "school_hatia_2" if i % 2 else "school_subarnachar")
    ongoing_evaluate_all()
    with CaptureQueriesContext(connection) as many:
        assert client.get(AREA, {"level": "school"}).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(30):
        client.get(AREA, {"level": "upazila"})


def test_contrast_of_finished_but_not_practising_schools(client, people, practice):
    practice.ongoing(people["teacher_rubi"])
    practice.completed(people["teacher_rubi"])
    practice.completed(people["teacher_of_other_school"], "school_hatia_2")  # finished, never practised
    ongoing_evaluate_all()
    client.force_login(people["officer_hatia"])
    body = client.get(AREA).content.decode()
    section = body[body.index('id="contrast"'):]
    assert "Schools with ongoing users: ১" in section or "Schools with ongoing users: 1" in section
    assert "চরকিং সরকারি প্রাথমিক বিদ্যালয়" in section  # finished, no practice
    assert ("recorded no practice in this time: ১" in section or "recorded no practice in this time: 1" in section)


# ------------------------------------------------------------------------------------------------ cost

@pytest.mark.parametrize(("per", "teachers", "ongoing", "expected"), [
    (Decimal(37), 1000, 120, Decimal(308)),    # 37,000 ÷ 120 = 308.33
    (Decimal(5), 1, 2, Decimal(3)),            # 2.5: halves up (training's rule)
    (Decimal(8013), 30, 4, Decimal(60098)),    # 240,390 ÷ 4 = 60,097.5 → 60,098
    (Decimal(37), 10, 0, None),                # nobody ongoing: no figure
    (None, 10, 5, None),                       # no cost recorded
])
def test_cost_per_ongoing_user_arithmetic(per, teachers, ongoing, expected):
    cost = CostPerOngoing(label="online", per_teacher=per, teachers=teachers, ongoing=ongoing)
    assert cost.per_ongoing == expected


def test_cost_per_ongoing_user_on_the_page_with_its_formula(client, people, practice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    rubi = people["teacher_rubi"]
    practice.ongoing(rubi)
    certificate_issue(enrolment_id=practice.completed(rubi).pk)
    other = practice.completed(people["teacher_of_other_school"], "school_hatia_2")
    certificate_issue(enrolment_id=other.pk)
    CourseCost.objects.create(course=practice.course, family=practice.course.family, year=2026,
                              development=Decimal(70), hosting=Decimal(3), sms=Decimal(1), other=Decimal(0))
    ongoing_evaluate_all()
    client.force_login(people["officer_hatia"])
    body = client.get(AREA).content.decode()
    costs = body[body.index('id="costs"'):]
    # 74 taka ÷ 2 certified = 37 per certified teacher; × 2 certified teachers ÷ 1 ongoing user = 74.
    assert "online cost per certified teacher" in costs and "× " in costs and "÷ " in costs
    assert "<b>৭৪ taka</b>" in costs or "<b>74 taka</b>" in costs
    assert "face-to-face cost per trained teacher" in costs or "Face to face: no figure yet" in costs
    client.force_login(people["mentor_hatia"])  # mentors see ongoing users, not costs (training's rule)
    assert 'id="costs"' not in client.get(AREA).content.decode()
