"""Courses in the API: the public catalogue and course, enrolling, marking activities done, quiz attempts and her
enrolments — through the same selectors and services as the pages, every answer checked against the OpenAPI
document (ApiClient)."""

from __future__ import annotations

import pytest
from django.test import Client

from shikhon.api.tests.conftest import ApiClient, assert_error
from shikhon.courses import selectors, services
from shikhon.courses.models import ActivityProgress, Course, Enrolment, Question, QuizAttempt
from shikhon.courses.tests.factories import CourseFactory, course_with_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def course() -> Course:
    return course_with_content(modules=2, activities=2, slug="anonde-gonit", title="আনন্দে গণিত শিখি")


@pytest.fixture
def visitor(client) -> ApiClient:
    return ApiClient(client, None)


@pytest.fixture
def rubi(client, people, token_of) -> ApiClient:
    return ApiClient(client, token_of(people["teacher_rubi"]))


def as_(client, people, token_of, who: str) -> ApiClient:
    return ApiClient(client, token_of(people[who]))


def right_answers(attempt: QuizAttempt) -> dict[str, list[str]]:
    answers = {}
    for question, choices in selectors.attempt_questions(attempt):
        if question.kind == Question.Kind.NUMERIC:
            answers[str(question.pk)] = ["১২"]  # Bangla digits are numbers too
        else:
            answers[str(question.pk)] = [str(c.pk) for c in choices if c.is_correct]
    return answers


def start_quiz(api: ApiClient, course: Course, module_number: int = 1) -> dict:
    """Her activities of the module marked done through the API (a quiz opens after them), then an attempt."""
    module = course.modules.order_by("position")[module_number - 1]
    for activity in module.activities.all():
        assert api.post(f"/activities/{activity.pk}/done").status_code == 200
    response = api.post(f"/quizzes/{module.quiz.pk}/attempts")
    assert response.status_code == 200, response.content
    return response.json()


# --------------------------------------------------------------------------------------- public catalogue

def test_visitors_see_published_courses_not_drafts(visitor, course):
    CourseFactory(slug="draft-course", status=Course.Status.DRAFT)
    body = visitor.get("/courses").json()
    assert [c["slug"] for c in body["items"]] == ["anonde-gonit"]
    assert body["items"][0]["enrolled"] is False and body["items"][0]["estimated_hours"] == course.estimated_hours

    detail = visitor.get("/courses/anonde-gonit").json()
    assert [m["number"] for m in detail["modules"]] == [1, 2]
    assert [a["title"] for a in detail["modules"][0]["activities"]] == ["কাজ 1.1", "কাজ 1.2"]
    assert detail["modules"][0]["quiz"]["pass_percent"] == 60
    assert detail["modules"][0]["progress"] is None and detail["enrolment"] is None

    assert_error(visitor.get("/courses/draft-course"), 404, "not_found")
    assert_error(visitor.get("/courses/no-such-course"), 404, "not_found")


def test_a_draft_is_404_for_teachers_and_visible_to_authors(client, people, token_of):
    CourseFactory(slug="draft-course", status=Course.Status.DRAFT)
    assert_error(as_(client, people, token_of, "teacher_rubi").get("/courses/draft-course"), 404, "not_found")
    assert as_(client, people, token_of, "course_author_shirin").get("/courses/draft-course").status_code == 200


def test_catalogue_filters_and_pages(visitor, course):
    CourseFactory(slug="bangla-1", title="বাংলা পড়ি", subject="bangla", grade_from=3, grade_to=3)
    assert [c["slug"] for c in visitor.get("/courses", {"subject": "bangla"}).json()["items"]] == ["bangla-1"]
    assert [c["slug"] for c in visitor.get("/courses", {"grade": 3}).json()["items"]] == ["bangla-1"]
    assert [c["slug"] for c in visitor.get("/courses", {"q": "গণিত"}).json()["items"]] == ["anonde-gonit"]
    page = visitor.get("/courses", {"limit": 1, "page": 2}).json()
    assert page["count"] == 2 and page["pages"] == 2 and len(page["items"]) == 1


@pytest.mark.parametrize("params", [{"grade": 13}, {"grade": "x"}, {"subject": "Maths!"}, {"q": "a\x00"},
                                    {"limit": 0}])
def test_catalogue_bad_filters_answer_422(visitor, params):
    assert_error(visitor.get("/courses", params), 422, "invalid")


@pytest.mark.parametrize("slug", ["bad slug", "x" * 81, "%00", "ক"])
def test_bad_slugs_answer_4xx(visitor, slug):
    response = visitor.get(f"/courses/{slug}")
    assert response.status_code in (404, 422)


def test_visitors_may_not_enrol_or_study(visitor, course):
    activity = course.modules.first().activities.first()
    assert_error(visitor.post("/courses/anonde-gonit/enrol"), 401, "not_authenticated")
    assert_error(visitor.post(f"/activities/{activity.pk}/done"), 401, "not_authenticated")
    assert_error(visitor.get("/me/enrolments"), 401, "not_authenticated")
    assert_error(visitor.get(f"/quizzes/{course.modules.first().quiz.pk}"), 401, "not_authenticated")
    assert not Enrolment.objects.exists()


def test_a_bad_token_is_401_even_on_public_courses(client, course):
    assert_error(ApiClient(client, "shk_wrong").get("/courses"), 401, "invalid_token")


def test_catalogue_query_count_is_bounded(visitor, rubi, people, django_assert_max_num_queries):
    for n in range(30):
        CourseFactory(slug=f"c-{n}")
    visitor.get("/courses")
    with django_assert_max_num_queries(2):  # count, page
        assert len(visitor.get("/courses", {"limit": 100}).json()["items"]) == 30
    rubi.get("/courses")
    with django_assert_max_num_queries(4):  # token, count, page, her enrolled families
        assert len(rubi.get("/courses", {"limit": 100}).json()["items"]) == 30


# ------------------------------------------------------------------------------------- enrol and progress

def test_enrol_then_progress_per_module(rubi, people, course):
    body = rubi.post("/courses/anonde-gonit/enrol").json()
    assert body["enrolled"] is True and body["enrolment"]["modules_total"] == 2
    first, second = body["modules"]
    assert first["progress"] == {"unlocked": True, "activities_done": 0, "activities_total": 2,
                                 "quiz_passed": False, "finished": False, "done_activity_ids": []}
    assert second["progress"]["unlocked"] is False
    enrolment = Enrolment.objects.get(user=people["teacher_rubi"])
    assert enrolment.school_id == people["teacher_rubi"].roles.first().school_id

    again = rubi.post("/courses/anonde-gonit/enrol").json()  # enrolling twice changes nothing
    assert again["enrolment"]["enrolled_at"] == body["enrolment"]["enrolled_at"]
    assert Enrolment.objects.count() == 1

    activity = first["activities"][0]["id"]
    done = rubi.post(f"/activities/{activity}/done").json()
    assert done["done"] is True and done["module"]["activities_done"] == 1
    assert done["module"]["done_activity_ids"] == [activity]

    mine = rubi.get("/me/enrolments").json()
    assert mine["count"] == 1
    assert mine["items"][0]["course"] == "anonde-gonit" and mine["items"][0]["modules_finished"] == 0


def test_prerequisites_refuse_with_409_and_the_services_sentence(rubi, course):
    later = CourseFactory(slug="later")
    later.prerequisites.add(course)
    error = assert_error(rubi.post("/courses/later/enrol", HTTP_ACCEPT_LANGUAGE="en"), 409, "conflict")
    assert error["message"].startswith("First complete these courses:")
    assert error["details"]["reason"] == "prerequisites"
    assert not Enrolment.objects.exists()


def test_marking_an_activity_in_a_locked_module_or_unenrolled_is_refused(rubi, course):
    locked = course.modules.order_by("position")[1].activities.first()
    error = assert_error(rubi.post(f"/activities/{locked.pk}/done", HTTP_ACCEPT_LANGUAGE="en"), 409, "conflict")
    assert error["details"]["reason"] == "not_enrolled" and error["message"] == "Enrol in this course first."
    rubi.post("/courses/anonde-gonit/enrol")
    error = assert_error(rubi.post(f"/activities/{locked.pk}/done"), 409, "conflict")
    assert error["details"]["reason"] == "locked"
    assert not ActivityProgress.objects.exists()


@pytest.mark.parametrize("language", ["bn", "en"])
def test_refusals_follow_accept_language(rubi, course, language):
    """The sentence is the service's, in the caller's language (tests run on the English msgids; the real Bangla
    catalogue is checked in tests/test_bangla_catalogue.py)."""
    locked = course.modules.order_by("position")[1].activities.first()
    response = rubi.post(f"/activities/{locked.pk}/done", HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Language"] == language
    assert_error(response, 409, "conflict")


def test_activities_of_drafts_and_unknown_ids_are_404(rubi, course):
    draft = course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)
    assert_error(rubi.post(f"/activities/{draft.modules.first().activities.first().pk}/done"), 404, "not_found")
    assert_error(rubi.post("/activities/999999/done"), 404, "not_found")
    assert_error(rubi.post("/activities/0/done"), 422, "invalid")


def test_my_enrolments_query_count_is_bounded(client, people, token_of, django_assert_max_num_queries):
    rubi = people["teacher_rubi"]
    api = ApiClient(client, token_of(rubi))
    courses = [course_with_content(modules=2, activities=1) for _ in range(6)]
    services.enrolment_create(actor=rubi, course=courses[0])
    api.get("/me/enrolments")
    with django_assert_max_num_queries(6):
        assert api.get("/me/enrolments").json()["count"] == 1
    for course in courses[1:]:
        services.enrolment_create(actor=rubi, course=course)
    with django_assert_max_num_queries(6):
        assert api.get("/me/enrolments").json()["count"] == 6


# -------------------------------------------------------------------------------------------- quizzes

def test_quiz_attempt_start_submit_result(rubi, people, course):
    rubi.post("/courses/anonde-gonit/enrol")
    quiz = course.modules.order_by("position")[0].quiz
    for activity in quiz.module.activities.all():
        rubi.post(f"/activities/{activity.pk}/done")
    state = rubi.get(f"/quizzes/{quiz.pk}").json()
    assert state["can_start"] is True and state["attempts_used"] == 0 and state["blocked"] is None

    attempt = rubi.post(f"/quizzes/{quiz.pk}/attempts").json()
    assert attempt["status"] == "open" and attempt["result"] is None and len(attempt["questions"]) == 2
    assert all("is_correct" not in c for q in attempt["questions"] for c in q["choices"])  # never the key
    assert rubi.post(f"/quizzes/{quiz.pk}/attempts").json()["id"] == attempt["id"]  # the open one continues
    assert rubi.get(f"/attempts/{attempt['id']}").json()["status"] == "open"

    row = QuizAttempt.objects.get(pk=attempt["id"])
    result = rubi.post(f"/attempts/{attempt['id']}/submit", {"answers": right_answers(row)}).json()
    assert result["status"] == "submitted"
    assert result["result"]["score_percent"] == 100 and result["result"]["passed"] is True
    assert all(a["correct"] for a in result["result"]["answers"])
    assert rubi.get(f"/attempts/{attempt['id']}").json()["result"]["score_percent"] == 100

    error = assert_error(rubi.post(f"/attempts/{attempt['id']}/submit", {"answers": {}}), 409, "conflict")
    assert error["details"]["reason"] == "already_submitted"
    assert QuizAttempt.objects.get(pk=attempt["id"]).score_percent == 100

    assert rubi.get(f"/quizzes/{quiz.pk}").json()["passed"] is True


def test_wrong_answers_score_on_the_server(rubi, course):
    rubi.post("/courses/anonde-gonit/enrol")
    attempt = start_quiz(rubi, course)
    result = rubi.post(f"/attempts/{attempt['id']}/submit", {"answers": {}}).json()["result"]
    assert result["score_percent"] == 0 and result["passed"] is False and result["correct_count"] == 0


def test_the_whole_course_through_the_api_completes_it(rubi, people, course):
    rubi.post("/courses/anonde-gonit/enrol")
    for number in (1, 2):
        attempt = start_quiz(rubi, course, number)
        row = QuizAttempt.objects.get(pk=attempt["id"])
        result = rubi.post(f"/attempts/{attempt['id']}/submit", {"answers": right_answers(row)}).json()
        assert result["result"]["passed"] is True
    assert result["result"]["course_completed"] is True
    detail = rubi.get("/courses/anonde-gonit").json()
    assert detail["enrolment"]["completed"] is True
    assert all(m["progress"]["finished"] for m in detail["modules"])
    assert rubi.get("/me/enrolments").json()["items"][0]["modules_finished"] == 2


def test_a_locked_quiz_is_refused_with_the_reason(rubi, course):
    quiz = course.modules.order_by("position")[1].quiz
    error = assert_error(rubi.post(f"/quizzes/{quiz.pk}/attempts"), 409, "conflict")
    assert error["details"]["reason"] == "not_enrolled"
    rubi.post("/courses/anonde-gonit/enrol")
    state = rubi.get(f"/quizzes/{quiz.pk}").json()
    assert state["can_start"] is False and state["blocked"]["code"] == "locked"
    error = assert_error(rubi.post(f"/quizzes/{quiz.pk}/attempts"), 409, "conflict")
    assert error["details"]["reason"] == "locked"
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize("answers, status", [
    ({"999999": ["1"]}, 400),          # a question that was not shown
    ({"QUESTION": ["1"]}, 422),        # not an id
    ({"1": ["x" * 41]}, 422),          # too long
    ({"1": [1]}, 422),                 # not a string
    ("everything", 422),
])
def test_bad_answers_are_refused_and_nothing_is_stored(rubi, course, answers, status):
    rubi.post("/courses/anonde-gonit/enrol")
    attempt = start_quiz(rubi, course)
    error = assert_error(rubi.post(f"/attempts/{attempt['id']}/submit", {"answers": answers}), status,
                         "bad_request" if status == 400 else "invalid")
    assert error["message"]
    assert QuizAttempt.objects.get(pk=attempt["id"]).submitted_at is None


def test_a_choice_of_another_question_is_400(rubi, course):
    rubi.post("/courses/anonde-gonit/enrol")
    attempt = start_quiz(rubi, course)
    single = next(q for q in attempt["questions"] if q["kind"] == "single")
    numeric = next(q for q in attempt["questions"] if q["kind"] == "numeric")
    answers = {str(single["id"]): ["999999"], str(numeric["id"]): ["12"]}
    error = assert_error(rubi.post(f"/attempts/{attempt['id']}/submit", {"answers": answers},
                                   HTTP_ACCEPT_LANGUAGE="en"), 400, "bad_request")
    assert error["message"] == "One of the answers is not valid. Please answer again."
    assert error["details"]["reason"] == "invalid_answer"
    error = assert_error(rubi.post(f"/attempts/{attempt['id']}/submit",
                                   {"answers": {str(numeric["id"]): ["twelve"]}}), 400, "bad_request")
    assert QuizAttempt.objects.get(pk=attempt["id"]).submitted_at is None


@pytest.mark.parametrize("who", ["head_teacher_masuma", "officer_hatia", "teacher_of_other_school",
                                 "officer_other_upazila"])
def test_another_persons_attempt_is_404(client, people, token_of, rubi, course, who):
    rubi.post("/courses/anonde-gonit/enrol")
    attempt = start_quiz(rubi, course)
    other = as_(client, people, token_of, who)
    assert_error(other.get(f"/attempts/{attempt['id']}"), 404, "not_found")
    assert_error(other.post(f"/attempts/{attempt['id']}/submit", {"answers": {}}), 404, "not_found")
    assert QuizAttempt.objects.get(pk=attempt["id"]).submitted_at is None


def test_session_callers_need_the_csrf_token_to_write(people, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["teacher_rubi"])
    api = ApiClient(client, None)
    assert api.get("/courses/anonde-gonit").json()["enrolled"] is False
    assert_error(api.post("/courses/anonde-gonit/enrol"), 403, "csrf_failed")
    assert not Enrolment.objects.exists()


def _queries(api: ApiClient, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.get(path)  # the published outline and her token warm
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["visitor", "enrolled"])
def test_a_course_costs_the_same_with_2_modules_and_10(client, people, token_of, who):
    """Modules, activities, quizzes and her progress: no query per module or activity."""
    counts = []
    for modules in (2, 10):
        course = course_with_content(modules=modules, activities=2, slug=f"course-{modules}")
        api = ApiClient(client, None)
        if who == "enrolled":
            api = ApiClient(client, token_of(people["teacher_rubi"]))
            services.enrolment_create(actor=people["teacher_rubi"], course=course)
        counts.append(_queries(api, f"/courses/{course.slug}"))
        assert len(api.get(f"/courses/{course.slug}").json()["modules"]) == modules
    assert counts[0] == counts[1], counts


def test_my_enrolments_cost_the_same_for_2_and_10(client, people, token_of):
    rubi = people["teacher_rubi"]
    api = ApiClient(client, token_of(rubi))
    courses = [course_with_content(modules=2, activities=2) for _ in range(10)]
    for course in courses[:2]:
        services.enrolment_create(actor=rubi, course=course)
    few = _queries(api, "/me/enrolments")
    for course in courses[2:]:
        services.enrolment_create(actor=rubi, course=course)
    assert _queries(api, "/me/enrolments") == few
    assert api.get("/me/enrolments", {"limit": 100}).json()["count"] == 10
