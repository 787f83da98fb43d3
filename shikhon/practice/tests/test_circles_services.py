"""Circles' services: circles made once, who may record a meeting, membership rules, reflections shared, plans
made at a meeting become the teachers' plans and tell them, idempotent by client id, Dhaka dates."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shikhon.core.clock import dhaka_today
from shikhon.core.models import AuditEvent
from shikhon.courses.models import Course
from shikhon.courses.tests.factories import ActivityFactory, CourseFactory, ModuleFactory
from shikhon.notify.models import Notification
from shikhon.places.models import Cluster
from shikhon.practice import audit_actions, notifications
from shikhon.practice.models import Circle, Meeting, PracticePlan
from shikhon.practice.selectors import circles as selectors
from shikhon.practice.services import circles as services
from shikhon.practice.services.circles import PlanRow
from shikhon.practice.tests.factories import PracticeRecordFactory

TODAY = dhaka_today


@pytest.fixture
def circle(places: dict[str, Any]) -> Circle:
    return services.circle_for_school(school=places["school_hatia"])


@pytest.fixture
def activity() -> Any:
    return ActivityFactory(title="পাথর দিয়ে গোনা")


def record(actor: Any, circle: Circle, **kwargs: Any) -> Meeting:
    fields: dict[str, Any] = {"held_on": TODAY(), "attendee_ids": [], "activity_ids": [],
                              "reflection_record_ids": [], "notes": ""}
    fields.update(kwargs)
    return services.meeting_record(actor=actor, circle=circle, **fields)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- circles

def test_circle_for_school_is_made_once_at_the_schools_place(places):
    school = places["school_hatia"]
    first = services.circle_for_school(school=school)
    again = services.circle_for_school(school=school)
    assert first.pk == again.pk and Circle.objects.filter(school=school).count() == 1
    assert (first.kind, first.school_id, first.upazila_id, first.district_id, first.division_id) == (
        "school", school.pk, school.upazila_id, school.district_id, school.division_id)


def test_circle_for_cluster_is_placed_at_its_upazila_without_a_school(places):
    cluster = Cluster.objects.create(upazila=places["hatia"], name_bn="হাতিয়া ক্লাস্টার ১")
    cluster.schools.add(places["school_hatia"], places["school_hatia_2"])
    circle = services.circle_for_cluster(cluster=cluster)
    assert services.circle_for_cluster(cluster=cluster).pk == circle.pk
    assert (circle.kind, circle.school_id, circle.upazila_id) == ("cluster", None, places["hatia"].pk)
    assert circle.district_id == places["hatia"].district_id


def test_cluster_members_are_the_teachers_of_its_schools(people, places, colleague):
    cluster = Cluster.objects.create(upazila=places["hatia"], name_bn="হাতিয়া ক্লাস্টার ১")
    cluster.schools.add(places["school_hatia"], places["school_hatia_2"])
    members = selectors.circle_member_ids(services.circle_for_cluster(cluster=cluster))
    assert members == {people["teacher_rubi"].pk, people["head_teacher_masuma"].pk, colleague.pk,
                       people["teacher_of_other_school"].pk}


def test_school_circle_members_come_from_current_roles(people, circle, colleague):
    members = selectors.circle_members(circle)
    assert {m.user.pk for m in members} == {people["teacher_rubi"].pk, people["head_teacher_masuma"].pk,
                                            colleague.pk}  # the pending teacher is not a member yet
    assert members[0].user == people["head_teacher_masuma"] and members[0].is_head


def test_next_meeting_is_set_by_the_leader_only(people, circle):
    on = TODAY() + dt.timedelta(days=10)
    services.circle_set_next_meeting(actor=people["head_teacher_masuma"], circle=circle, on=on)
    circle.refresh_from_db()
    assert circle.next_meeting_on == on
    with pytest.raises(PermissionDenied):
        services.circle_set_next_meeting(actor=people["teacher_rubi"], circle=circle, on=on)
    with pytest.raises(ValidationError, match="past"):
        services.circle_set_next_meeting(actor=people["head_teacher_masuma"], circle=circle,
                                         on=TODAY() - dt.timedelta(days=1))


# ---------------------------------------------------------------------------------------------- meetings

def test_head_teacher_records_a_meeting(people, circle, activity, colleague):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    shared = PracticeRecordFactory(teacher=rubi, activity=activity)
    meeting = record(masuma, circle, attendee_ids=[rubi.pk, masuma.pk, colleague.pk], activity_ids=[activity.pk],
                     reflection_record_ids=[shared.pk], notes="পাথর দিয়ে গোনার উপকরণ বানানো হলো।")
    assert set(meeting.attendees.values_list("pk", flat=True)) == {rubi.pk, masuma.pk, colleague.pk}
    assert list(meeting.activities.all()) == [activity]
    assert list(meeting.reflections.all()) == [shared]
    assert (meeting.school_id, meeting.upazila_id, meeting.recorded_by) == (circle.school_id, circle.upazila_id,
                                                                            masuma)
    event = AuditEvent.objects.get(action=audit_actions.CIRCLE_MEETING_RECORDED)
    assert event.target_id == str(meeting.pk) and event.actor == masuma


@pytest.mark.parametrize("who", ["teacher_rubi", "mentor_hatia", "teacher_of_other_school", "researcher_tanvir",
                                 "officer_other_upazila"])
def test_only_the_leader_records_a_meeting(people, circle, who):
    with pytest.raises(PermissionDenied):
        record(people[who], circle)
    assert not Meeting.objects.exists()


def test_an_officer_over_the_school_may_step_in(people, circle):
    assert record(people["officer_hatia"], circle).recorded_by == people["officer_hatia"]


def test_attendees_must_be_members(people, circle):
    with pytest.raises(ValidationError) as caught:
        record(people["head_teacher_masuma"], circle,
               attendee_ids=[people["teacher_rubi"].pk, people["teacher_of_other_school"].pk])
    assert "members" in caught.value.message_dict["attendees"][0]
    assert not Meeting.objects.exists()


def test_a_pending_teacher_is_not_a_member(people, circle):
    with pytest.raises(ValidationError, match="members"):
        record(people["head_teacher_masuma"], circle, attendee_ids=[people["teacher_pending_zahid"].pk])


def test_reflections_must_be_members_records_shared_with_the_circle(people, circle, activity):
    rubi = people["teacher_rubi"]
    private = PracticeRecordFactory(teacher=rubi, activity=activity, shared_with_circle=False)
    other = PracticeRecordFactory(teacher=people["teacher_of_other_school"], activity=activity)
    for bad in (private, other):
        with pytest.raises(ValidationError) as caught:
            record(people["head_teacher_masuma"], circle, reflection_record_ids=[bad.pk])
        assert "shared with the circle" in caught.value.message_dict["reflections"][0]
    assert not Meeting.objects.exists()


def test_activities_must_be_of_published_courses(people, circle):
    draft = ActivityFactory(module=ModuleFactory(course=CourseFactory(status=Course.Status.DRAFT)))
    with pytest.raises(ValidationError) as caught:
        record(people["head_teacher_masuma"], circle, activity_ids=[draft.pk])
    assert "published" in caught.value.message_dict["activities"][0]
    with pytest.raises(ValidationError):
        record(people["head_teacher_masuma"], circle, activity_ids=[10**12])
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("days", "word"), [(-1, "future"), (366, "year")])
def test_meeting_dates_are_not_in_the_future_nor_older_than_a_year(people, circle, days, word):
    with pytest.raises(ValidationError) as caught:
        record(people["head_teacher_masuma"], circle, held_on=TODAY() - dt.timedelta(days=days))
    assert word in caught.value.message_dict["held_on"][0]
    assert not Meeting.objects.exists()


def test_a_meeting_a_year_ago_today_is_recorded(people, circle):
    assert record(people["head_teacher_masuma"], circle, held_on=TODAY() - dt.timedelta(days=365)).pk


def test_dates_are_dhaka_dates_in_the_small_hours(people, circle, dhaka_small_hours):
    # 01:30 in Dhaka is still yesterday in UTC: today's meeting (Dhaka) is not "in the future".
    assert record(people["head_teacher_masuma"], circle, held_on=TODAY()).held_on == TODAY()


def test_plans_made_at_a_meeting_become_the_teachers_plans_and_tell_them(people, circle, activity,
                                                                        django_capture_on_commit_callbacks):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    day = TODAY() + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = record(masuma, circle, attendee_ids=[rubi.pk], activity_ids=[activity.pk],
                         plans=[(rubi.pk, activity.pk, day, 2, "খ"), PlanRow(masuma.pk, activity.pk, day, 3)])
    plans = list(PracticePlan.objects.filter(meeting=meeting).order_by("teacher__phone"))
    assert len(plans) == 2
    mine = next(p for p in plans if p.teacher == rubi)
    assert (mine.activity, mine.planned_on, mine.grade, mine.section, mine.state, mine.created_by) == (
        activity, day, 2, "খ", "planned", masuma)
    assert mine.school_id == circle.school_id
    told = Notification.objects.filter(kind=notifications.PLAN_MADE_AT_MEETING)
    assert list(told.values_list("recipient", flat=True)) == [rubi.pk]  # not the head teacher herself


def test_plans_must_be_members_and_published_activities_and_at_most_five(people, circle, activity):
    masuma, day = people["head_teacher_masuma"], TODAY() + dt.timedelta(days=2)
    cases = [
        ([(people["teacher_of_other_school"].pk, activity.pk, day, 1, "")], "not a member"),
        ([(people["teacher_rubi"].pk, 10**12, day, 1, "")], "published"),
        ([(people["teacher_rubi"].pk, activity.pk, TODAY() - dt.timedelta(days=1), 1, "")], "before the meeting"),
        ([(people["teacher_rubi"].pk, activity.pk, day, 13, "")], "1 to 12"),
        ([(people["teacher_rubi"].pk, activity.pk, day, 1, "")] * 6, "At most"),
    ]
    for plans, words in cases:
        with pytest.raises(ValidationError) as caught:
            record(masuma, circle, plans=plans)
        assert words in " ".join(caught.value.messages)
    assert not Meeting.objects.exists() and not PracticePlan.objects.exists()


def test_the_same_client_id_records_once(people, circle, activity, django_capture_on_commit_callbacks):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    key = uuid.uuid4()
    plans = [(rubi.pk, activity.pk, TODAY() + dt.timedelta(days=1), 1, "ক")]
    with django_capture_on_commit_callbacks(execute=True):
        first = record(masuma, circle, attendee_ids=[rubi.pk], plans=plans, client_id=key)
        again = record(masuma, circle, attendee_ids=[rubi.pk], plans=plans, client_id=key)
    assert first.pk == again.pk
    assert Meeting.objects.count() == 1 and PracticePlan.objects.count() == 1
    assert Notification.objects.filter(kind=notifications.PLAN_MADE_AT_MEETING).count() == 1


def test_another_persons_client_id_is_refused(people, circle):
    key = uuid.uuid4()
    record(people["head_teacher_masuma"], circle, client_id=key)
    with pytest.raises(ValidationError, match="could not be saved"):
        record(people["officer_hatia"], circle, client_id=key)
    assert Meeting.objects.count() == 1


@pytest.mark.usefixtures("media_root")
def test_the_materials_photo_is_checked_and_re_encoded(people, circle):
    photo = SimpleUploadedFile("board.png", png_bytes(), content_type="image/png")
    meeting = record(people["head_teacher_masuma"], circle, materials_photo=photo)
    assert meeting.materials_photo.name.endswith(".jpg")  # practice photos are stored as JPEG
    bad = SimpleUploadedFile("board.png", b"<html><script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        record(people["head_teacher_masuma"], circle, materials_photo=bad)
    assert caught.value.message_dict["materials_photo"]
    assert Meeting.objects.count() == 1


def test_bad_ids_are_refused_with_a_sentence(people, circle):
    for bad in (["1"], [0], [True]):
        with pytest.raises(ValidationError) as caught:
            record(people["head_teacher_masuma"], circle, attendee_ids=bad)
        assert caught.value.message_dict["attendees"]
    assert not Meeting.objects.exists()
