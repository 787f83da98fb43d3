from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shikhon.core import sms
from shikhon.core.models import AuditEvent
from shikhon.notify.models import Notification
from shikhon.training import selectors, services
from shikhon.training.models import Attendance, Batch, CourseCost, Invitation

pytestmark = pytest.mark.django_db


def ids(people, *keys):
    return [people[k].pk for k in keys]


# ---------------------------------------------------------------- programmes and batches


def test_programme_stores_required_family(programme, course):
    assert programme.required_course == course
    assert programme.required_family == course.family


def test_programme_only_by_national_admin(people, course):
    with pytest.raises(PermissionDenied):
        services.programme_save(actor=people["officer_hatia"], title="x", required_course=course, days=6)


def test_batch_copies_places_and_audits(batch, places):
    assert batch.district_id == places["hatia"].district_id
    assert batch.division_id == places["hatia"].division_id
    assert AuditEvent.objects.filter(action="batch_saved", target_id=str(batch.pk)).exists()


@pytest.mark.parametrize("who", ["officer_hatia", "officer_noakhali", "officer_chattagram", "national_admin_nasrin"])
def test_officers_over_hatia_may_organise_there(make_batch, who):
    assert make_batch(actor=who).pk


@pytest.mark.parametrize("who", ["officer_other_upazila", "officer_sylhet_upazila", "teacher_rubi", "mentor_hatia",
                                 "head_teacher_masuma", "researcher_tanvir"])
def test_others_may_not_organise_in_hatia(make_batch, who):
    with pytest.raises(PermissionDenied):
        make_batch(actor=who)
    assert not Batch.objects.exists()


@pytest.mark.parametrize("kwargs, code", [
    ({"days": 15}, "too_long"),
    ({"capacity": 0}, "capacity"),
    ({"cost_venue": Decimal("-1")}, "negative_cost"),
])
def test_batch_bad_input(make_batch, kwargs, code):
    with pytest.raises(ValidationError) as exc:
        make_batch(**kwargs)
    assert code in str(exc.value.error_dict) or exc.value.error_dict
    assert not Batch.objects.exists()


def test_batch_ends_before_it_starts(people, places, programme):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.batch_save(actor=people["officer_hatia"], programme=programme, title="x", upazila=places["hatia"],
                            venue="y", starts_on=today, ends_on=today - dt.timedelta(days=1), capacity=10)
    assert "The last day is before the first day. Check the dates." in exc.value.messages
    assert not Batch.objects.exists()


def test_batch_capacity_cannot_drop_below_invited(people, places, certified, make_batch):
    batch = make_batch(capacity=5)
    services.invitations_send(actor=people["officer_hatia"], batch=batch,
                              teacher_ids=ids(people, "teacher_rubi", "head_teacher_masuma"))
    with pytest.raises(ValidationError):
        services.batch_save(actor=people["officer_hatia"], batch=batch, programme=batch.programme, title="x",
                            upazila=places["hatia"], venue="y", starts_on=batch.starts_on, ends_on=batch.ends_on,
                            capacity=1)


# ---------------------------------------------------------------- eligibility and invitations


def eligible_ids(people, batch, actor="officer_hatia"):
    return set(selectors.eligible_teachers(people[actor], batch).values_list("pk", flat=True))


def test_eligible_teachers_of_hatia_with_certificate(people, certified, batch):
    assert eligible_ids(people, batch) == set(ids(people, "teacher_rubi", "head_teacher_masuma",
                                                   "teacher_of_other_school"))
    # District officer: Subarnachar's Laila too.
    assert people["teacher_subarnachar"].pk in eligible_ids(people, batch, "officer_noakhali")


def test_eligible_teacher_carries_school_name(people, certified, batch, places):
    rubi = selectors.eligible_teachers(people["officer_hatia"], batch).get(pk=people["teacher_rubi"].pk)
    assert rubi.school_name == places["school_hatia"].name_bn


def test_without_certificate_not_eligible(people, batch, certify):
    assert people["teacher_rubi"].pk not in eligible_ids(people, batch)
    with pytest.raises(ValidationError):
        services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=ids(people, "teacher_rubi"))
    assert not Invitation.objects.exists()


def test_revoked_certificate_not_eligible(people, batch, certify):
    certify(people["teacher_rubi"], revoked=True)
    assert people["teacher_rubi"].pk not in eligible_ids(people, batch)


def test_certificate_of_another_version_counts(people, batch, course, certify):
    from shikhon.courses.tests.factories import CourseFactory

    v2 = CourseFactory(family=course.family, version=2, slug=course.slug, status="draft", published_at=None)
    certify(people["teacher_rubi"], on=v2)
    assert people["teacher_rubi"].pk in eligible_ids(people, batch)


def test_search_by_name_and_bangla_phone(people, certified, batch):
    by_name = selectors.eligible_teachers(people["officer_hatia"], batch, "রুবি")
    assert list(by_name.values_list("pk", flat=True)) == [people["teacher_rubi"].pk]
    by_phone = selectors.eligible_teachers(people["officer_hatia"], batch, "০১৭১১০০০০০৭")
    assert list(by_phone.values_list("pk", flat=True)) == [people["teacher_rubi"].pk]


def test_other_upazila_teacher_not_invitable_by_officer_hatia(people, certified, batch):
    with pytest.raises(ValidationError):
        services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                  teacher_ids=ids(people, "teacher_rubi", "teacher_subarnachar"))
    assert not Invitation.objects.exists()  # all or nothing


def test_pending_teacher_not_eligible(people, certified, batch):
    assert people["teacher_pending_zahid"].pk not in eligible_ids(people, batch)


def test_invitation_stores_places_notifies_and_audits(people, places, certified, batch,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                         teacher_ids=ids(people, "teacher_rubi"))
    inv = sent[0]
    assert (inv.school_id, inv.upazila_id, inv.district_id) == (
        places["school_hatia"].pk, places["hatia"].pk, places["noakhali"].pk)
    assert inv.status == Invitation.Status.INVITED and inv.invited_by == people["officer_hatia"]
    note = Notification.objects.get(recipient=people["teacher_rubi"], kind="training_invited")
    assert note.params["venue"] == batch.venue
    assert note.params["starts"][0] in "০১২৩৪৫৬৭৮৯"
    assert len(sms.outbox) == 1 and sms.outbox[0].to == people["teacher_rubi"].phone
    assert AuditEvent.objects.filter(action="training_invited").count() == 1


def test_invited_twice_is_refused_and_no_second_sms(people, certified, batch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=ids(people, "teacher_rubi"))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=ids(people, "teacher_rubi"))
    assert len(sms.outbox) == 1


def test_not_eligible_while_holding_place_in_another_open_batch(people, certified, make_batch):
    first, second = make_batch(), make_batch(starts_in=20)
    services.invitations_send(actor=people["officer_hatia"], batch=first, teacher_ids=ids(people, "teacher_rubi"))
    assert people["teacher_rubi"].pk not in eligible_ids(people, second)


def test_declined_elsewhere_is_eligible_again(people, certified, make_batch):
    first, second = make_batch(), make_batch(starts_in=20)
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=first,
                                      teacher_ids=ids(people, "teacher_rubi"))
    services.invitation_respond(actor=people["teacher_rubi"], invitation=inv, accept=False)
    assert people["teacher_rubi"].pk in eligible_ids(people, second)


def test_capacity_counts_invited_and_accepted(people, certified, make_batch):
    batch = make_batch(capacity=2)
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=ids(people, "teacher_rubi"))
    services.invitation_respond(actor=people["teacher_rubi"], invitation=inv, accept=True)
    with pytest.raises(ValidationError) as exc:
        services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                  teacher_ids=ids(people, "head_teacher_masuma", "teacher_of_other_school"))
    assert "Only 1 places are left in this batch. Choose fewer teachers." in exc.value.messages
    services.invitations_send(actor=people["officer_hatia"], batch=batch,
                              teacher_ids=ids(people, "head_teacher_masuma"))
    assert batch.invitations.count() == 2


def test_officer_of_other_upazila_may_not_invite(people, certified, batch):
    with pytest.raises(PermissionDenied):
        services.invitations_send(actor=people["officer_other_upazila"], batch=batch,
                                  teacher_ids=ids(people, "teacher_subarnachar"))


def test_nobody_chosen(people, batch):
    with pytest.raises(ValidationError):
        services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=[])


# ---------------------------------------------------------------- answers


@pytest.fixture
def rubi_invitation(people, certified, batch):
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=ids(people, "teacher_rubi"))
    return inv


def test_teacher_accepts_and_changes_her_mind(people, rubi_invitation):
    inv = services.invitation_respond(actor=people["teacher_rubi"], invitation=rubi_invitation, accept=True)
    assert inv.status == Invitation.Status.ACCEPTED and inv.responded_at
    inv = services.invitation_respond(actor=people["teacher_rubi"], invitation=inv, accept=False)
    assert inv.status == Invitation.Status.DECLINED


@pytest.mark.parametrize("who", ["head_teacher_masuma", "officer_hatia", "national_admin_nasrin"])
def test_only_the_teacher_herself_responds(people, rubi_invitation, who):
    with pytest.raises(PermissionDenied):
        services.invitation_respond(actor=people[who], invitation=rubi_invitation, accept=True)


def test_no_answer_after_the_start(people, rubi_invitation):
    Batch.objects.filter(pk=rubi_invitation.batch_id).update(starts_on=timezone.localdate() - dt.timedelta(days=1))
    rubi_invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.invitation_respond(actor=people["teacher_rubi"], invitation=rubi_invitation, accept=True)


# ---------------------------------------------------------------- attendance and completion


@pytest.fixture
def running(people, certified, make_batch):
    """A 3-day batch that started 2 days ago (today is its last day), Rubi and Masuma accepted,
    Kamrun declined."""
    batch = make_batch(starts_in=0, days=3, cost_venue=Decimal("3000"), cost_allowances=Decimal("6000"))
    invs = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                     teacher_ids=ids(people, "teacher_rubi", "head_teacher_masuma",
                                                     "teacher_of_other_school"))
    for inv in invs:
        services.invitation_respond(actor=inv.teacher, invitation=inv,
                                    accept=inv.teacher != people["teacher_of_other_school"])
    today = timezone.localdate()
    Batch.objects.filter(pk=batch.pk).update(starts_on=today - dt.timedelta(days=2), ends_on=today)
    batch.refresh_from_db()
    return batch


def test_attendance_marks_present_and_absent_and_can_be_corrected(people, running):
    day = running.starts_on
    n = services.attendance_take(actor=people["officer_hatia"], batch=running, day=day,
                                 present_ids=ids(people, "teacher_rubi"))
    assert n == 1
    rows = dict(Attendance.objects.filter(day=day).values_list("invitation__teacher_id", "present"))
    assert rows == {people["teacher_rubi"].pk: True, people["head_teacher_masuma"].pk: False}
    services.attendance_take(actor=people["officer_hatia"], batch=running, day=day,
                             present_ids=ids(people, "teacher_rubi", "head_teacher_masuma"))
    assert Attendance.objects.filter(day=day).count() == 2
    assert Attendance.objects.filter(day=day, present=True).count() == 2
    running.refresh_from_db()
    assert running.status == Batch.Status.RUNNING
    assert AuditEvent.objects.filter(action="attendance_taken").count() == 2


@pytest.mark.parametrize("offset", [-3, 1])
def test_attendance_day_outside_dates_or_future_rejected(people, running, offset):
    day = timezone.localdate() + dt.timedelta(days=offset)
    with pytest.raises(ValidationError):
        services.attendance_take(actor=people["officer_hatia"], batch=running, day=day,
                                 present_ids=ids(people, "teacher_rubi"))
    assert not Attendance.objects.exists()


def test_attendance_future_day_within_dates_rejected(people, make_batch, certified):
    batch = make_batch(starts_in=0, days=3)
    with pytest.raises(ValidationError) as exc:
        services.attendance_take(actor=people["officer_hatia"], batch=batch,
                                 day=timezone.localdate() + dt.timedelta(days=1), present_ids=[])
    assert "Attendance cannot be taken for a day in the future." in exc.value.messages


def test_attendance_only_for_accepted(people, running):
    with pytest.raises(ValidationError):
        services.attendance_take(actor=people["officer_hatia"], batch=running, day=running.starts_on,
                                 present_ids=ids(people, "teacher_of_other_school"))
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who, allowed", [("officer_hatia", True), ("teacher_rubi", False), ("mentor_hatia", False),
                                          ("officer_other_upazila", False), ("trainer", True)])
def test_who_takes_attendance(people, running, who, allowed):
    if who == "trainer":
        running.trainers.add(people["mentor_hatia"])
        who = "mentor_hatia"
    call = lambda: services.attendance_take(actor=people[who], batch=running, day=running.starts_on,  # noqa: E731
                                            present_ids=[])
    if allowed:
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


def _mark(people, batch, day_index, *keys):
    services.attendance_take(actor=people["officer_hatia"], batch=batch,
                             day=batch.starts_on + dt.timedelta(days=day_index), present_ids=ids(people, *keys))


def test_completion_default_threshold_all_days_but_one(people, running, django_capture_on_commit_callbacks):
    _mark(people, running, 0, "teacher_rubi", "head_teacher_masuma")
    _mark(people, running, 1, "teacher_rubi")
    _mark(people, running, 2, "teacher_rubi")
    with django_capture_on_commit_callbacks(execute=True):
        n = services.batch_complete(actor=people["officer_hatia"], batch=running)
    assert n == 1  # Rubi 3 days ≥ 2; Masuma 1 day < 2
    done = Invitation.objects.get(teacher=people["teacher_rubi"])
    assert done.completed_at is not None
    assert Invitation.objects.get(teacher=people["head_teacher_masuma"]).completed_at is None
    running.refresh_from_db()
    assert running.status == Batch.Status.COMPLETED
    assert Notification.objects.filter(kind="training_completed", recipient=people["teacher_rubi"]).count() == 1
    assert AuditEvent.objects.filter(action="training_completed").exists()
    # Completed: not eligible again for the programme, even in a new batch.
    assert people["teacher_rubi"].pk not in eligible_ids(people, running)
    with pytest.raises(ValidationError):
        services.batch_complete(actor=people["officer_hatia"], batch=running)


def test_completion_with_explicit_threshold(people, running):
    _mark(people, running, 0, "teacher_rubi", "head_teacher_masuma")
    assert services.batch_complete(actor=people["officer_hatia"], batch=running, min_days=1) == 2


def test_completion_threshold_out_of_range(people, running):
    with pytest.raises(ValidationError):
        services.batch_complete(actor=people["officer_hatia"], batch=running, min_days=4)
    running.refresh_from_db()
    assert running.status == Batch.Status.RUNNING or running.status == Batch.Status.PLANNED


def test_completion_not_before_last_day(people, batch):
    with pytest.raises(ValidationError):
        services.batch_complete(actor=people["officer_hatia"], batch=batch)


def test_completion_only_by_organiser(people, running):
    with pytest.raises(PermissionDenied):
        services.batch_complete(actor=people["officer_other_upazila"], batch=running)


# ---------------------------------------------------------------- costs


def test_batch_summary_and_cost_per_teacher(people, running):
    summary = selectors.batch_summary(running)
    assert (summary.invited, summary.accepted, summary.declined, summary.attended, summary.completed) == (0, 2, 1, 0, 0)
    assert summary.total_cost == Decimal("9000")
    assert summary.cost_per_teacher is None  # nobody completed: no division by zero
    _mark(people, running, 0, "teacher_rubi", "head_teacher_masuma")
    _mark(people, running, 1, "teacher_rubi", "head_teacher_masuma")
    services.batch_complete(actor=people["officer_hatia"], batch=running)
    summary = selectors.batch_summary(running)
    assert (summary.attended, summary.completed) == (2, 2)
    assert summary.cost_per_teacher == Decimal("4500")
    f2f = selectors.face_to_face_cost_per_teacher()
    assert (f2f.total, f2f.trained, f2f.per_teacher) == (Decimal("9000"), 2, Decimal("4500"))
    assert f2f.reference == Decimal("8013")


def test_online_cost_per_teacher(people, course, certify):
    year = timezone.localdate().year
    services.course_cost_save(actor=people["national_admin_nasrin"], course=course, year=year,
                              development=Decimal("100"), hosting=Decimal("20"), sms=Decimal("0"), other=Decimal("0"))
    zero = selectors.online_cost_per_teacher(course.family, year)
    assert (zero.total, zero.certified, zero.per_teacher) == (Decimal("120"), 0, None)
    certify(people["teacher_rubi"])
    certify(people["head_teacher_masuma"])
    certify(people["teacher_of_other_school"], revoked=True)
    certify(people["teacher_subarnachar"], issued_at=timezone.now().replace(year=year - 1))
    cost = selectors.online_cost_per_teacher(course.family, year)
    assert (cost.certified, cost.per_teacher) == (2, Decimal("60"))
    assert selectors.online_cost_per_teacher(course.family).certified == 3
    assert cost.reference == Decimal("37")
    rows = selectors.online_costs_by_family()
    assert [(r.total, r.certified, r.per_teacher) for r in rows] == [(Decimal("120"), 3, Decimal("40"))]


def test_course_cost_is_corrected_not_duplicated(people, course):
    for amount in ("100", "150"):
        services.course_cost_save(actor=people["national_admin_nasrin"], course=course, year=2026,
                                  development=Decimal(amount))
    assert CourseCost.objects.get().development == Decimal("150")


@pytest.mark.parametrize("kwargs", [{"development": Decimal("-5")}, {"year": 1990}])
def test_course_cost_bad_input(people, course, kwargs):
    with pytest.raises(ValidationError):
        services.course_cost_save(actor=people["national_admin_nasrin"], course=course,
                                  **{"year": 2026, **kwargs})
    assert not CourseCost.objects.exists()


def test_course_cost_only_national_admin(people, course):
    with pytest.raises(PermissionDenied):
        services.course_cost_save(actor=people["officer_hatia"], course=course, year=2026)
