"""Writes for face-to-face training: programmes, batches, invitations, answers, attendance,
completion and online course costs. Every write checks permission, validates, runs atomically and
writes the audit log; notifications are sent (once per event) inside the same transaction, their SMS
after commit."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_date, format_number
from shikhon.core.clock import dhaka_today
from shikhon.notify.services import Tell, notifications_send_many
from shikhon.people.selectors import NOWHERE, placements_of
from shikhon.training import audit_actions, notifications, permissions
from shikhon.training.constants import MAX_BATCH_DAYS, MAX_CAPACITY, MAX_COST, MAX_INVITES_AT_ONCE
from shikhon.training.models import Attendance, Batch, CourseCost, Invitation, Programme
from shikhon.training.money import whole_taka
from shikhon.training.selectors import (
    HOLDING,
    batch_days,
    batch_hours,
    eligible_teachers,
    teachers_to_invite_changed,
)

if TYPE_CHECKING:
    from shikhon.certificates.models import Certificate
    from shikhon.courses.models import Course
    from shikhon.people.models import User
    from shikhon.places.models import Upazila

A = audit_actions
CLOSED = (Batch.Status.COMPLETED, Batch.Status.CANCELLED)
REASON_MAX = 300
MAX_HOURS_PER_DAY = 12


def _reason(text: str, *, missing: str) -> str:
    """A reason the teacher will read: required, one line, at most REASON_MAX characters."""
    reason = " ".join((text or "").split())
    if not reason:
        raise ValidationError({"reason": missing}, code="required")
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Write the reason in at most %(max)s characters.")
                                         % {"max": format_number(REASON_MAX)}},
                              code="max_length")
    return reason


def _check_cost(name: str, value: Decimal) -> None:
    if value < 0:
        raise ValidationError({name: _("A cost cannot be less than zero. Type 0 if there was no cost.")},
                              code="negative_cost")
    if value > MAX_COST:
        raise ValidationError({name: _("This cost is too large. Check the amount in taka.")}, code="cost_too_large")


# ---------------------------------------------------------------- programmes


@transaction.atomic
def programme_save(*, actor: User, programme: Programme | None = None, title: str, description: str = "",
                   required_course: Course | None, days: int, is_active: bool = True,
                   hours_per_day: int = 6) -> Programme:
    """Create or edit a programme. Eligibility is by course *family*: any version's certificate counts."""
    permissions.ensure_can_manage_programmes(actor)
    if not 1 <= days <= MAX_BATCH_DAYS:
        raise ValidationError({"days": _("A programme lasts from 1 to %(max)s days.")
                                       % {"max": format_number(MAX_BATCH_DAYS)}},
                              code="days")
    if not 1 <= hours_per_day <= MAX_HOURS_PER_DAY:
        raise ValidationError({"hours_per_day": _("Hours a day must be from 1 to %(max)s.")
                               % {"max": format_number(MAX_HOURS_PER_DAY)}}, code="hours_per_day")
    created = programme is None
    if programme is None:
        programme = Programme(created_by=actor)
    programme.title = title.strip()
    programme.description = description.strip()
    programme.required_course = required_course
    programme.required_family = required_course.family if required_course is not None else None
    programme.days = days
    programme.hours_per_day = hours_per_day
    programme.is_active = is_active
    programme.full_clean()
    programme.save()
    transaction.on_commit(teachers_to_invite_changed)  # who may be invited next has changed
    audit_record(actor=actor, action=A.BATCH_SAVED, target=programme,
                 summary=("Programme created: %s" if created else "Programme edited: %s") % programme.title)
    return programme


# ---------------------------------------------------------------- batches


@transaction.atomic
def batch_save(*, actor: User, batch: Batch | None = None, programme: Programme, title: str, upazila: Upazila,
               venue: str, starts_on: dt.date, ends_on: dt.date, capacity: int,
               trainers: Iterable[User] = (), trainer_names: str = "", cost_venue: Decimal = Decimal(0),
               cost_allowances: Decimal = Decimal(0), cost_materials: Decimal = Decimal(0),
               cost_trainers: Decimal = Decimal(0)) -> Batch:
    """Create or edit a batch at a venue in the officer's own area."""
    if batch is not None:
        permissions.ensure_can_organise(actor, batch)
    permissions.ensure_can_organise_at(actor, upazila)
    if batch is None and not programme.is_active:
        raise ValidationError({"programme": _("This programme takes no new batches. Choose another programme.")},
                              code="programme_closed")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day is before the first day. Check the dates.")},
                              code="dates_order")
    if (ends_on - starts_on).days + 1 > MAX_BATCH_DAYS:
        raise ValidationError({"ends_on": _("A batch lasts at most %(max)s days. Check the dates.")
                               % {"max": format_number(MAX_BATCH_DAYS)}}, code="too_long")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError({"capacity": _("Places must be from 1 to %(max)s.")
                                           % {"max": format_number(MAX_CAPACITY)}},
                              code="capacity")
    costs = {"cost_venue": cost_venue, "cost_allowances": cost_allowances, "cost_materials": cost_materials,
             "cost_trainers": cost_trainers}
    for name, value in costs.items():
        _check_cost(name, Decimal(value))
    created = batch is None
    before: tuple[dt.date, dt.date, str] | None = None
    if batch is None:
        batch = Batch(created_by=actor)
    else:
        batch = Batch.objects.select_for_update(of=("self",)).select_related("programme").get(pk=batch.pk)
        before = (batch.starts_on, batch.ends_on, batch.venue)
        if batch.status == Batch.Status.CANCELLED:
            raise ValidationError(_("This batch was cancelled and cannot be changed."), code="closed")
        holding = batch.invitations.filter(
            status__in=[Invitation.Status.INVITED, Invitation.Status.ACCEPTED]).count()
        if capacity < holding:
            fewer = ngettext("%(count)s teacher already holds a place. Places cannot be fewer.",
                             "%(count)s teachers already hold a place. Places cannot be fewer.", holding)
            raise ValidationError({"capacity": fewer % {"count": format_number(holding)}},
                                  code="capacity_below_invited")
    batch.programme = programme
    batch.title = title.strip()
    batch.upazila = upazila
    batch.district_id = upazila.district_id
    batch.division_id = upazila.division_id
    batch.venue = venue.strip()
    batch.starts_on, batch.ends_on, batch.capacity = starts_on, ends_on, capacity
    batch.trainer_names = trainer_names.strip()
    for name, value in costs.items():
        setattr(batch, name, whole_taka(value))  # one rounding rule (training.money)
    moved = before is not None and before != (batch.starts_on, batch.ends_on, batch.venue)
    if moved:
        batch.schedule_revision += 1
    batch.full_clean()
    batch.save()
    batch.trainers.set(list(trainers))
    transaction.on_commit(teachers_to_invite_changed)  # who may be invited next has changed
    audit_record(actor=actor, action=A.BATCH_SAVED, target=batch,
                 summary=("Batch created: %s" if created else "Batch edited: %s") % batch.title,
                 details={"upazila_id": upazila.pk, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    if moved and before is not None:
        _tell_batch_changed(actor=actor, batch=batch, before=before)
    return batch


def _tell_batch_changed(*, actor: User, batch: Batch, before: tuple[dt.date, dt.date, str]) -> None:
    """Every teacher holding a place (invited or accepted) is told the new dates and venue, in the app and by
    SMS; once per change (the batch's schedule revision is in the event key)."""
    holders = list(Invitation.objects.filter(batch=batch, status__in=HOLDING).values_list("pk", "teacher_id"))
    params = {"programme": batch.programme.title, "venue": batch.venue,
              "starts": format_date(batch.starts_on, "bn"), "ends": format_date(batch.ends_on, "bn")}
    notifications_send_many(tells=[
        Tell(recipient_id=teacher_id, kind=notifications.TRAINING_CHANGED,
             event_key=f"training-changed:{pk}:{batch.schedule_revision}", params=params,
             url=reverse("training:invitation", kwargs={"pk": pk}))
        for pk, teacher_id in holders])
    old_starts, old_ends, old_venue = before
    audit_record(actor=actor, action=A.BATCH_CHANGED, target=batch,
                 summary=f"{batch.title}: {len(holders)} invitees told of the change",
                 details={"from": {"starts_on": old_starts.isoformat(), "ends_on": old_ends.isoformat(),
                                   "venue": old_venue},
                          "to": {"starts_on": batch.starts_on.isoformat(), "ends_on": batch.ends_on.isoformat(),
                                 "venue": batch.venue},
                          "told": len(holders)})


@transaction.atomic
def batch_cancel(*, actor: User, batch: Batch, reason: str) -> Batch:
    """Cancel a batch that has not closed (officers over its venue), with a reason every teacher holding a
    place reads in the app and by SMS. Their invitations stay, as the record of what happened."""
    permissions.ensure_can_organise(actor, batch)
    reason = _reason(reason, missing=_("Write why the batch is cancelled; the invited teachers will read it."))
    batch = Batch.objects.select_for_update(of=("self",)).select_related("programme").get(pk=batch.pk)
    if batch.status in CLOSED:
        raise ValidationError(_("This batch is already closed."), code="closed")
    batch.status = Batch.Status.CANCELLED
    batch.cancel_reason = reason
    batch.cancelled_at = timezone.now()
    batch.full_clean()
    batch.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    transaction.on_commit(teachers_to_invite_changed)  # who may be invited next has changed
    holders = list(Invitation.objects.filter(batch=batch, status__in=HOLDING).values_list("pk", "teacher_id"))
    params = {"programme": batch.programme.title, "starts": format_date(batch.starts_on, "bn"), "reason": reason}
    notifications_send_many(tells=[
        Tell(recipient_id=teacher_id, kind=notifications.TRAINING_CANCELLED, event_key=f"training-cancelled:{pk}",
             params=params, url=reverse("training:invitation", kwargs={"pk": pk}))
        for pk, teacher_id in holders])
    audit_record(actor=actor, action=A.BATCH_CANCELLED, target=batch, summary=f"{batch.title} cancelled",
                 details={"reason": reason, "told": len(holders)})
    return batch


@transaction.atomic
def invitation_withdraw(*, actor: User, invitation: Invitation, reason: str) -> Invitation:
    """Withdraw one teacher's invitation (invited or accepted) before the batch closes, with a reason she
    reads in the app and by SMS. Her place is free again."""
    reason = _reason(reason, missing=_("Write why the invitation is withdrawn; the teacher will read it."))
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("batch__programme")
                  .get(pk=invitation.pk))
    batch = invitation.batch
    permissions.ensure_can_organise(actor, batch)
    if batch.status in CLOSED:
        raise ValidationError(_("This batch is closed. Invitations can no longer be withdrawn."), code="closed")
    if invitation.status not in HOLDING:
        raise ValidationError(_("Only an invitation that is waiting for an answer or accepted can be withdrawn."),
                              code="not_holding")
    invitation.status = Invitation.Status.CANCELLED
    invitation.withdraw_reason = reason
    invitation.withdrawn_at = timezone.now()
    invitation.full_clean(exclude=["batch", "teacher", "invited_by", "certificate"], validate_constraints=False)
    invitation.save(update_fields=["status", "withdraw_reason", "withdrawn_at"])
    transaction.on_commit(teachers_to_invite_changed)  # who may be invited next has changed
    notifications_send_many(tells=[Tell(
        recipient_id=invitation.teacher_id, kind=notifications.TRAINING_INVITATION_WITHDRAWN,
        event_key=f"training-withdrawn:{invitation.pk}",
        params={"programme": batch.programme.title, "starts": format_date(batch.starts_on, "bn"), "reason": reason},
        url=reverse("training:invitation", kwargs={"pk": invitation.pk}))])
    audit_record(actor=actor, action=A.INVITATION_WITHDRAWN, target=batch,
                 summary=f"Invitation of teacher {invitation.teacher_id} to {batch.title} withdrawn",
                 details={"invitation_id": invitation.pk, "teacher_id": invitation.teacher_id, "reason": reason})
    return invitation


# ---------------------------------------------------------------- invitations


@transaction.atomic
def invitations_send(*, actor: User, batch: Batch, teacher_ids: Iterable[int]) -> list[Invitation]:
    """Invite eligible teachers; all or nothing. Each is told in the app and by SMS. A constant number of
    statements however many teachers are chosen (a test holds it): the invitations, their notifications and
    the audit event are each written in bulk."""
    permissions.ensure_can_organise(actor, batch)
    batch = Batch.objects.select_for_update(of=("self",)).select_related("programme").get(pk=batch.pk)
    ids = sorted(set(teacher_ids))
    if not ids:
        raise ValidationError(_("Choose at least one teacher to invite."), code="none_chosen")
    if len(ids) > MAX_INVITES_AT_ONCE:
        raise ValidationError(_("Invite at most %(max)s teachers at once.")
                              % {"max": format_number(MAX_INVITES_AT_ONCE)},
                              code="too_many")
    if batch.status in CLOSED or batch.ends_on < dhaka_today():
        raise ValidationError(_("This batch is over. Teachers can no longer be invited to it."), code="closed")
    eligible = set(eligible_teachers(actor, batch).filter(pk__in=ids).values_list("pk", flat=True))
    if eligible != set(ids):
        raise ValidationError(
            _("Some chosen teachers cannot be invited: they need the course certificate and a school in "
              "your area, and must not be invited already. Reload the page and choose again."),
            code="not_eligible")
    holding = batch.invitations.filter(status__in=[Invitation.Status.INVITED, Invitation.Status.ACCEPTED]).count()
    free = batch.capacity - holding
    if len(ids) > free:
        raise ValidationError(_("Only %(free)s places are left in this batch. Choose fewer teachers.")
                              % {"free": max(free, 0)}, code="capacity")
    placements = placements_of(ids, in_area_of=actor)
    invitations = []
    for user_id in ids:
        invitation = Invitation(batch=batch, teacher_id=user_id, invited_by=actor,
                                **placements.get(user_id, NOWHERE).as_fields())
        # The batch, the teachers and the actor were just read; checking each id again would be a query each.
        invitation.full_clean(exclude=["batch", "teacher", "invited_by"], validate_constraints=False)
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations)
    transaction.on_commit(teachers_to_invite_changed)  # who may be invited next has changed
    created = list(Invitation.objects.filter(batch=batch, teacher_id__in=ids).select_related("teacher"))
    params = {"programme": batch.programme.title, "venue": batch.venue,
              "starts": format_date(batch.starts_on, "bn")}
    notifications_send_many(tells=[
        Tell(recipient_id=invitation.teacher_id, kind=notifications.TRAINING_INVITED,
             event_key=f"training-invited:{invitation.pk}", params=params, url=invitation_url(invitation))
        for invitation in created])
    audit_record(actor=actor, action=A.TRAINING_INVITED, target=batch,
                 summary=f"{len(created)} teachers invited to {batch.title}",
                 details={"teacher_ids": ids[:MAX_INVITES_AT_ONCE]})
    return created


def invitation_url(invitation: Invitation) -> str:
    return reverse("training:invitation", kwargs={"pk": invitation.pk})


@transaction.atomic
def invitation_respond(*, actor: User, invitation: Invitation, accept: bool) -> Invitation:
    """The invited teacher accepts or declines, until the batch starts."""
    if invitation.teacher_id != actor.pk:
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("batch").get(pk=invitation.pk)
    batch = invitation.batch
    # Open until the first day (inclusive) and until attendance is first taken.
    if batch.status != Batch.Status.PLANNED or batch.starts_on < dhaka_today():
        raise ValidationError(_("This training has already started, so the answer can no longer be changed. "
                                "Please talk to your upazila education office."), code="started")
    if invitation.status == Invitation.Status.CANCELLED:
        raise ValidationError(_("This invitation was withdrawn."), code="cancelled")
    if accept and invitation.status == Invitation.Status.DECLINED:
        holding = batch.invitations.filter(status__in=[Invitation.Status.INVITED, Invitation.Status.ACCEPTED]).count()
        if holding >= batch.capacity:
            raise ValidationError(_("All places in this batch are taken now."), code="capacity")
    invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    transaction.on_commit(teachers_to_invite_changed)  # who may be invited next has changed
    return invitation


# ---------------------------------------------------------------- attendance and completion


@transaction.atomic
def attendance_take(*, actor: User, batch: Batch, day: dt.date, present_ids: Iterable[int]) -> int:
    """Mark who of the accepted invitees (teacher ids) was present on one day; the others absent.
    Taking the same day again corrects it. Returns the number present."""
    permissions.ensure_can_take_attendance(actor, batch)
    if batch.status in CLOSED:
        raise ValidationError(_("This batch is closed. Attendance can no longer be changed."), code="closed")
    if not batch.starts_on <= day <= batch.ends_on:
        raise ValidationError(_("This day is not one of the batch's days."), code="day_outside")
    if day > dhaka_today():
        raise ValidationError(_("Attendance cannot be taken for a day in the future."), code="future")
    present = set(present_ids)
    invitations = list(Invitation.objects.filter(batch=batch, status=Invitation.Status.ACCEPTED)
                       .values_list("pk", "teacher_id"))
    known = {teacher_id for _pk, teacher_id in invitations}
    if present - known:
        raise ValidationError(_("Only teachers who accepted the invitation can be marked present."),
                              code="not_accepted")
    existing = {a.invitation_id: a for a in Attendance.objects.filter(invitation__batch=batch, day=day)}
    new, changed = [], []
    for pk, teacher_id in invitations:
        mark = teacher_id in present
        if pk in existing:
            row = existing[pk]
            row.present, row.marked_by = mark, actor
            changed.append(row)
        else:
            new.append(Attendance(invitation_id=pk, day=day, present=mark, marked_by=actor))
    Attendance.objects.bulk_create(new)
    if changed:
        now = timezone.now()
        for row in changed:
            row.marked_at = now
        Attendance.objects.bulk_update(changed, ["present", "marked_by", "marked_at"])
    if batch.status == Batch.Status.PLANNED:
        batch.status = Batch.Status.RUNNING
        batch.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=A.ATTENDANCE_TAKEN, target=batch,
                 summary=f"Attendance of {batch.title} on {day.isoformat()}: {len(present)} present",
                 details={"day": day.isoformat(), "present": len(present), "absent": len(invitations) - len(present)})
    return len(present)


def default_min_days(batch: Batch) -> int:
    """All days but one, at least one."""
    return max(1, len(batch_days(batch)) - 1)


@transaction.atomic
def batch_complete(*, actor: User, batch: Batch, min_days: int | None = None) -> int:
    """Close the batch: accepted invitees present on at least `min_days` days complete it and are told.
    Returns how many completed."""
    permissions.ensure_can_organise(actor, batch)
    batch = Batch.objects.select_for_update(of=("self",)).select_related("programme").get(pk=batch.pk)
    if batch.status in CLOSED:
        raise ValidationError(_("This batch is already closed."), code="closed")
    if dhaka_today() < batch.ends_on:
        raise ValidationError(_("A batch can be completed on or after its last day."), code="not_over")
    days = len(batch_days(batch))
    threshold = default_min_days(batch) if min_days is None else min_days
    if not 1 <= threshold <= days:
        raise ValidationError({"min_days": _("Days present must be from 1 to %(days)s.") % {"days": days}},
                              code="min_days")
    done = list(Invitation.objects.filter(batch=batch, status=Invitation.Status.ACCEPTED)
                .annotate(n=Count("attendance", filter=Q(attendance__present=True)))
                .filter(n__gte=threshold).select_related("teacher"))
    now = timezone.now()
    Invitation.objects.filter(pk__in=[i.pk for i in done]).update(completed_at=now)
    batch.status = Batch.Status.COMPLETED
    batch.save(update_fields=["status", "updated_at"])
    transaction.on_commit(teachers_to_invite_changed)  # who may be invited next has changed
    notifications_send_many(tells=[
        Tell(recipient_id=invitation.teacher_id, kind=notifications.TRAINING_COMPLETED,
             event_key=f"training-completed:{invitation.pk}", params={"programme": batch.programme.title},
             url=invitation_url(invitation))
        for invitation in done])
    audit_record(actor=actor, action=A.TRAINING_COMPLETED, target=batch,
                 summary=f"{len(done)} completed, {threshold} of {days} days required",
                 details={"completed": len(done), "min_days": threshold})
    for invitation in done:  # each completion gets its training certificate, from a task (issued once)
        transaction.on_commit(functools.partial(_queue_certificate, invitation.pk))
    return len(done)


def _queue_certificate(invitation_id: int) -> None:
    from shikhon.training.tasks import training_certificate_task

    training_certificate_task.enqueue(invitation_id=invitation_id)


def certificate_key(invitation_id: int) -> str:
    """The issue key training gives certificates for a completed invitation (unique: issued once)."""
    return f"training-invitation:{invitation_id}"


def training_certificate_issue(*, invitation_id: int) -> Certificate | None:
    """The training certificate of a completed invitation, issued the first time (None while the invitation
    is not completed). Safe to run twice and from two workers: certificates issues once per key, and the
    invitation is linked to it once."""
    from shikhon.certificates.services import certificate_issue_training

    invitation = (Invitation.objects.filter(pk=invitation_id, completed_at__isnull=False)
                  .select_related("batch__programme", "teacher").first())
    if invitation is None:
        return None
    batch = invitation.batch
    certificate = certificate_issue_training(
        key=certificate_key(invitation.pk), user=invitation.teacher, title=batch.programme.title,
        hours=batch_hours(batch), venue=batch.venue, held_from=batch.starts_on, held_to=batch.ends_on,
        place={"school_id": invitation.school_id, "upazila_id": invitation.upazila_id,
               "district_id": invitation.district_id, "division_id": invitation.division_id})
    if invitation.certificate_id != certificate.pk:
        Invitation.objects.filter(pk=invitation.pk, certificate__isnull=True).update(certificate=certificate)
    return certificate


def training_certificates_queue_missing(*, limit: int = 500) -> int:
    """Queue the certificate task again for completions still without a certificate (a lost task). Safe any
    time: issuing is once."""
    missing = list(Invitation.objects.filter(completed_at__isnull=False, certificate__isnull=True)
                   .order_by("pk").values_list("pk", flat=True)[:limit])
    for invitation_id in missing:
        _queue_certificate(invitation_id)
    return len(missing)


# ---------------------------------------------------------------- online course costs


@transaction.atomic
def course_cost_save(*, actor: User, course: Course, year: int, development: Decimal = Decimal(0),
                     hosting: Decimal = Decimal(0), sms: Decimal = Decimal(0), other: Decimal = Decimal(0),
                     note: str = "") -> CourseCost:
    """Record (or correct) what an online course family cost in one year."""
    permissions.ensure_can_manage_costs(actor)
    this_year = dhaka_today().year
    if not 2000 <= year <= this_year + 1:
        raise ValidationError({"year": _("Type a year from 2000 to %(year)s.") % {"year": this_year + 1}},
                              code="year")
    amounts = {"development": development, "hosting": hosting, "sms": sms, "other": other}
    for name, value in amounts.items():
        _check_cost(name, Decimal(value))
    cost = CourseCost.objects.filter(family=course.family, year=year).first() or CourseCost(
        family=course.family, year=year)
    cost.course = course
    for name, value in amounts.items():
        setattr(cost, name, whole_taka(value))
    cost.note = note.strip()
    cost.full_clean()
    cost.save()
    return cost
