"""The certificate of practice: her progress against each condition of the rule in force, issued exactly once to
those who meet it (nightly, or by her "check now"), revocable and verified like course certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shikhon.certificates.models import Certificate
from shikhon.certificates.services import certificate_issue, certificate_revoke
from shikhon.core.clock import dhaka_today
from shikhon.practice.models import Rule
from shikhon.practice.services.status import (
    issue_key,
    practice_certificate_check,
    practice_certificate_progress,
    practice_certificates_issue,
)
from shikhon.practice.tasks import practice_certificates_issue_task
from shikhon.practice.tests.test_status_support import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHIKHON_PUBLIC_URL = "https://shikhon.example.gov.bd"


@pytest.fixture
def practice(people, places) -> Practice:
    return Practice(people, places)


def earn(practice: Practice, who: str = "teacher_rubi", *, certificate: bool = True, observed: bool = True,
         weeks: int = 8) -> None:
    """Six records over `weeks` weeks on three modules, one acknowledged; an observation; the course certificate."""
    days = [weeks * 7, 40, 30, 20, 10, 0]
    for i, days_ago in enumerate(days):
        practice.record(who, activity=(i * 2) % 6 if i < 3 else i % 6, days_ago=days_ago, acknowledged=i == 0)
    if observed:
        practice.observation(who)
    if certificate:
        assert certificate_issue(enrolment_id=practice.completed(who).pk) is not None


def test_progress_lists_every_condition_with_her_numbers(people, practice):
    rubi = people["teacher_rubi"]
    practice.record(rubi, activity=0, days_ago=21, acknowledged=True)
    practice.record(rubi, activity=2, days_ago=0)
    progress = practice_certificate_progress(rubi, practice.course.family)
    numbers = {c.code: (c.have, c.need, c.met) for c in progress.conditions}
    assert numbers == {"course_certificate": (0, 1, False), "records": (2, 6, False), "weeks": (3, 8, False),
                       "modules": (2, 3, False), "acknowledged": (1, 1, True), "observations": (0, 1, False)}
    assert not progress.met and progress.course_title == "আনন্দে গণিত শিখি"
    assert progress.certificate_id is None


def test_issued_exactly_once_to_who_meets_the_rule(people, practice):
    earn(practice)
    earn(practice, "teacher_of_other_school", observed=False)  # no observation: not yet
    assert practice_certificates_issue() == 1
    assert practice_certificates_issue() == 0  # run twice: still one
    practice_certificates_issue_task.enqueue()  # the task too (immediate backend in tests)
    issued = Certificate.objects.filter(kind=Certificate.Kind.PRACTICE)
    assert issued.count() == 1
    certificate = issued.get()
    rubi = people["teacher_rubi"]
    assert certificate.user == rubi and certificate.issue_key == issue_key(rubi.pk, practice.course.family)
    assert certificate.family is None and certificate.enrolment_id is None  # not a course certificate
    assert certificate.course_title == "আনন্দে গণিত শিখি"
    assert certificate.held_from == dhaka_today() - dt.timedelta(weeks=8) and certificate.held_to == dhaka_today()
    assert certificate.school_id == practice.places["school_hatia"].pk
    assert certificate.pdf  # rendered at issue
    assert practice_certificate_progress(rubi, practice.course.family).certificate_id == certificate.pk


@pytest.mark.parametrize("missing", ["course_certificate", "weeks"])
def test_not_issued_without_a_condition(people, practice, missing):
    earn(practice, certificate=missing != "course_certificate", weeks=8 if missing != "weeks" else 7)
    assert practice_certificates_issue() == 0
    assert not Certificate.objects.filter(kind=Certificate.Kind.PRACTICE).exists()


def test_a_new_rule_version_decides_without_code(people, practice):
    earn(practice, observed=False)
    assert practice_certificates_issue() == 0
    Rule.objects.create(kind="certificate", version=2, in_force_from=dhaka_today(),
                        params={"needs_course_certificate": True, "min_records": 6, "min_weeks": 8,
                                "min_modules": 3, "min_acknowledged": 1, "min_observations": 0})
    assert practice_certificates_issue() == 1


def test_check_now_issues_once(people, practice):
    rubi = people["teacher_rubi"]
    earn(practice, observed=False)
    assert practice_certificate_check(teacher=rubi, family=practice.course.family) is None
    practice.observation(rubi)
    first = practice_certificate_check(teacher=rubi, family=practice.course.family)
    again = practice_certificate_check(teacher=rubi, family=practice.course.family)
    assert first is not None and again is not None and first.pk == again.pk
    assert practice_certificates_issue() == 0


def test_revoked_and_verified_like_course_certificates(client, people, practice):
    earn(practice)
    practice_certificates_issue()
    certificate = Certificate.objects.get(kind=Certificate.Kind.PRACTICE)
    body = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "This certificate is genuine" in body and "practice: the course" in body
    certificate_revoke(actor=people["officer_hatia"], certificate=certificate, reason="ভুল তথ্য।")
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    assert response.status_code == 200 and "This certificate was revoked" in response.content.decode()
    # Revoked, it is not issued again: the key is spent.
    assert practice_certificates_issue() == 0
