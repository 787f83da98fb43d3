"""The practice demo (issue 11): Hatia GPS's circle with two ongoing users (one holding the certificate of
practice) beside Sonadia GPS, where everyone finished the course and nobody practises; the story teacher just short
of both rules, so the browser story can complete them; loading twice makes nothing twice."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps

from shikhon.certificates.models import Certificate
from shikhon.core.clock import dhaka_today
from shikhon.courses.models import Enrolment, Module
from shikhon.demo import data
from shikhon.demo.course import load_demo_course, load_demo_stages
from shikhon.demo.practice import HEAD_TEACHER_PHONE, SCHOOL_EIIN, load_demo_practice
from shikhon.people.models import User
from shikhon.people.phone import normalize_phone
from shikhon.people.scope import user_scope
from shikhon.places.models import School

PRACTICE_MODELS = ["practice.PracticePlan", "practice.PracticeRecord", "practice.Encouragement", "practice.Circle",
                   "practice.Meeting", "practice.Observation", "practice.ObservationEntry", "practice.TryNext",
                   "practice.ObservationReply", "practice.CheckRound", "practice.CheckResult",
                   "practice.OngoingStatus", "certificates.Certificate", "courses.Enrolment",
                   "courses.QuizAttempt", "people.User", "people.Role", "notify.Notification"]
OFFICER_HATIA = "01711000004"


def _counts() -> dict[str, int]:
    return {name: apps.get_model(name).objects.count() for name in PRACTICE_MODELS}


def _user(phone: str) -> User:
    return User.objects.get(phone=normalize_phone(phone))


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Certificates' PDFs are drawn as a stub: their rendering is tested in certificates.
    monkeypatch.setattr("shikhon.certificates.services.certificate_pdf_render", lambda certificate: b"%PDF-1.4 stub",
                        raising=False)
    said: list[str] = []
    data.load_demo()
    course = load_demo_course(videos=False)
    load_demo_stages(course)
    load_demo_practice(course, say=said.append)
    assert not [line for line in said if "WARNING" in line], said
    return course


def test_loading_twice_makes_nothing_twice(demo):
    before = _counts()
    said: list[str] = []
    load_demo_practice(demo, say=said.append)
    assert _counts() == before
    assert not [line for line in said if "WARNING" in line], said


def test_hatia_has_two_ongoing_users_one_certificate_of_practice_and_a_school_that_does_not_practise(demo):
    from shikhon.practice.rules import ongoing_rule
    from shikhon.practice.selectors.status import area_q, contrast, ongoing_counts_by_place, ongoing_total

    area = area_q(user_scope(_user(OFFICER_HATIA)))
    assert ongoing_total(area)[0] == 2
    hatia_gps, sonadia = School.objects.get(eiin=SCHOOL_EIIN), School.objects.get(eiin="100007")
    by_school = {pk: ongoing for pk, ongoing, _evaluated in ongoing_counts_by_place(area, "school")}
    assert by_school[hatia_gps.pk] == 2 and by_school.get(sonadia.pk, 0) == 0
    seen = contrast(area, ongoing_rule())
    assert seen.practising == 1 and seen.practising_names == [hatia_gps.name_bn]
    assert seen.finished_not_practising_names[0] == sonadia.name_bn  # four finished there, the most

    ongoing = {row.teacher_id for row in apps.get_model("practice.OngoingStatus").objects.filter(
        is_latest=True, is_ongoing=True)}
    assert ongoing == {_user(data.PRACTICE_ONGOING_CERTIFIED).pk, _user(data.PRACTICE_ONGOING).pk}
    practice = Certificate.objects.filter(kind=Certificate.Kind.PRACTICE)
    assert [c.user_id for c in practice] == [_user(data.PRACTICE_ONGOING_CERTIFIED).pk]
    # Sonadia: everyone certified in the course, nobody practised.
    for phone in (data.SONADIA_HEAD_TEACHER, *data.SONADIA_TEACHERS):
        user = _user(phone)
        assert Certificate.objects.filter(user=user, kind=Certificate.Kind.COURSE).exists()
        assert not apps.get_model("practice.PracticeRecord").objects.filter(teacher=user).exists()


def test_the_circle_meets_monthly_and_its_teachers_practise_with_support(demo):
    from shikhon.practice.models import (
        CheckRound,
        Circle,
        Encouragement,
        Meeting,
        Observation,
        ObservationReply,
        OngoingStatus,
        PracticePlan,
    )
    from shikhon.practice.selectors.checks import comparison_for
    from shikhon.practice.selectors.circles import school_page_rows

    circle = Circle.objects.get(school__eiin=SCHOOL_EIIN)
    meetings = list(Meeting.objects.filter(circle=circle).order_by("held_on"))
    today = dhaka_today()
    assert 3 <= len(meetings) <= 4 and all(m.held_on < today for m in meetings)
    assert all(m.attendees.exists() and m.activities.exists() for m in meetings)
    assert PracticePlan.objects.filter(meeting__circle=circle).count() >= 2
    assert circle.next_meeting_on is not None and circle.next_meeting_on > today
    assert meetings[0].materials_photo  # the materials made, photographed (through the upload checks)
    assert apps.get_model("practice.PracticeRecord").objects.exclude(photo="").count() == 2

    fatema = _user(data.PRACTICE_ONGOING_CERTIFIED)
    seen = Observation.objects.get(teacher=fatema, status=Observation.Status.RECORDED)
    entry = seen.entries.get()
    assert entry.strengths and 1 <= entry.try_next.count() <= 3
    assert ObservationReply.objects.filter(observation=seen, author=fatema).exists()
    assert Observation.objects.filter(teacher=fatema, status=Observation.Status.PROPOSED, follows=seen).exists()
    assert Observation.objects.filter(teacher=_user(data.PRACTICE_ONGOING), observer=_user(
        data.PRACTICE_PEER_OBSERVER), status=Observation.Status.RECORDED).exists()
    assert Encouragement.objects.exists()

    follow_up = CheckRound.objects.get(teacher=fatema, kind=CheckRound.Kind.FOLLOW_UP)
    compared = comparison_for(follow_up)
    assert compared is not None
    # Her history: the nightly task's rows, newest last checked today.
    assert OngoingStatus.objects.filter(teacher=fatema).count() >= 2
    assert OngoingStatus.objects.get(teacher=fatema, is_latest=True).evaluated_on == today

    rows = {row.user.phone: row for row in school_page_rows(School.objects.get(eiin=SCHOOL_EIIN).pk)}
    assert rows[normalize_phone(data.PRACTICE_ONGOING_CERTIFIED)].last_observed == today
    assert not rows[normalize_phone(data.PRACTICE_ONGOING)].quiet
    idle = school_page_rows(School.objects.get(eiin="100007").pk)
    assert len(idle) == 4 and all(row.quiet and row.studied for row in idle)


def _finish_module_nine(user: User, course) -> None:
    from shikhon.certificates.services import certificate_issue
    from shikhon.courses.services import activity_progress_record, quiz_attempt_start, quiz_attempt_submit
    from shikhon.demo.course import _correct_answers

    module = Module.objects.get(course=course, position=course.modules.order_by("-position").first().position)
    for activity in module.activities.all():
        activity_progress_record(actor=user, activity=activity, watched_percent=100, done=True)
    attempt = quiz_attempt_start(actor=user, quiz=module.quiz)
    quiz_attempt_submit(actor=user, attempt=attempt, answers=_correct_answers(attempt))
    enrolment = Enrolment.objects.get(user=user, family=course.family)
    assert enrolment.completed_at is not None
    certificate_issue(enrolment_id=enrolment.pk)


def test_the_story_teacher_is_just_short_of_both_rules_and_the_story_completes_them(demo):
    from shikhon.practice.models import Circle, OngoingStatus, PracticeRecord
    from shikhon.practice.services import observations
    from shikhon.practice.services.circles import meeting_record
    from shikhon.practice.services.log import record_acknowledge, record_create
    from shikhon.practice.services.status import (
        ongoing_evaluate_all,
        practice_certificate_progress,
        practice_certificates_issue,
    )

    sumaiya, masuma = _user(data.STORY_PRACTICE_TEACHER), _user(HEAD_TEACHER_PHONE)
    role = sumaiya.roles.get()
    assert role.school is not None and role.school.eiin == SCHOOL_EIIN
    enrolment = Enrolment.objects.get(user=sumaiya, family=demo.family)
    assert enrolment.completed_at is None
    assert not Certificate.objects.filter(user=sumaiya).exists()
    records = PracticeRecord.objects.filter(teacher=sumaiya)
    assert records.count() == 5 and records.values("module").distinct().count() == 3
    assert not records.filter(acknowledged_at__isnull=False).exists()
    progress = practice_certificate_progress(sumaiya, demo.family)
    unmet = {c.code for c in progress.conditions if not c.met}
    assert unmet == {"course_certificate", "records", "acknowledged", "observations"}
    weeks = next(c for c in progress.conditions if c.code == "weeks")
    assert weeks.have >= 9
    status = OngoingStatus.objects.get(teacher=sumaiya, is_latest=True)
    assert not status.is_ongoing and status.counts["records"] >= 2 and status.counts["support"] == 0

    # The story, through the same services as its pages: module 9, one more record, acknowledged, a meeting
    # where she shares it, an observation with her consent; then the nightly tasks.
    _finish_module_nine(sumaiya, demo)
    last_module = demo.modules.order_by("-position").first()
    today = dhaka_today()
    record = record_create(actor=sumaiya, activity=last_module.activities.first(), taught_on=today,
                           outcome="taught", grade=2, section="ক", rating=4, what_worked="ভালো হয়েছে।")
    record_acknowledge(actor=masuma, record=record)
    meeting_record(actor=masuma, circle=Circle.objects.get(school__eiin=SCHOOL_EIIN), held_on=today,
                   attendee_ids=[sumaiya.pk], activity_ids=[record.activity_id], reflection_record_ids=[record.pk],
                   client_id=uuid.uuid4())
    visit = observations.observation_propose(actor=masuma, teacher=sumaiya, proposed_on=today)
    visit = observations.observation_answer(actor=sumaiya, observation=visit, answer="agree")
    observations.observation_entry_add(actor=masuma, observation=visit, strengths="শিশুরা নিজে হাতে কাজ করেছে।",
                                       ratings={}, try_next=[])
    ongoing_evaluate_all()
    assert OngoingStatus.objects.get(teacher=sumaiya, is_latest=True).is_ongoing
    assert practice_certificates_issue() == 1
    assert Certificate.objects.filter(user=sumaiya, kind=Certificate.Kind.PRACTICE).count() == 1


def test_the_pages_show_the_contrast(demo, client):
    client.force_login(_user(HEAD_TEACHER_PHONE))
    page = client.get("/practice/school/")
    assert page.status_code == 200
    assert data.PRACTICE_PEOPLE[1].name_bn in page.content.decode()
    client.force_login(_user(data.SONADIA_HEAD_TEACHER))
    page = client.get("/practice/school/")
    assert page.status_code == 200
    assert data.PRACTICE_PEOPLE[5].name_bn in page.content.decode()
    client.force_login(_user(OFFICER_HATIA))
    page = client.get("/practice/area/")
    assert page.status_code == 200
    assert "সোনাদিয়া" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("person", data.PRACTICE_PEOPLE, ids=[p.name_en for p in data.PRACTICE_PEOPLE])
def test_every_practice_login_signs_in_by_code_and_is_printed(client, person, django_capture_on_commit_callbacks):
    import re

    from django.urls import reverse

    from shikhon.core import sms
    from shikhon.demo.practice import describe_practice

    data.load_demo()
    made = data.load_people(data.PRACTICE_PEOPLE)
    assert len(data.load_people(data.PRACTICE_PEOPLE)) == len(made)  # idempotent
    assert person.phone[:5] + "-" + person.phone[5:] in describe_practice(made)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:sign_in"), {"phone": person.phone})
    assert response.status_code == 302
    found = re.search(r"\b(\d{6})\b", sms.outbox[-1].body)
    assert found is not None
    code = found.group(1)
    response = client.post(reverse("people:sign_in_code"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:500]
    home = client.get(reverse("insights:home"))
    assert home.status_code == 200 and home.context["user"].phone.endswith(person.phone[1:])


def test_practice_people_are_new_numbers_at_the_two_schools():
    phones = [p.phone for p in data.PRACTICE_PEOPLE]
    assert not set(phones) & {p.phone for p in data.PEOPLE}
    assert data.STORY_PRACTICE_TEACHER in phones and min(phones) == "01711000017"
    story = next(p for p in data.PRACTICE_PEOPLE if p.phone == data.STORY_PRACTICE_TEACHER)
    assert (story.kind, story.place) == ("teacher", "school:100001")
    assert {p.place for p in data.PRACTICE_PEOPLE} == {"school:100001", "school:100007"}
