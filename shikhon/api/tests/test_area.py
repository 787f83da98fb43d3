"""/area/enrolments and /area/completions: the enrolments of the schools she heads and the areas she oversees
(`Scope.headed_or_overseen_q` on the enrolment's own place ids), one page at a time; nothing for a teacher."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shikhon.api.tests.conftest import ApiClient, assert_error
from shikhon.courses import services
from shikhon.courses.models import Enrolment
from shikhon.courses.tests.factories import CourseFactory
from shikhon.people.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def as_(client, people, token_of, who: str) -> ApiClient:
    return ApiClient(client, token_of(people[who]))


@pytest.fixture
def enrolled(people):
    """Rubi (Hatia school) completed; Kamrun (another Hatia school) and Laila (Subarnachar) are studying."""
    course = CourseFactory(slug="anonde-gonit")
    rows = {who: services.enrolment_create(actor=people[who], course=course)
            for who in ("teacher_rubi", "teacher_of_other_school", "teacher_subarnachar")}
    rows["teacher_rubi"].completed_at = timezone.now()
    rows["teacher_rubi"].save(update_fields=["completed_at"])
    return rows


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["teacher"]["name_en"] for item in response.json()["items"]}


@pytest.mark.parametrize("who, everyone, completed", [
    ("officer_hatia", {"Rubi Akter", "Kamrun Nahar"}, {"Rubi Akter"}),
    ("officer_other_upazila", {"Laila"}, set()),
    ("officer_noakhali", {"Rubi Akter", "Kamrun Nahar", "Laila"}, {"Rubi Akter"}),
    ("mentor_hatia", {"Rubi Akter", "Kamrun Nahar"}, {"Rubi Akter"}),
    ("head_teacher_masuma", {"Rubi Akter"}, {"Rubi Akter"}),       # her school only
    ("national_admin_nasrin", {"Rubi Akter", "Kamrun Nahar", "Laila"}, {"Rubi Akter"}),
    ("officer_sylhet_upazila", set(), set()),
])
def test_each_role_sees_its_area(client, people, token_of, enrolled, who, everyone, completed):
    api = as_(client, people, token_of, who)
    assert names(api.get("/area/enrolments")) == everyone
    assert names(api.get("/area/completions")) == completed


@pytest.mark.parametrize("who", ["teacher_rubi", "teacher_pending_zahid", "researcher_tanvir", "no_role_user",
                                 "course_author_shirin"])
def test_those_who_oversee_nothing_get_404(client, people, token_of, enrolled, who):
    api = as_(client, people, token_of, who)
    assert_error(api.get("/area/enrolments"), 404, "not_found")
    assert_error(api.get("/area/completions"), 404, "not_found")


def test_anonymous_callers_get_401(client, enrolled):
    assert_error(ApiClient(client, None).get("/area/enrolments"), 401, "not_authenticated")


def test_filters_inside_the_area_and_404_outside(client, people, places, token_of, enrolled):
    district = as_(client, people, token_of, "officer_noakhali")
    assert names(district.get("/area/enrolments", {"upazila": places["subarnachar"].pk})) == {"Laila"}
    assert names(district.get("/area/enrolments", {"school": places["school_hatia"].pk})) == {"Rubi Akter"}

    other = as_(client, people, token_of, "officer_other_upazila")
    assert_error(other.get("/area/enrolments", {"upazila": places["hatia"].pk}), 404, "not_found")
    assert_error(other.get("/area/completions", {"school": places["school_hatia"].pk}), 404, "not_found")
    assert_error(other.get("/area/enrolments", {"school": 999999}), 404, "not_found")
    head = as_(client, people, token_of, "head_teacher_masuma")
    assert_error(head.get("/area/enrolments", {"school": places["school_hatia_2"].pk}), 404, "not_found")
    assert_error(head.get("/area/enrolments", {"upazila": places["hatia"].pk}), 404, "not_found")


@pytest.mark.parametrize("params", [{"school": 0}, {"upazila": "x"}, {"limit": 101}, {"page": 0}])
def test_bad_filters_answer_422(client, people, token_of, params):
    assert_error(as_(client, people, token_of, "officer_hatia").get("/area/enrolments", params), 422, "invalid")


def test_pages_and_query_count(client, people, places, token_of, django_assert_max_num_queries):
    course = CourseFactory()
    for n in range(12):
        teacher = UserFactory(phone=f"+88017120000{n:02d}")
        grant(teacher, "teacher", school=places["school_hatia"])
        services.enrolment_create(actor=teacher, course=course)
    api = as_(client, people, token_of, "officer_hatia")
    api.get("/area/enrolments")
    with django_assert_max_num_queries(4):  # token, scope, count, page (with teacher and course)
        first = api.get("/area/enrolments", {"limit": 5}).json()
    assert first["count"] == 12 and first["pages"] == 3 and len(first["items"]) == 5
    with django_assert_max_num_queries(4):
        assert len(api.get("/area/enrolments", {"limit": 100}).json()["items"]) == 12


def _queries(api: ApiClient, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path, {"limit": 100}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/area/enrolments", "/area/completions"])
def test_query_count_is_the_same_for_2_rows_and_10(client, people, places, token_of, path):
    def enrol(n: int) -> None:
        for _ in range(n):
            teacher = UserFactory()
            grant(teacher, "teacher", school=places["school_hatia"])
            services.enrolment_create(actor=teacher, course=CourseFactory())  # a course each: no shared row
        Enrolment.objects.update(completed_at=timezone.now())

    api = as_(client, people, token_of, "officer_noakhali")
    enrol(2)
    api.get(path)
    few = _queries(api, path)
    enrol(8)
    assert _queries(api, path) == few
    assert api.get(path, {"limit": 100}).json()["count"] == 10


# The API's area is the progress pages' own (insights.progress.access_area): whoever may open a school's page (its
# teachers by name) or an upazila's list of names may filter the API by it, and no one else.
@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "head_teacher_subarnachar", "mentor_hatia",
                                 "officer_hatia", "officer_other_upazila", "officer_noakhali", "officer_chattagram",
                                 "officer_sylhet_upazila", "national_admin_nasrin", "researcher_tanvir",
                                 "course_author_shirin", "no_role_user"])
@pytest.mark.parametrize("place", ["school_hatia", "school_hatia_2", "school_subarnachar", "hatia", "subarnachar"])
def test_filters_answer_as_the_progress_pages_do(client, people, places, token_of, enrolled, who, place):
    page_client = type(client)()
    page_client.force_login(people[who])
    level = "school" if place.startswith("school") else "upazila"
    key = places[place].eiin if level == "school" else places[place].pk
    page = page_client.get(f"/progress/{level}/{key}/?stage=enrolled")
    response = as_(client, people, token_of, who).get("/area/enrolments", {level: places[place].pk})
    assert response.status_code == page.status_code, (response.status_code, page.status_code)
    if page.status_code == 404:
        assert_error(response, 404, "not_found")
