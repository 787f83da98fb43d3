"""Issue 10: a batch moved, cancelled, an invitation withdrawn (teachers told, audited); the training
certificate of a completion; the one rounding rule of costs and the costs page for every officer."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from shikhon.certificates import eligibility
from shikhon.certificates.models import Certificate
from shikhon.core import sms
from shikhon.core.bangla import to_western_digits
from shikhon.core.models import AuditEvent
from shikhon.notify.models import Notification
from shikhon.training import money, selectors, services
from shikhon.training.models import Batch, Invitation
from shikhon.training.tasks import training_certificate_task

pytestmark = pytest.mark.django_db


def ids(people, *keys):
    return [people[k].pk for k in keys]


@pytest.fixture
def invited(people, certified, batch):
    """Rubi accepted, Masuma invited (no answer yet), Kamrun declined."""
    invs = {i.teacher_id: i for i in services.invitations_send(
        actor=people["officer_hatia"], batch=batch,
        teacher_ids=ids(people, "teacher_rubi", "head_teacher_masuma", "teacher_of_other_school"))}
    services.invitation_respond(actor=people["teacher_rubi"], invitation=invs[people["teacher_rubi"].pk], accept=True)
    services.invitation_respond(actor=people["teacher_of_other_school"],
                                invitation=invs[people["teacher_of_other_school"].pk], accept=False)
    sms.outbox.clear()
    return batch


def _move(people, batch, *, days=7, venue=None, actor="officer_hatia"):
    return services.batch_save(
        actor=people[actor], batch=batch, programme=batch.programme, title=batch.title, upazila=batch.upazila,
        venue=venue or batch.venue, starts_on=batch.starts_on + dt.timedelta(days=days),
        ends_on=batch.ends_on + dt.timedelta(days=days), capacity=batch.capacity)


# ---------------------------------------------------------------- moved


def test_moving_a_batch_tells_every_invited_teacher_once(people, invited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moved = _move(people, invited)
    told = set(Notification.objects.filter(kind="training_changed").values_list("recipient_id", flat=True))
    assert told == set(ids(people, "teacher_rubi", "head_teacher_masuma"))  # not Kamrun, who declined
    assert sorted(m.to for m in sms.outbox) == sorted(people[k].phone for k in ("teacher_rubi", "head_teacher_masuma"))
    note = Notification.objects.filter(kind="training_changed", recipient=people["teacher_rubi"]).get()
    assert note.params["starts"][0] in "০১২৩৪৫৬৭৮৯" and note.params["venue"] == moved.venue
    event = AuditEvent.objects.get(action="batch_changed")
    assert event.details["told"] == 2 and event.details["to"]["starts_on"] == moved.starts_on.isoformat()
    # Moved back: a new change, told again.
    with django_capture_on_commit_callbacks(execute=True):
        _move(people, moved, days=-7)
    assert Notification.objects.filter(kind="training_changed").count() == 4


def test_a_new_venue_is_a_change_and_other_edits_are_not(people, invited):
    services.batch_save(actor=people["officer_hatia"], batch=invited, programme=invited.programme, title="নতুন নাম",
                        upazila=invited.upazila, venue=invited.venue, starts_on=invited.starts_on,
                        ends_on=invited.ends_on, capacity=40)
    assert not Notification.objects.filter(kind="training_changed").exists()
    _move(people, invited, days=0, venue="হাতিয়া উচ্চ বিদ্যালয়")
    assert Notification.objects.filter(kind="training_changed").count() == 2


def test_only_officers_over_the_venue_move_it(people, invited):
    with pytest.raises(PermissionDenied):
        _move(people, invited, actor="officer_other_upazila")
    assert not Notification.objects.filter(kind="training_changed").exists()


# ---------------------------------------------------------------- cancelled and withdrawn


def test_cancel_with_a_reason_tells_the_holders(people, invited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_cancel(actor=people["officer_hatia"], batch=invited, reason="  বন্যায় কেন্দ্র   বন্ধ। ")
    assert batch.status == Batch.Status.CANCELLED and batch.cancel_reason == "বন্যায় কেন্দ্র বন্ধ।"
    notes = Notification.objects.filter(kind="training_cancelled")
    assert set(notes.values_list("recipient_id", flat=True)) == set(ids(people, "teacher_rubi", "head_teacher_masuma"))
    assert notes.first().params["reason"] == "বন্যায় কেন্দ্র বন্ধ।" and len(sms.outbox) == 2
    assert AuditEvent.objects.get(action="batch_cancelled").details["reason"] == "বন্যায় কেন্দ্র বন্ধ।"
    with pytest.raises(ValidationError):
        services.batch_cancel(actor=people["officer_hatia"], batch=batch, reason="আবার")


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_cancel_needs_a_reason(people, invited, reason):
    with pytest.raises(ValidationError) as caught:
        services.batch_cancel(actor=people["officer_hatia"], batch=invited, reason=reason)
    assert "reason" in caught.value.message_dict
    assert Batch.objects.get(pk=invited.pk).status == Batch.Status.PLANNED
    assert not Notification.objects.filter(kind="training_cancelled").exists()


@pytest.mark.parametrize("who", ["officer_other_upazila", "teacher_rubi", "head_teacher_masuma", "researcher_tanvir"])
def test_cancel_only_by_officers_over_the_venue(people, invited, who):
    with pytest.raises(PermissionDenied):
        services.batch_cancel(actor=people[who], batch=invited, reason="কারণ")


def test_withdraw_an_invitation_with_a_reason(people, invited, django_capture_on_commit_callbacks):
    rubi = Invitation.objects.get(batch=invited, teacher=people["teacher_rubi"])
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invitation_withdraw(actor=people["officer_hatia"], invitation=rubi, reason="অন্য ব্যাচে যাবেন।")
    assert inv.status == Invitation.Status.CANCELLED and inv.withdraw_reason == "অন্য ব্যাচে যাবেন।"
    note = Notification.objects.get(kind="training_invitation_withdrawn")
    assert note.recipient == people["teacher_rubi"] and note.params["reason"] == "অন্য ব্যাচে যাবেন।"
    assert [m.to for m in sms.outbox] == [people["teacher_rubi"].phone]
    assert AuditEvent.objects.get(action="invitation_withdrawn").details["teacher_id"] == people["teacher_rubi"].pk
    assert selectors.batch_summary(invited).holding == 1  # her place is free again
    with pytest.raises(ValidationError):  # withdrawn already
        services.invitation_withdraw(actor=people["officer_hatia"], invitation=inv, reason="আবার")
    with pytest.raises(ValidationError):  # the teacher can no longer accept
        services.invitation_respond(actor=people["teacher_rubi"], invitation=inv, accept=True)


def test_withdraw_needs_a_reason_and_an_organiser(people, invited):
    rubi = Invitation.objects.get(batch=invited, teacher=people["teacher_rubi"])
    with pytest.raises(ValidationError):
        services.invitation_withdraw(actor=people["officer_hatia"], invitation=rubi, reason=" ")
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(actor=people["officer_other_upazila"], invitation=rubi, reason="কারণ")
    assert Invitation.objects.get(pk=rubi.pk).status == Invitation.Status.ACCEPTED


def test_cancel_page_needs_a_reason_sentence(client, people, invited):
    client.force_login(people["officer_hatia"])
    url = reverse("training:batch_cancel", kwargs={"pk": invited.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Write why the batch is cancelled; the invited teachers will read it." in response.content.decode()
    assert client.post(url, {"reason": "বন্যা"}).status_code == 302
    assert Batch.objects.get(pk=invited.pk).status == Batch.Status.CANCELLED


@pytest.mark.parametrize("who, status", [("officer_hatia", 200), ("officer_noakhali", 200),
                                         ("national_admin_nasrin", 200), ("officer_other_upazila", 404),
                                         ("officer_sylhet_upazila", 404),
                                         ("teacher_rubi", 404), ("head_teacher_masuma", 404)])
def test_cancel_and_withdraw_pages_by_role(client, people, invited, who, status):
    rubi = Invitation.objects.get(batch=invited, teacher=people["teacher_rubi"])
    client.force_login(people[who])
    assert client.get(reverse("training:batch_cancel", kwargs={"pk": invited.pk})).status_code == status
    withdraw = reverse("training:invitation_withdraw", kwargs={"pk": invited.pk, "invitation_pk": rubi.pk})
    assert client.get(withdraw).status_code == status


def test_withdraw_page_of_another_batch_is_404(client, people, invited, make_batch):
    other = make_batch(starts_in=20)
    rubi = Invitation.objects.get(batch=invited, teacher=people["teacher_rubi"])
    client.force_login(people["officer_hatia"])
    url = reverse("training:invitation_withdraw", kwargs={"pk": other.pk, "invitation_pk": rubi.pk})
    assert client.get(url).status_code == 404


def test_the_teacher_sees_the_reason_on_her_invitation(client, people, invited):
    rubi = Invitation.objects.get(batch=invited, teacher=people["teacher_rubi"])
    services.invitation_withdraw(actor=people["officer_hatia"], invitation=rubi, reason="অন্য ব্যাচে যাবেন।")
    client.force_login(people["teacher_rubi"])
    body = client.get(reverse("training:invitation", kwargs={"pk": rubi.pk})).content.decode()
    assert "This invitation was withdrawn." in body and "অন্য ব্যাচে যাবেন।" in body


# ---------------------------------------------------------------- training certificate


@pytest.fixture
def completed(people, invited, django_capture_on_commit_callbacks):
    """Rubi present every day of a 3-day batch that ends today; the batch completed."""
    today = timezone.localdate()
    Batch.objects.filter(pk=invited.pk).update(starts_on=today - dt.timedelta(days=2), ends_on=today)
    invited.refresh_from_db()
    for i in range(3):
        services.attendance_take(actor=people["officer_hatia"], batch=invited,
                                 day=invited.starts_on + dt.timedelta(days=i), present_ids=ids(people, "teacher_rubi"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.batch_complete(actor=people["officer_hatia"], batch=invited) == 1
    return invited


def test_completion_issues_the_training_certificate_once(settings, people, places, completed, media_root):
    settings.SHIKHON_PUBLIC_URL = "https://shikhon.example.gov.bd"
    rubi = Invitation.objects.get(batch=completed, teacher=people["teacher_rubi"])
    training_certificate_task.call(invitation_id=rubi.pk)
    training_certificate_task.call(invitation_id=rubi.pk)  # twice: once
    certificate = Certificate.objects.get(kind="training")
    rubi.refresh_from_db()
    assert rubi.certificate_id == certificate.pk and certificate.user == people["teacher_rubi"]
    assert certificate.course_title == completed.programme.title and certificate.venue == completed.venue
    assert certificate.hours == 3 * completed.programme.hours_per_day
    assert (certificate.held_from, certificate.held_to) == (completed.starts_on, completed.ends_on)
    assert certificate.school_id == places["school_hatia"].pk
    assert Notification.objects.filter(kind="certificate_issued", recipient=people["teacher_rubi"]).count() == 1
    assert services.training_certificates_queue_missing() == 0


def test_no_certificate_without_completion(people, invited):
    masuma = Invitation.objects.get(batch=invited, teacher=people["head_teacher_masuma"])
    assert services.training_certificate_issue(invitation_id=masuma.pk) is None
    assert services.training_certificate_issue(invitation_id=10**9) is None
    assert not Certificate.objects.filter(kind="training").exists()


def test_her_learning_page_links_the_training_certificate(client, people, completed, media_root):
    rubi = Invitation.objects.get(batch=completed, teacher=people["teacher_rubi"])
    certificate = services.training_certificate_issue(invitation_id=rubi.pk)
    assert certificate is not None
    client.force_login(people["teacher_rubi"])
    body = client.get(reverse("learning:home")).content.decode()
    assert certificate.get_absolute_url() in body
    assert certificate.get_absolute_url() in client.get(reverse("certificates:list")).content.decode()


def test_a_course_certificate_names_the_programme_that_asks_for_it(people, programme):
    assert selectors.programme_titles_for_family(programme.required_family) == [programme.title]
    assert programme.title in eligibility.programmes_unlocked_by(programme.required_family)


# ---------------------------------------------------------------- costs: one rounding rule


@pytest.mark.parametrize("value, whole", [("0.5", "1"), ("1.5", "2"), ("2.5", "3"), ("12000.49", "12000"),
                                          ("12000.50", "12001"), ("0", "0")])
def test_whole_taka_rounds_halves_up(value, whole):
    assert money.whole_taka(Decimal(value)) == Decimal(whole)


@given(parts=st.lists(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False), min_size=4, max_size=4),
       completed=st.integers(min_value=0, max_value=500))
@settings(max_examples=200, deadline=None)
def test_stored_parts_add_up_to_the_total_and_per_teacher_is_one_rule(parts, completed):
    stored = [money.whole_taka(p) for p in parts]
    total = sum(stored, start=Decimal(0))
    assert total == total.to_integral_value()  # whole taka: the parts shown add up exactly
    share = money.per_teacher(total, completed)
    if completed:
        assert share == money.whole_taka(total / completed) and abs(share * completed - total) <= completed
    else:
        assert share is None


def _numbers(html: str, marker: str) -> str:
    match = re.search(marker + r".*?<b>([^<]*)</b>", html, re.S)
    assert match, marker
    return to_western_digits(match.group(1)).replace(",", "")


def test_batch_page_and_costs_page_agree_with_awkward_amounts(client, people, completed):
    awkward = {"cost_venue": Decimal("1000.50"), "cost_allowances": Decimal("333.33"),
               "cost_materials": Decimal("0.49"), "cost_trainers": Decimal("2.5")}
    services.batch_save(actor=people["officer_hatia"], batch=completed, programme=completed.programme,
                        title=completed.title, upazila=completed.upazila, venue=completed.venue,
                        starts_on=completed.starts_on, ends_on=completed.ends_on, capacity=completed.capacity,
                        **awkward)
    completed.refresh_from_db()
    parts = [completed.cost_venue, completed.cost_allowances, completed.cost_materials, completed.cost_trainers]
    assert parts == [Decimal("1001"), Decimal("333"), Decimal("0"), Decimal("3")]
    summary = selectors.batch_summary(completed)
    assert summary.total_cost == sum(parts) == Decimal("1337") and summary.cost_per_teacher == Decimal("1337")
    client.force_login(people["officer_hatia"])
    batch_page = client.get(completed.get_absolute_url()).content.decode()
    costs_page = client.get(reverse("training:costs")).content.decode()
    assert "1337" in _numbers(batch_page, 'id="cost-per-teacher"')
    assert "1337" in _numbers(costs_page, 'id="f2f-cost"')
    f2f = selectors.face_to_face_costs_for(people["officer_hatia"])
    assert (f2f.total, f2f.trained, f2f.per_teacher) == (Decimal("1337"), 1, Decimal("1337"))


@pytest.mark.parametrize("who, status", [
    ("officer_hatia", 200), ("officer_noakhali", 200), ("officer_chattagram", 200), ("national_admin_nasrin", 200),
    ("officer_other_upazila", 200), ("researcher_tanvir", 200),
    ("teacher_rubi", 404), ("head_teacher_masuma", 404), ("mentor_hatia", 404), ("course_author_shirin", 404),
    ("no_role_user", 404)])
def test_costs_page_for_every_officer(client, people, who, status):
    client.force_login(people[who])
    response = client.get(reverse("training:costs"))
    assert response.status_code == status
    if status == 200:
        recording = 'name="development"' in response.content.decode()
        assert recording == (who == "national_admin_nasrin")


def test_an_officer_sees_only_her_area_and_cannot_record(client, people, completed, course):
    Batch.objects.filter(pk=completed.pk).update(cost_venue=Decimal("900"))
    assert selectors.face_to_face_costs_for(people["officer_hatia"]).total == Decimal("900")
    assert selectors.face_to_face_costs_for(people["officer_other_upazila"]).total == Decimal("0")
    assert selectors.face_to_face_costs_for(people["researcher_tanvir"]).total == Decimal("900")
    client.force_login(people["officer_hatia"])
    response = client.post(reverse("training:costs"), {"course": course.pk, "year": "2026", "development": "5"})
    assert response.status_code == 403


def test_costs_page_queries_are_bounded(client, people, completed, django_assert_max_num_queries):
    client.force_login(people["officer_hatia"])
    client.get(reverse("training:costs"))  # her person and scope into the cache
    with django_assert_max_num_queries(12):
        assert client.get(reverse("training:costs")).status_code == 200


def test_the_daily_sweep_issues_a_lost_certificate(people, completed, media_root):
    from django.core.management import call_command

    rubi = Invitation.objects.get(batch=completed, teacher=people["teacher_rubi"])
    Invitation.objects.filter(pk=rubi.pk).update(certificate=None)
    Certificate.objects.filter(kind="training").delete()  # as if the task had been lost
    call_command("issue_missing_training_certificates")  # the immediate task backend runs it at once
    rubi.refresh_from_db()
    assert rubi.certificate_id is not None
    assert services.training_certificates_queue_missing() == 0


def test_the_daily_sweep_is_a_periodic_job_the_workers_run(people, completed, media_root):
    """Workers run the sweep at 02:00 in Dhaka (core.schedule), once a slot."""
    from shikhon.core.clock import DHAKA
    from shikhon.core.schedule import DailyAt, jobs_run_due, periodic_jobs
    from shikhon.training.periodic_jobs import TRAINING_CERTIFICATES_ISSUE_MISSING
    from shikhon.training.tasks import training_certificates_issue_missing_task

    job = periodic_jobs.get(TRAINING_CERTIFICATES_ISSUE_MISSING)
    assert job.run is training_certificates_issue_missing_task and job.when == DailyAt(dt.time(2, 0))
    rubi = Invitation.objects.get(batch=completed, teacher=people["teacher_rubi"])
    Invitation.objects.filter(pk=rubi.pk).update(certificate=None)
    Certificate.objects.filter(kind="training").delete()  # as if the task had been lost
    at_night = dt.datetime(2026, 12, 4, 1, 30, tzinfo=DHAKA)  # the 3 December run is due (never run yet)
    assert jobs_run_due(now=at_night, jobs=[job]).enqueued == [TRAINING_CERTIFICATES_ISSUE_MISSING]
    rubi.refresh_from_db()
    assert rubi.certificate_id is not None
    assert jobs_run_due(now=at_night + dt.timedelta(minutes=29), jobs=[job]).enqueued == []
    assert Certificate.objects.filter(kind="training").count() == 1
