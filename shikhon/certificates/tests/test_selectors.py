from __future__ import annotations

import pytest
from django.utils import timezone

from shikhon.certificates.codes import format_code
from shikhon.certificates.selectors import certificates_of, certified_user_ids, verify_codes
from shikhon.certificates.services import certificate_issue, certificate_revoke
from shikhon.courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_certificates_of_is_her_own(people, rubi_certificate, certificate_of):
    certificate_of("teacher_of_other_school", "school_hatia_2")
    assert list(certificates_of(people["teacher_rubi"])) == [rubi_certificate]
    assert not certificates_of(people["officer_hatia"]).exists()


def test_certified_user_ids_count_any_version_and_not_revoked(people, places, course, enrol, rubi_certificate):
    # Kamrun finished version 2 of the same course family; Laila finished another course.
    version_2 = CourseFactory(family=course.family, version=2, status="archived", title="v2")
    certificate_issue(enrolment_id=enrol(people["teacher_of_other_school"], places["school_hatia_2"], on=version_2).pk)
    certificate_issue(enrolment_id=enrol(people["teacher_subarnachar"], places["school_subarnachar"],
                                         on=CourseFactory()).pk)
    rubi, kamrun = people["teacher_rubi"].pk, people["teacher_of_other_school"].pk
    assert set(certified_user_ids(course.family)) == {rubi, kamrun}
    certificate_revoke(actor=people["officer_hatia"], certificate=rubi_certificate, reason="Copied.")
    assert set(certified_user_ids(course.family)) == {kamrun}
    # Usable as a subquery.
    from shikhon.people.models import User

    assert list(User.objects.filter(pk__in=certified_user_ids(course.family))) == [people["teacher_of_other_school"]]


def test_verify_codes_in_order_with_every_status(people, rubi_certificate, certificate_of,
                                                 django_assert_num_queries):
    kamrun = certificate_of("teacher_of_other_school", "school_hatia_2")
    certificate_revoke(actor=people["officer_hatia"], certificate=kamrun, reason="Copied.")
    sent = [format_code(rubi_certificate.code).lower(), kamrun.code, "ABCD2345EFGH6789", "nonsense", ""]
    with django_assert_num_queries(1):
        results = verify_codes(sent)
    assert [r["code"] for r in results] == sent
    assert [r["status"] for r in results] == ["valid", "revoked", "unknown", "unknown", "unknown"]
    assert results[0]["holder_name_bn"] == "রুবি আক্তার" and results[0]["course"] == "আনন্দে গণিত শিখি"
    assert results[0]["issued_on"] == timezone.localdate() and results[0]["revoked_on"] is None
    assert results[1]["revoked_on"] == timezone.localdate()
    assert results[2] == {"code": "ABCD2345EFGH6789", "status": "unknown", "kind": None, "holder_name_bn": None,
                          "holder_name_en": None, "course": None, "school": None, "hours": None, "authority": None,
                          "issued_on": None, "revoked_on": None}
    with django_assert_num_queries(0):
        assert verify_codes(["bad"])[0]["status"] == "unknown"
