from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shikhon.core import sms
from shikhon.core.bangla import to_western_digits
from shikhon.training import services
from shikhon.training.models import Attendance, Batch, CourseCost, Invitation, Programme

pytestmark = pytest.mark.django_db


def batch_form(places, programme, **over):
    today = timezone.localdate()
    data = {"programme": programme.pk, "title": "হাতিয়া ব্যাচ ২", "upazila": places["hatia"].pk,
            "venue": "উপজেলা রিসোর্স সেন্টার", "starts_on": (today + dt.timedelta(days=2)).isoformat(),
            "ends_on": (today + dt.timedelta(days=7)).isoformat(), "capacity": "30", "trainer_phones": "",
            "trainer_names": "", "cost_venue": "0", "cost_allowances": "0", "cost_materials": "0",
            "cost_trainers": "0"}
    data.update(over)
    return data


# ---------------------------------------------------------------- visibility


@pytest.mark.parametrize("who, status", [
    ("officer_hatia", 200), ("officer_noakhali", 200), ("officer_chattagram", 200), ("national_admin_nasrin", 200),
    ("officer_other_upazila", 404), ("officer_sylhet_upazila", 404), ("teacher_rubi", 404), ("mentor_hatia", 404),
    ("head_teacher_masuma", 404), ("researcher_tanvir", 404), ("no_role_user", 404),
])
def test_batch_page_visibility(client, people, batch, who, status):
    client.force_login(people[who])
    assert client.get(batch.get_absolute_url()).status_code == status


def test_invited_teacher_is_sent_to_her_invitation(client, people, certified, batch):
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    client.force_login(people["teacher_rubi"])
    response = client.get(batch.get_absolute_url())
    assert response.status_code == 302 and response.url == reverse("training:invitation", kwargs={"pk": inv.pk})


def test_trainer_sees_batch_and_attendance(client, people, batch):
    batch.trainers.add(people["mentor_hatia"])
    client.force_login(people["mentor_hatia"])
    assert client.get(batch.get_absolute_url()).status_code == 200
    url = reverse("training:attendance", kwargs={"pk": batch.pk, "day": batch.starts_on.isoformat()})
    assert client.get(url).status_code == 200
    assert client.get(reverse("training:invite", kwargs={"pk": batch.pk})).status_code == 404


@pytest.mark.parametrize("name", ["invite", "batch_edit", "attendance_today"])
@pytest.mark.parametrize("who", ["officer_other_upazila", "teacher_rubi", "head_teacher_masuma"])
def test_management_pages_hidden(client, people, certified, batch, name, who):
    services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=[people["teacher_rubi"].pk])
    client.force_login(people[who])
    assert client.get(reverse(f"training:{name}", kwargs={"pk": batch.pk})).status_code == 404


def test_teacher_cannot_open_attendance_page(client, people, certified, batch):
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    services.invitation_respond(actor=people["teacher_rubi"], invitation=inv, accept=True)
    client.force_login(people["teacher_rubi"])
    url = reverse("training:attendance", kwargs={"pk": batch.pk, "day": batch.starts_on.isoformat()})
    assert client.get(url).status_code == 404
    assert client.post(url, {"present": [people["teacher_rubi"].pk]}).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who, status", [("national_admin_nasrin", 200), ("officer_hatia", 404),
                                         ("teacher_rubi", 404)])
def test_programme_pages_national_admin_only(client, people, programme, who, status):
    client.force_login(people[who])
    assert client.get(reverse("training:programme_new")).status_code == status
    assert client.get(reverse("training:programme_edit", kwargs={"pk": programme.pk})).status_code == status


@pytest.mark.parametrize("who", ["teacher_rubi", "mentor_hatia", "no_role_user"])
def test_batch_new_hidden_from_non_officers(client, people, who):
    client.force_login(people[who])
    assert client.get(reverse("training:batch_new")).status_code == 404


def test_invitation_of_another_teacher_is_404(client, people, certified, batch):
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    client.force_login(people["head_teacher_masuma"])
    assert client.get(reverse("training:invitation", kwargs={"pk": inv.pk})).status_code == 404
    assert client.post(reverse("training:invitation", kwargs={"pk": inv.pk}), {"answer": "accept"}).status_code == 404
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.INVITED


def test_home_lists_by_role(client, people, certified, batch):
    services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=[people["teacher_rubi"].pk])
    client.force_login(people["officer_hatia"])
    assert batch.title in client.get(reverse("training:home")).content.decode()
    client.force_login(people["officer_other_upazila"])
    assert batch.title not in client.get(reverse("training:home")).content.decode()
    client.force_login(people["teacher_rubi"])
    page = client.get(reverse("training:home")).content.decode()
    assert batch.programme.title in page and "New batch" not in page


# ---------------------------------------------------------------- forms and bad input


def test_officer_creates_batch_with_bangla_digit_costs_and_trainer(client, people, places, programme):
    client.force_login(people["officer_hatia"])
    response = client.post(reverse("training:batch_new"), batch_form(
        places, programme, cost_venue="২৫,০০০", cost_allowances="১২০০০.৫০", capacity="২৫",
        trainer_phones="০১৭১১-০০০০০৫", trainer_names="রফিক স্যার"))
    batch = Batch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    # Stored in whole taka by the one rounding rule (training.money.whole_taka: halves up).
    assert batch.cost_venue == Decimal("25000") and batch.cost_allowances == Decimal("12001")
    assert batch.capacity == 25
    assert list(batch.trainers.all()) == [people["mentor_hatia"]]


@pytest.mark.parametrize("over, sentence", [
    ({"cost_venue": "-500"}, "A cost cannot be less than zero. Type 0 if there was no cost."),
    ({"cost_materials": "অনেক"}, "Type the amount in taka using digits, for example 25000."),
    ({"starts_on": "garbage"}, "This is not a date. Type day/month/year, for example ০৩/১২/২০২৬."),
    ({"ends_on": "2026-02-31"}, "This is not a date. Type day/month/year, for example ০৩/১২/২০২৬."),
    ({"ends_on": "2000-01-01"}, "The last day is before the first day. Check the dates."),
    ({"capacity": "0"}, None),
    ({"trainer_phones": "01999-999999"}, None),
    ({"trainer_phones": "hello"}, None),
])
def test_batch_bad_input_gives_sentence_and_stores_nothing(client, people, places, programme, over, sentence):
    client.force_login(people["officer_hatia"])
    response = client.post(reverse("training:batch_new"), batch_form(places, programme, **over))
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    if sentence:
        assert to_western_digits(sentence) in to_western_digits(response.content.decode())  # errors: page's digits
    assert not Batch.objects.exists()


def test_officer_cannot_choose_another_upazila(client, people, places, programme):
    client.force_login(people["officer_hatia"])
    response = client.post(reverse("training:batch_new"),
                           batch_form(places, programme, upazila=places["subarnachar"].pk))
    assert response.status_code == 200
    assert not Batch.objects.exists()


def test_programme_new(client, people, course):
    client.force_login(people["national_admin_nasrin"])
    response = client.post(reverse("training:programme_new"), {
        "title": "নতুন প্রশিক্ষণ", "description": "", "required_course": course.pk, "days": "৬", "is_active": "on"})
    assert response.status_code == 302
    assert Programme.objects.get().required_family == course.family


def test_costs_page_saves_and_shows_both_figures(client, people, course):
    client.force_login(people["national_admin_nasrin"])
    response = client.post(reverse("training:costs"), {
        "course": course.pk, "year": "২০২৬", "development": "১,০০,০০০", "hosting": "0", "sms": "", "other": "0"})
    assert response.status_code == 302
    assert CourseCost.objects.get().development == Decimal("100000")
    page = client.get(reverse("training:costs")).content.decode()
    assert 'id="online-cost"' in page and 'id="f2f-cost"' in page


def test_costs_negative_refused(client, people, course):
    client.force_login(people["national_admin_nasrin"])
    response = client.post(reverse("training:costs"), {"course": course.pk, "year": "2026", "development": "-1"})
    assert response.status_code == 200 and not CourseCost.objects.exists()


# ---------------------------------------------------------------- invite, answer, attendance, complete


def test_invite_flow_by_pages(client, people, certified, batch, django_capture_on_commit_callbacks):
    client.force_login(people["officer_hatia"])
    url = reverse("training:invite", kwargs={"pk": batch.pk})
    page = client.get(url).content.decode()
    assert people["teacher_rubi"].name_bn in page and people["teacher_subarnachar"].name_bn not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"teacher": [str(people["teacher_rubi"].pk)]})
    assert response.status_code == 302
    assert len(sms.outbox) == 1
    # A forged id of another upazila's teacher: a sentence, nothing stored.
    response = client.post(url, {"teacher": [str(people["teacher_subarnachar"].pk)]})
    assert response.status_code == 200 and 'class="msg error"' in response.content.decode()
    assert Invitation.objects.count() == 1
    # Garbage ids are ignored (then: "choose at least one").
    response = client.post(url, {"teacher": ["abc", "9" * 40]})
    assert "Choose at least one teacher to invite." in response.content.decode()


def test_invite_page_empty_state(client, people, batch):
    client.force_login(people["officer_hatia"])
    page = client.get(reverse("training:invite", kwargs={"pk": batch.pk})).content.decode()
    assert 'id="no-eligible"' in page


def test_teacher_accepts_by_page(client, people, certified, batch):
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    client.force_login(people["teacher_rubi"])
    url = reverse("training:invitation", kwargs={"pk": inv.pk})
    assert "Accept" in client.get(url).content.decode()
    assert client.post(url, {"answer": "accept"}).status_code == 302
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.ACCEPTED
    client.post(url, {"answer": "maybe"})
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.ACCEPTED


@pytest.fixture
def started(people, certified, make_batch):
    batch = make_batch(starts_in=0, days=3)
    invs = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                     teacher_ids=[people["teacher_rubi"].pk, people["head_teacher_masuma"].pk])
    for inv in invs:
        services.invitation_respond(actor=inv.teacher, invitation=inv, accept=True)
    return batch


def test_attendance_by_page(client, people, started):
    client.force_login(people["officer_hatia"])
    today = timezone.localdate()
    url = reverse("training:attendance", kwargs={"pk": started.pk, "day": today.isoformat()})
    assert client.get(reverse("training:attendance_today", kwargs={"pk": started.pk})).url == url
    page = client.get(url).content.decode()
    assert people["teacher_rubi"].name_bn in page
    assert client.post(url, {"present": [str(people["teacher_rubi"].pk)]}).status_code == 302
    assert Attendance.objects.filter(present=True).count() == 1
    assert Attendance.objects.filter(present=False).count() == 1
    # Tomorrow: the page says so and a post stores nothing.
    tomorrow = reverse("training:attendance", kwargs={"pk": started.pk,
                                                      "day": (today + dt.timedelta(days=1)).isoformat()})
    assert "This day has not come yet." in client.get(tomorrow).content.decode()
    response = client.post(tomorrow, {"present": [str(people["teacher_rubi"].pk)]})
    assert "Attendance cannot be taken for a day in the future." in response.content.decode()
    assert Attendance.objects.count() == 2


@pytest.mark.parametrize("day", ["garbage", "2026-13-01", "20261123", "1999-01-01"])
def test_attendance_bad_day_is_404(client, people, started, day):
    client.force_login(people["officer_hatia"])
    assert client.get(f"/training/batches/{started.pk}/attendance/{day}/").status_code == 404


def test_complete_by_page(client, people, started):
    today = timezone.localdate()
    Batch.objects.filter(pk=started.pk).update(starts_on=today - dt.timedelta(days=2), ends_on=today)
    started.refresh_from_db()
    services.attendance_take(actor=people["officer_hatia"], batch=started, day=today,
                             present_ids=[people["teacher_rubi"].pk])
    client.force_login(people["officer_hatia"])
    url = reverse("training:complete", kwargs={"pk": started.pk})
    client.post(url, {"min_days": "x"})
    started.refresh_from_db()
    assert started.status != Batch.Status.COMPLETED
    assert client.post(url, {"min_days": "১"}).status_code == 302
    assert Invitation.objects.filter(completed_at__isnull=False).count() == 1
    page = client.get(started.get_absolute_url()).content.decode()
    assert 'id="cost-per-teacher"' in page


# ---------------------------------------------------------------- query counts


def test_batch_list_queries_bounded(client, people, make_batch, django_assert_max_num_queries):
    for _ in range(5):
        make_batch()
    client.force_login(people["officer_hatia"])
    client.get(reverse("training:home"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("training:home")).status_code == 200


def test_invite_page_queries_bounded(client, people, places, certify, batch, django_assert_max_num_queries):
    from shikhon.people.models import Role
    from shikhon.people.tests.factories import UserFactory, grant

    for _ in range(12):
        user = UserFactory()
        grant(user, Role.Kind.TEACHER, school=places["school_hatia"])
        certify(user)
    client.force_login(people["officer_hatia"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:invite", kwargs={"pk": batch.pk}))
    assert response.content.decode().count('name="teacher"') == 12


def test_attendance_and_batch_pages_queries_bounded(client, people, places, certify, make_batch,
                                                    django_assert_max_num_queries):
    from shikhon.people.models import Role
    from shikhon.people.tests.factories import UserFactory, grant

    batch = make_batch(starts_in=0, days=3)
    teachers = []
    for _ in range(10):
        user = UserFactory()
        grant(user, Role.Kind.TEACHER, school=places["school_hatia"])
        certify(user)
        teachers.append(user)
    sent = services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=[t.pk for t in teachers])
    for inv in sent:
        services.invitation_respond(actor=inv.teacher, invitation=inv, accept=True)
    client.force_login(people["officer_hatia"])
    url = reverse("training:attendance", kwargs={"pk": batch.pk, "day": batch.starts_on.isoformat()})
    with django_assert_max_num_queries(12):
        assert client.get(url).content.decode().count('name="present"') == 10
    with django_assert_max_num_queries(14):
        assert client.get(batch.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.post(url, {"present": [str(t.pk) for t in teachers[:5]]}).status_code == 302


def test_officer_edits_batch_costs(client, people, places, batch):
    batch.trainers.add(people["mentor_hatia"])
    client.force_login(people["officer_hatia"])
    url = reverse("training:batch_edit", kwargs={"pk": batch.pk})
    page = client.get(url).content.decode()
    assert "01711-000005" in page and batch.venue in page
    data = batch_form(places, batch.programme, title=batch.title, starts_on=batch.starts_on.isoformat(),
                      ends_on=batch.ends_on.isoformat(), cost_materials="১,৫০০", trainer_phones="01711000005")
    assert client.post(url, data).status_code == 302
    batch.refresh_from_db()
    assert batch.cost_materials == Decimal("1500") and list(batch.trainers.all()) == [people["mentor_hatia"]]
    client.force_login(people["officer_other_upazila"])
    assert client.post(url, data).status_code == 404


def test_programme_edit_closes_it(client, people, programme):
    client.force_login(people["national_admin_nasrin"])
    url = reverse("training:programme_edit", kwargs={"pk": programme.pk})
    assert client.post(url, {"title": programme.title, "description": "", "required_course": "", "days": "5"}
                       ).status_code == 302
    programme.refresh_from_db()
    assert (programme.is_active, programme.required_family, programme.days) == (False, None, 5)
