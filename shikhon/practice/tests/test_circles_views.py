"""Circles' pages: who sees what (each role, own and other place), the meeting form without JavaScript and with
bad input (a sentence, nothing stored, never a 500), the head teacher's school page and its order, and query
counts that do not grow with the number of teachers."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import uuid
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import ActivityFactory, course_with_content
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.practice.models import Circle, Meeting, Observation, PracticePlan
from shikhon.practice.selectors import circles as selectors
from shikhon.practice.services import circles as services
from shikhon.practice.tests.factories import (
    MeetingFactory,
    ObservationFactory,
    PracticePlanFactory,
    PracticeRecordFactory,
)


@pytest.fixture
def circle(places: dict[str, Any]) -> Circle:
    return services.circle_for_school(school=places["school_hatia"])


@pytest.fixture
def activity() -> Any:
    return ActivityFactory(title="পাথর দিয়ে গোনা")


@pytest.fixture
def meeting(people: dict[str, Any], circle: Circle) -> Meeting:
    return MeetingFactory(circle=circle, recorded_by=people["head_teacher_masuma"])


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 40)).save(out, format="PNG")
    return out.getvalue()


SEES = {"teacher_rubi": 200, "head_teacher_masuma": 200, "teacher_of_other_school": 404, "officer_hatia": 200,
        "mentor_hatia": 200, "officer_other_upazila": 404, "researcher_tanvir": 404, "no_role_user": 404}
LEADS = {"teacher_rubi": 403, "head_teacher_masuma": 200, "teacher_of_other_school": 404, "officer_hatia": 200,
         "mentor_hatia": 403, "officer_other_upazila": 404, "researcher_tanvir": 404, "no_role_user": 404}
HEADS = {"teacher_rubi": 404, "head_teacher_masuma": 200, "teacher_of_other_school": 404, "officer_hatia": 404,
         "mentor_hatia": 404, "officer_other_upazila": 404, "researcher_tanvir": 404, "no_role_user": 404}


# ---------------------------------------------------------------------------------------------- who sees what

@pytest.mark.parametrize(("who", "status"), SEES.items())
def test_circle_page(client, people, circle, who, status):
    client.force_login(people[who])
    assert client.get(reverse("practice:circle", kwargs={"pk": circle.pk})).status_code == status


@pytest.mark.parametrize(("who", "status"), SEES.items())
def test_meeting_page(client, people, meeting, who, status):
    client.force_login(people[who])
    assert client.get(reverse("practice:meeting", kwargs={"pk": meeting.pk})).status_code == status


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize(("who", "status"), SEES.items())
def test_meeting_photo(client, people, circle, who, status):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = services.meeting_record(
        actor=people["head_teacher_masuma"], circle=circle, held_on=dhaka_today(), attendee_ids=[],
        activity_ids=[], reflection_record_ids=[],
        materials_photo=SimpleUploadedFile("m.png", png_bytes(), content_type="image/png"))
    client.force_login(people[who])
    response = client.get(meeting.materials_photo.url)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(("who", "status"), LEADS.items())
def test_meeting_form_is_for_the_leader(client, people, circle, who, status):
    client.force_login(people[who])
    assert client.get(reverse("practice:meeting_new", kwargs={"pk": circle.pk})).status_code == status


@pytest.mark.parametrize(("who", "status"), LEADS.items())
def test_next_meeting_is_for_the_leader(client, people, circle, who, status):
    client.force_login(people[who])
    on = (dhaka_today() + dt.timedelta(days=5)).isoformat()
    response = client.post(reverse("practice:circle_next_meeting", kwargs={"pk": circle.pk}), {"on": on})
    assert response.status_code == (302 if status == 200 else status)
    circle.refresh_from_db()
    assert (circle.next_meeting_on is not None) == (status == 200)


@pytest.mark.parametrize(("who", "status"), HEADS.items())
def test_school_page_is_the_head_teachers(client, people, circle, who, status):
    client.force_login(people[who])
    assert client.get(reverse("practice:school")).status_code == status


def test_school_page_of_another_school_is_404(client, people, places):
    client.force_login(people["head_teacher_masuma"])
    for junk in (places["school_hatia_2"].pk, "abc", "-1", "99999999999999999999999"):
        assert client.get(reverse("practice:school"), {"school": junk}).status_code == 404
    assert client.get(reverse("practice:school"), {"school": places["school_hatia"].pk}).status_code == 200


def test_missing_and_malformed_ids_are_404(client, people):
    client.force_login(people["head_teacher_masuma"])
    for name in ("practice:circle", "practice:meeting", "practice:meeting_photo", "practice:meeting_new"):
        assert client.get(reverse(name, kwargs={"pk": 99999999})).status_code == 404


def test_my_circle_leads_a_teacher_to_her_schools_circle(client, people, places):
    client.force_login(people["teacher_rubi"])
    response = client.get(reverse("practice:my_circle"))
    circle = Circle.objects.get(school=places["school_hatia"])
    assert response.status_code == 302 and response["Location"] == circle.get_absolute_url()
    client.force_login(people["officer_hatia"])
    assert client.get(reverse("practice:my_circle")).status_code == 404


# ---------------------------------------------------------------------------------------------- circle page

def test_circle_page_shows_members_shared_practice_and_encourage(client, people, circle, activity, colleague):
    shared = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity, what_worked="জোড়ায় কাজ")
    PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity, shared_with_circle=False,
                          what_worked="গোপন কথা")
    client.force_login(colleague)
    html = client.get(circle.get_absolute_url()).content.decode()
    assert "রুবি আক্তার" in html and "মাসুমা বেগম" in html
    assert "জোড়ায় কাজ" in html and "গোপন কথা" not in html
    assert reverse("practice:encourage", kwargs={"pk": shared.pk}) in html
    assert reverse("practice:meeting_new", kwargs={"pk": circle.pk}) not in html
    client.force_login(people["head_teacher_masuma"])
    leader_html = client.get(circle.get_absolute_url()).content.decode()
    assert reverse("practice:meeting_new", kwargs={"pk": circle.pk}) in leader_html


def _teachers(places: dict[str, Any], n: int, activity: Any, *, start: int = 0) -> list[Any]:
    teachers = []
    for i in range(start, start + n):
        user = UserFactory(phone=f"+88017120{i:05d}")
        grant(user, Role.Kind.TEACHER, school=places["school_hatia"])
        PracticeRecordFactory(teacher=user, activity=activity)
        PracticePlanFactory(teacher=user, activity=activity, planned_on=dhaka_today() + dt.timedelta(days=2))
        teachers.append(user)
    return teachers


def test_circle_page_queries_do_not_grow_with_teachers(client, people, places, circle, activity,
                                                      django_assert_max_num_queries):
    client.force_login(people["teacher_rubi"])
    _teachers(places, 2, activity)
    MeetingFactory(circle=circle, recorded_by=people["head_teacher_masuma"])
    client.get(circle.get_absolute_url())  # warm the session and caches
    with django_assert_max_num_queries(14) as few:
        assert client.get(circle.get_absolute_url()).status_code == 200
    _teachers(places, 8, activity, start=2)
    for _ in range(3):
        MeetingFactory(circle=circle, recorded_by=people["head_teacher_masuma"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(circle.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------------------------------------- the form

def _form(client: Any, circle: Circle) -> str:
    return client.get(reverse("practice:meeting_new", kwargs={"pk": circle.pk})).content.decode()


def test_meeting_form_works_without_javascript(client, people, circle, activity, colleague,
                                               django_capture_on_commit_callbacks):
    rubi = people["teacher_rubi"]
    shared = PracticeRecordFactory(teacher=rubi, activity=activity)
    client.force_login(people["head_teacher_masuma"])
    html = _form(client, circle)
    assert 'data-outbox-kind="practice_meeting"' in html and 'name="client_id"' in html
    assert len(gzip.compress(html.encode())) <= 14_000
    day = (dhaka_today() + dt.timedelta(days=4)).strftime("%d/%m/%Y")
    data = {"client_id": str(uuid.uuid4()), "held_on": dhaka_today().strftime("%d/%m/%Y"),
            "attendees": [str(rubi.pk), str(colleague.pk)], "activities": [str(activity.pk)],
            "reflections": [str(shared.pk)], "notes": "উপকরণ বানানো হলো",
            "plan_1_teacher": str(rubi.pk), "plan_1_activity": str(activity.pk), "plan_1_date": day,
            "plan_1_grade": "২", "plan_1_section": "ক"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("practice:meeting_new", kwargs={"pk": circle.pk}), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    plan = PracticePlan.objects.get(meeting=meeting)
    assert (plan.teacher, plan.grade, plan.section) == (rubi, 2, "ক")
    # The same form sent again (a double tap) records nothing more.
    client.post(reverse("practice:meeting_new", kwargs={"pk": circle.pk}), data)
    assert Meeting.objects.count() == 1 and PracticePlan.objects.count() == 1
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "রুবি আক্তার" in page and "পাথর দিয়ে গোনা" in page and "উপকরণ বানানো হলো" in page


BAD = [
    ({"held_on": "99/99/9999"}, ""),
    ({"held_on": (dhaka_today() + dt.timedelta(days=2)).isoformat()}, "future"),
    ({"attendees": ["999999999"]}, ""),
    ({"attendees": ["abc"]}, ""),
    ({"activities": ["-99999999"]}, ""),
    ({"notes": "ক" * 5000}, "3000"),
    ({"plan_1_teacher": "{rubi}"}, "Plan 1"),
    ({"plan_1_teacher": "{rubi}", "plan_1_activity": "{activity}", "plan_1_date": "01/01/2020",
      "plan_1_grade": "1"}, "Plan 1"),
    ({"plan_2_grade": "-99999999"}, ""),
    ({"client_id": "not-a-uuid"}, ""),
]


@pytest.mark.parametrize(("change", "words"), BAD)
def test_bad_input_gets_a_sentence_and_stores_nothing(client, people, circle, activity, change, words):
    client.force_login(people["head_teacher_masuma"])
    data: dict[str, Any] = {"client_id": str(uuid.uuid4()), "held_on": dhaka_today().isoformat()}
    for key, value in change.items():
        data[key] = value.format(rubi=people["teacher_rubi"].pk, activity=activity.pk) if isinstance(value, str) \
            else value
    response = client.post(reverse("practice:meeting_new", kwargs={"pk": circle.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist"' in html or 'class="msg error"' in html
    if words:
        assert words in html.replace("&#x27;", "'").replace("৩০০০", "3000").replace("১", "1")
    assert not Meeting.objects.exists() and not PracticePlan.objects.exists()


@pytest.mark.usefixtures("media_root")
def test_a_file_that_is_not_a_photo_is_refused(client, people, circle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["head_teacher_masuma"])
    bad = SimpleUploadedFile("m.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(reverse("practice:meeting_new", kwargs={"pk": circle.pk}),
                           {"client_id": str(uuid.uuid4()), "held_on": dhaka_today().isoformat(),
                            "materials_photo": bad})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert not Meeting.objects.exists()


# ---------------------------------------------------------------------------------------------- school page

def test_school_page_orders_whom_to_encourage(client, people, places, activity):
    today = dhaka_today()
    masuma = people["head_teacher_masuma"]
    studied_quiet = people["teacher_rubi"]  # learned, never practised: first
    overdue = UserFactory(phone="+8801713000001", name_bn="দেরি")
    fresh = UserFactory(phone="+8801713000002", name_bn="নতুন শিক্ষক")
    practising = UserFactory(phone="+8801713000003", name_bn="চর্চাকারী")
    for user in (overdue, fresh, practising):
        grant(user, Role.Kind.TEACHER, school=places["school_hatia"])
    course = course_with_content(modules=1, activities=2)
    from shikhon.courses import services as learning
    from shikhon.courses.tests.factories import do_activities

    learning.enrolment_create(actor=studied_quiet, course=course)
    do_activities(studied_quiet, course.modules.first())
    PracticeRecordFactory(teacher=overdue, activity=activity, taught_on=today - dt.timedelta(days=3))
    PracticePlanFactory(teacher=overdue, activity=activity, planned_on=today - dt.timedelta(days=2))
    PracticeRecordFactory(teacher=practising, activity=activity, taught_on=today - dt.timedelta(days=1))
    ObservationFactory(teacher=practising, observer=masuma, instrument=_instrument(),
                       status=Observation.Status.RECORDED, observed_on=today - dt.timedelta(days=5))
    rows = selectors.school_page_rows(places["school_hatia"].pk)
    order = [r.user for r in rows]
    assert order.index(studied_quiet) < order.index(overdue) < order.index(fresh) < order.index(practising)
    row = next(r for r in rows if r.user == practising)
    assert (row.last_practised, row.last_observed, row.quiet) == (today - dt.timedelta(days=1),
                                                                   today - dt.timedelta(days=5), False)
    assert next(r for r in rows if r.user == overdue).plans_overdue == 1
    client.force_login(masuma)
    html = client.get(reverse("practice:school")).content.decode()
    assert "Whom to encourage" in html or "উৎসাহ" in html
    assert reverse("practice:observation_new") + f"?teacher={practising.pk}" in html


def _instrument() -> Any:
    from shikhon.practice.models import Instrument

    return Instrument.objects.order_by("pk").first() or Instrument.objects.create(
        code="t", version=1, title_bn="t", title_en="t", definition={})


def test_school_page_acknowledges_records(client, people, activity):
    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    waiting = PracticeRecordFactory(teacher=rubi, activity=activity)
    PracticeRecordFactory(teacher=masuma, activity=activity)  # her own waits for an officer, not for her
    client.force_login(masuma)
    html = client.get(reverse("practice:school")).content.decode()
    action = reverse("practice:acknowledge", kwargs={"pk": waiting.pk})
    assert action in html and html.count("/acknowledge/") == 1
    client.post(action)
    waiting.refresh_from_db()
    assert waiting.acknowledged_by == masuma


def test_school_page_queries_do_not_grow_with_teachers(client, people, places, activity,
                                                      django_assert_max_num_queries):
    client.force_login(people["head_teacher_masuma"])
    _teachers(places, 2, activity)
    client.get(reverse("practice:school"))
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("practice:school")).status_code == 200
    _teachers(places, 8, activity, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("practice:school")).status_code == 200


def test_meeting_form_stays_small_with_a_whole_course_and_many_teachers(client, people, places, circle):
    course_with_content(modules=6, activities=6)  # 36 activities in every plan row's list
    activity = ActivityFactory()
    _teachers(places, 15, activity)
    client.force_login(people["head_teacher_masuma"])
    html = _form(client, circle)
    assert len(gzip.compress(html.encode())) <= 14_000, len(gzip.compress(html.encode()))


# ---------------------------------------------------------------------------------------------- cluster circles

@pytest.fixture
def cluster_circle(places: dict[str, Any]) -> Circle:
    from shikhon.places.models import Cluster

    cluster = Cluster.objects.create(upazila=places["hatia"], name_bn="হাতিয়া ক্লাস্টার ১")
    cluster.schools.add(places["school_hatia"], places["school_hatia_2"])
    return services.circle_for_cluster(cluster=cluster)


CLUSTER_SEES = {"teacher_rubi": 200, "teacher_of_other_school": 200, "head_teacher_masuma": 200,
                "mentor_hatia": 200, "officer_hatia": 200, "teacher_subarnachar": 404,
                "officer_other_upazila": 404, "researcher_tanvir": 404}
CLUSTER_LEADS = {"teacher_rubi": 403, "teacher_of_other_school": 403, "head_teacher_masuma": 403,
                 "mentor_hatia": 200, "officer_hatia": 200, "teacher_subarnachar": 404,
                 "officer_other_upazila": 404, "researcher_tanvir": 404}


@pytest.mark.parametrize(("who", "status"), CLUSTER_SEES.items())
def test_cluster_circle_page(client, people, cluster_circle, who, status):
    client.force_login(people[who])
    assert client.get(cluster_circle.get_absolute_url()).status_code == status


@pytest.mark.parametrize(("who", "status"), CLUSTER_LEADS.items())
def test_cluster_circle_is_led_by_the_upazilas_mentors_and_officers(client, people, cluster_circle, who, status):
    client.force_login(people[who])
    assert client.get(reverse("practice:meeting_new", kwargs={"pk": cluster_circle.pk})).status_code == status


def test_a_mentor_records_a_cluster_meeting_with_teachers_of_both_schools(client, people, cluster_circle):
    rubi, kamrun = people["teacher_rubi"], people["teacher_of_other_school"]
    client.force_login(people["mentor_hatia"])
    response = client.post(reverse("practice:meeting_new", kwargs={"pk": cluster_circle.pk}), {
        "client_id": str(uuid.uuid4()), "held_on": dhaka_today().isoformat(),
        "attendees": [str(rubi.pk), str(kamrun.pk)]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert set(meeting.attendees.all()) == {rubi, kamrun}
    assert (meeting.school_id, meeting.upazila_id) == (None, cluster_circle.upazila_id)
    client.force_login(kamrun)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    client.force_login(people["teacher_subarnachar"])
    assert client.get(meeting.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("officer_hatia", 302), ("mentor_hatia", 404), ("teacher_rubi", 404),
                                             ("officer_other_upazila", 404)])
def test_an_officer_opens_a_clusters_circle_first(client, people, places, who, status):
    from shikhon.places.models import Cluster

    cluster = Cluster.objects.create(upazila=places["hatia"], name_bn="হাতিয়া ক্লাস্টার ২")
    cluster.schools.add(places["school_hatia"])
    client.force_login(people[who])
    response = client.get(reverse("practice:cluster_circle", kwargs={"pk": cluster.pk}))
    assert response.status_code == status
    if status == 302:
        circle = Circle.objects.get(cluster=cluster)
        assert response["Location"] == circle.get_absolute_url()
        for other in ("mentor_hatia", "teacher_rubi"):  # once it exists, whoever sees it is led there
            client.force_login(people[other])
            assert client.get(reverse("practice:cluster_circle", kwargs={"pk": cluster.pk})).status_code == 302
        client.force_login(people["officer_other_upazila"])
        assert client.get(reverse("practice:cluster_circle", kwargs={"pk": cluster.pk})).status_code == 404
