"""/me/certificates: her own certificates (`certificates.selectors.certificates_of`), whatever their kind."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shikhon.api.tests.conftest import ApiClient, assert_error
from shikhon.certificates.services import (
    certificate_issue,
    certificate_issue_practice,
    certificate_issue_training,
    certificate_revoke,
)
from shikhon.courses.models import Enrolment
from shikhon.courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(people, media_root, settings):
    settings.SHIKHON_PUBLIC_URL = "https://shikhon.example.gov.bd"
    course = CourseFactory(title="আনন্দে গণিত শিখি")
    rubi = people["teacher_rubi"]
    school = rubi.roles.first().school
    enrolment = Enrolment.objects.create(user=rubi, course=course, family=course.family, completed_at=timezone.now(),
                                         school_id=school.pk, upazila_id=school.upazila_id,
                                         district_id=school.district_id, division_id=school.division_id)
    return certificate_issue(enrolment_id=enrolment.pk)


def test_her_certificates(client, people, token_of, issued):
    body = ApiClient(client, token_of(people["teacher_rubi"])).get("/me/certificates").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["kind"] == "course" and item["code"] == issued.code and item["title"] == "আনন্দে গণিত শিখি"
    assert item["revoked"] is False and item["revoked_on"] is None
    assert item["verify_url"] == f"https://shikhon.example.gov.bd/verify/{issued.code}/"
    assert item["pdf_url"] == f"/certificates/{issued.pk}/pdf/"


def test_training_certificates_are_listed_too(client, people, token_of, issued):
    rubi = people["teacher_rubi"]
    day = timezone.localdate()
    training = certificate_issue_training(key="training-invitation:1", user=rubi, title="মুখোমুখি প্রশিক্ষণ", hours=36,
                                          venue="উপজেলা রিসোর্স সেন্টার", held_from=day, held_to=day, place={})
    items = ApiClient(client, token_of(rubi)).get("/me/certificates").json()["items"]
    assert {i["kind"] for i in items} == {"course", "training"}
    listed = next(i for i in items if i["kind"] == "training")
    assert listed["code"] == training.code and listed["hours"] == 36 and listed["venue"] == "উপজেলা রিসোর্স সেন্টার"
    assert listed["held_from"] == day.isoformat()


def test_certificates_of_practice_are_listed_too(client, people, token_of, issued):
    rubi = people["teacher_rubi"]
    day = timezone.localdate()
    practice = certificate_issue_practice(key=f"practice:{rubi.pk}:{issued.family}", user=rubi,
                                          title="আনন্দে গণিত শিখি", held_from=day, held_to=day, place={})
    items = ApiClient(client, token_of(rubi)).get("/me/certificates").json()["items"]
    assert {i["kind"] for i in items} == {"course", "practice"}
    assert next(i for i in items if i["kind"] == "practice")["code"] == practice.code


@pytest.mark.parametrize("who", ["head_teacher_masuma", "officer_hatia", "national_admin_nasrin",
                                 "teacher_of_other_school"])
def test_only_her_own_even_for_those_who_may_see_hers_on_the_site(client, people, token_of, issued, who):
    assert ApiClient(client, token_of(people[who])).get("/me/certificates").json()["count"] == 0


def test_a_revoked_certificate_says_so(client, people, token_of, issued):
    certificate_revoke(actor=people["officer_hatia"], certificate=issued, reason="ভুল করে দেওয়া।")
    item = ApiClient(client, token_of(people["teacher_rubi"])).get("/me/certificates").json()["items"][0]
    assert item["revoked"] is True and item["revoked_on"] is not None


def test_anonymous_callers_get_401(client, db):
    assert_error(ApiClient(client, None).get("/me/certificates"), 401, "not_authenticated")


def test_query_count(client, people, token_of, issued, django_assert_max_num_queries):
    api = ApiClient(client, token_of(people["teacher_rubi"]))
    api.get("/me/certificates")
    with django_assert_max_num_queries(3):  # token, count, page
        assert api.get("/me/certificates").status_code == 200


def _queries(api: ApiClient) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/me/certificates", {"limit": 100}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_the_same_for_2_certificates_and_10(client, people, token_of, issued):
    rubi = people["teacher_rubi"]
    api = ApiClient(client, token_of(rubi))
    day = timezone.localdate()

    def train(n: int) -> None:
        certificate_issue_training(key=f"training-invitation:{n}", user=rubi, title=f"প্রশিক্ষণ {n}", hours=6,
                                   venue="উপজেলা রিসোর্স সেন্টার", held_from=day, held_to=day, place={})

    train(1)
    api.get("/me/certificates")
    few = _queries(api)
    for n in range(2, 10):
        train(n)
    assert _queries(api) == few
    assert api.get("/me/certificates", {"limit": 100}).json()["count"] == 10
