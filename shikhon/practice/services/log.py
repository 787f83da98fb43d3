"""Writes of the practice log (decision 0011): plans, records of what happened in class, the photo of a record,
the head teacher's acknowledgement and colleagues' encouragement.

Every function is keyword-only and typed, checks permission itself, validates (`full_clean`) and runs in one
transaction; notifications go after commit. Plans and records are idempotent by `client_id` (the id the form or
the phone's outbox made): the same id again answers the row already saved, so a double tap, a replayed outbox
item or an API retry never makes a second row. Dates are Dhaka dates decided by the server's clock: a phone's
clock is only a claim."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_date, format_number
from shikhon.core.clock import dhaka_today
from shikhon.core.uploads import UploadRefused, check_upload
from shikhon.courses import selectors as course_selectors
from shikhon.library.selectors.access import access_content
from shikhon.library.services.usage import content_use_recorded
from shikhon.notify.services import notification_send
from shikhon.people.scope import user_scope
from shikhon.people.selectors import placement_of
from shikhon.practice import audit_actions, notifications, permissions
from shikhon.practice.models import Circle, Encouragement, PracticePlan, PracticeRecord

if TYPE_CHECKING:
    from django.core.files import File

    from shikhon.courses.models import Activity
    from shikhon.library.models import Content
    from shikhon.people.models import User
    from shikhon.people.selectors import Placement
    from shikhon.practice.models import Meeting

PHOTO_USE = "practice_photo"
PLAN_DAYS_AHEAD = 365  # a plan at most a year ahead …
PLAN_DAYS_BACK = 30  # … and at most 30 days back (a plan written down after the meeting)
RECORD_DAYS_BACK = 365  # a record of a lesson at most a year old
GRADE_MIN, GRADE_MAX = 1, 12
LEARNERS_MAX = 200
MINUTES_MIN, MINUTES_MAX = 1, 240
COMMENT_MAX = 200
FIXED = ("published", "retired")  # a course version teachers study (a retired one: the version she started)


# ---------------------------------------------------------------- shared checks


def _invalid(field: str, message: Any, code: str | None) -> ValidationError:
    """A refusal shown beside the form's `field`, with its code kept (the outbox and tests read it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _client_id(value: uuid.UUID | str | None) -> uuid.UUID:
    if value is None or value == "":
        return uuid.uuid4()
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError):
        raise ValidationError(_("This form could not be read. Please open it again and save once more."),
                              code="bad_client_id") from None


def _activity_checked(teacher: User, activity: Activity) -> Activity:
    """The activity as the teacher studies it: a published course's (or the retired version she started), with
    its module and course; anything else is refused with a sentence."""
    try:
        studied, _enrolment = course_selectors.access_activity_to_study(teacher, activity.pk)
    except Http404:
        studied = None
    if studied is None or studied.module.course.status not in FIXED:
        raise _invalid("activity", _("This activity is not part of a published course. Choose an activity "
                                             "from a course you study."), "activity_unpublished")
    return studied


def _content_checked(teacher: User, content: Content) -> Content:
    """The library content as this teacher may see it (`library.selectors.access`), published and not hidden;
    anything else (a draft, another teacher's content she may not see, a hidden one) is refused with a sentence."""
    try:
        seen = access_content(teacher, content.pk)
    except Http404:
        seen = None
    if seen is None or not seen.is_published:
        raise _invalid("content", _("This library content is not published. Choose a published content from the "
                                    "library."), "content_unpublished")
    return seen


def _one_thing(activity: Activity | None, content: Content | None) -> None:
    if (activity is None) == (content is None):
        raise ValidationError(_("Choose one thing to try: an activity of your course or a content of the "
                                "library."), code="activity_or_content")


def _placement(teacher: User) -> Placement:
    placement = placement_of(teacher)
    if placement.school_id is None:
        raise ValidationError(_("Practice is recorded at a school, and %(name)s has no current school role. Ask "
                                "the head teacher or the upazila officer to approve the school role first.")
                              % {"name": teacher.display_name}, code="no_school")
    return placement


def _grade(grade: int) -> None:
    if not isinstance(grade, int) or not GRADE_MIN <= grade <= GRADE_MAX:
        raise _invalid("grade", _("The class must be from %(low)s to %(high)s.")
                                        % {"low": format_number(GRADE_MIN), "high": format_number(GRADE_MAX)}, "grade")


def _school_circle_at(placement: Placement) -> Circle:
    """The school's circle as `permissions.can_lead` reads it (not saved: who leads it is decided by roles)."""
    return Circle(kind=Circle.Kind.SCHOOL, school_id=placement.school_id, upazila_id=placement.upazila_id,
                  district_id=placement.district_id, division_id=placement.division_id)


def may_plan_for(actor: User, teacher: User, placement: Placement, meeting: Meeting | None = None) -> bool:
    """She plans for herself; for another teacher, the leader of that teacher's school circle (her head teacher,
    an officer over the school) or of the circle whose meeting made the plan."""
    if teacher.pk == actor.pk:
        return True
    if placement.school_id is not None and user_scope(actor).is_head_teacher_of(placement.school_id):
        return True
    if meeting is not None:
        circle = meeting.circle
        same_place = (circle.school_id == placement.school_id if circle.school_id is not None
                      else circle.upazila_id == placement.upazila_id)
        if same_place and permissions.can_lead(actor, circle):
            return True
    return placement.school_id is not None and permissions.can_lead(actor, _school_circle_at(placement))


def _existing(model: type[PracticePlan] | type[PracticeRecord], client_id: uuid.UUID, *,
              owner_field: str, owner: User) -> Any:
    """The row already saved with this client id when it is this person's; another person's is refused."""
    row = model.objects.filter(client_id=client_id).first()
    if row is None:
        return None
    if getattr(row, f"{owner_field}_id") != owner.pk:
        raise ValidationError(_("This form was already used to save something else. Please open it again."),
                              code="client_id_taken")
    return row


def _photo(photo: File) -> Any:
    try:
        return check_upload(use=PHOTO_USE, file=photo)
    except UploadRefused as exc:
        raise _invalid("photo", " ".join(exc.messages), exc.code) from exc


def _store_photo(record: PracticeRecord, photo: File) -> None:
    """The checked, re-encoded picture (metadata gone) under a name we choose; the row saved by the caller."""
    checked = _photo(photo)
    record.photo.save(checked.filename(f"record-{record.client_id}"), checked.file, save=False)


# ---------------------------------------------------------------- plans


def plan_create(*, actor: User, activity: Activity | None = None, content: Content | None = None, grade: int,
                section: str = "", planned_on: dt.date, materials: str = "", teacher: User | None = None,
                meeting: Meeting | None = None, client_id: uuid.UUID | str | None = None) -> PracticePlan:
    """A plan to try `activity` (a course's) or `content` (a published library content), exactly one, with a
    class on a day. `teacher` is the actor unless the actor leads her school's circle (her head teacher, or the
    leader of the meeting that made the plan)."""
    teacher = teacher or actor
    key = _client_id(client_id)
    existing = _existing(PracticePlan, key, owner_field="created_by", owner=actor)
    if existing is not None:
        return existing
    _one_thing(activity, content)
    placement = _placement(teacher)
    if not may_plan_for(actor, teacher, placement, meeting):
        raise PermissionDenied
    if activity is not None:
        activity = _activity_checked(teacher, activity)
    else:
        assert content is not None  # noqa: S101  (_one_thing)
        content = _content_checked(teacher, content)
    _grade(grade)
    today = dhaka_today()
    if planned_on > today + dt.timedelta(days=PLAN_DAYS_AHEAD):
        raise _invalid("planned_on", _("Plan at most a year ahead. Choose a nearer date."), "too_far_ahead")
    if planned_on < today - dt.timedelta(days=PLAN_DAYS_BACK):
        raise _invalid("planned_on", _("This date is more than 30 days ago. Plan a day from today on, or "
                                               "record how the lesson went instead."), "too_far_back")
    plan = PracticePlan(client_id=key, teacher=teacher, activity=activity, content=content, grade=grade,
                        section=section.strip(),
                        planned_on=planned_on, materials=materials.strip(), meeting=meeting, created_by=actor)
    plan.place_at(placement)
    plan.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            plan.save()
            if teacher.pk != actor.pk and meeting is not None:
                _tell_planned_at_meeting(plan)
    except IntegrityError:
        # The same client id saved at the same moment by another request: answer what it saved.
        existing = _existing(PracticePlan, key, owner_field="created_by", owner=actor)
        if existing is None:
            raise
        return existing
    return plan


def _tell_planned_at_meeting(plan: PracticePlan) -> None:
    params = {"activity": plan.practised.title, "date": format_date(plan.planned_on, "bn")}
    teacher = plan.teacher
    url = plan.get_absolute_url()
    transaction.on_commit(lambda: notification_send(
        recipient=teacher, kind=notifications.PLAN_MADE_AT_MEETING, event_key=f"practice-plan:{plan.pk}",
        params=params, url=url))


@transaction.atomic
def plan_drop(*, actor: User, plan: PracticePlan) -> PracticePlan:
    """She (or whoever planned it for her) drops a plan that is still planned."""
    plan = PracticePlan.objects.select_for_update(of=("self",)).select_related("teacher").get(pk=plan.pk)
    if plan.created_by_id != actor.pk and plan.teacher_id != actor.pk:
        raise PermissionDenied
    if plan.state == PracticePlan.State.DROPPED:
        return plan
    if plan.state != PracticePlan.State.PLANNED:
        raise ValidationError(_("This plan is already recorded as taught, so it cannot be dropped."),
                              code="not_planned")
    plan.state = PracticePlan.State.DROPPED
    plan.save(update_fields=["state"])
    return plan


# ---------------------------------------------------------------- records


def _record_fields(*, taught_on: dt.date, outcome: str, rating: int | None, why_not: str,
                   learners_present: int | None, minutes: int | None) -> None:
    today = dhaka_today()
    if taught_on > today:
        raise _invalid("taught_on", _("This date is in the future. Record a lesson after you have taught "
                                              "it; to try it later, make a plan."), "future")
    if taught_on < today - dt.timedelta(days=RECORD_DAYS_BACK):
        raise _invalid("taught_on", _("This date is more than a year ago. Record lessons of the last "
                                              "year."), "too_old")
    if outcome not in PracticeRecord.Outcome.values:
        raise _invalid("outcome", _("Choose what happened: you taught it, or you tried and it did not "
                                            "work."), "outcome")
    if outcome == PracticeRecord.Outcome.NOT_WORKING and not why_not.strip():
        raise _invalid("why_not", _("Write why it did not work. That helps you and your colleagues next "
                                            "time."), "why_not_required")
    if outcome == PracticeRecord.Outcome.TAUGHT and rating is None:
        raise _invalid("rating", _("Choose how it went, from 1 to 5."), "rating_required")
    if rating is not None and not 1 <= rating <= 5:
        raise _invalid("rating", _("Choose how it went, from 1 to 5."), "rating")
    if learners_present is not None and not 0 <= learners_present <= LEARNERS_MAX:
        raise _invalid("learners_present", _("Learners present must be a number from 0 to %(max)s.")
                               % {"max": format_number(LEARNERS_MAX)}, "learners")
    if minutes is not None and not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise _invalid("minutes", _("Minutes must be a number from %(low)s to %(high)s.")
                               % {"low": format_number(MINUTES_MIN), "high": format_number(MINUTES_MAX)}, "minutes")


def record_create(*, actor: User, activity: Activity | None = None, content: Content | None = None,
                  taught_on: dt.date, outcome: str, grade: int, section: str = "",
                  learners_present: int | None = None, minutes: int | None = None,
                  rating: int | None = None, what_worked: str = "", what_to_change: str = "", why_not: str = "",
                  plan: PracticePlan | None = None, shared_with_circle: bool = True, photo: File | None = None,
                  client_id: uuid.UUID | str | None = None) -> PracticeRecord:
    """Her record of a lesson (her own only) of a course's `activity` or a library `content` (exactly one; with
    a plan, the plan's): taught, or tried and it did not work (that is practice too). The plan it answers, if any,
    becomes taught / not working. A content taught in class adds one to its "used in class" count after commit
    (once: a replay answers the saved record and counts nothing)."""
    key = _client_id(client_id)
    existing = _existing(PracticeRecord, key, owner_field="teacher", owner=actor)
    if existing is not None:
        return existing
    placement = _placement(actor)
    if plan is not None and plan.teacher_id != actor.pk:
        raise PermissionDenied
    if plan is not None:
        activity, content = plan.activity, plan.content
    _one_thing(activity, content)
    if activity is not None:
        activity = _activity_checked(actor, activity)
    else:
        assert content is not None  # noqa: S101  (_one_thing)
        content = _content_checked(actor, content)
    _grade(grade)
    _record_fields(taught_on=taught_on, outcome=outcome, rating=rating, why_not=why_not,
                   learners_present=learners_present, minutes=minutes)
    checked_photo = _photo(photo) if photo is not None else None
    record = PracticeRecord(
        client_id=key, teacher=actor, activity=activity, content=content,
        module=activity.module if activity is not None else None,
        family=activity.module.course.family if activity is not None else None,
        grade=grade, section=section.strip(), taught_on=taught_on, outcome=outcome,
        learners_present=learners_present, minutes=minutes, rating=rating, what_worked=what_worked.strip(),
        what_to_change=what_to_change.strip(), why_not=why_not.strip(), shared_with_circle=shared_with_circle)
    record.place_at(placement)
    record.full_clean(exclude=["plan", "photo"], validate_unique=False)
    try:
        with transaction.atomic():
            if plan is not None:
                plan = PracticePlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
                if PracticeRecord.objects.filter(plan=plan).exists():
                    raise _invalid("plan", _("This plan already has a record. Open it from your practice "
                                                     "page."), "plan_recorded")
                if plan.state == PracticePlan.State.DROPPED:
                    raise _invalid("plan", _("This plan was dropped. Record the lesson without it."), "plan_dropped")
                record.plan = plan
            if checked_photo is not None:
                record.photo.save(checked_photo.filename(f"record-{key}"), checked_photo.file, save=False)
            try:
                record.save()
            except Exception:
                if record.photo:
                    record.photo.storage.delete(record.photo.name or "")
                raise
            if plan is not None:
                plan.state = (PracticePlan.State.TAUGHT if outcome == PracticeRecord.Outcome.TAUGHT
                              else PracticePlan.State.NOT_WORKING)
                plan.save(update_fields=["state"])
            if content is not None and outcome == PracticeRecord.Outcome.TAUGHT:
                content_id = content.pk
                transaction.on_commit(lambda: content_use_recorded(content_id=content_id))
    except IntegrityError:
        existing = _existing(PracticeRecord, key, owner_field="teacher", owner=actor)
        if existing is None:
            raise
        return existing
    return record


@transaction.atomic
def record_photo_add(*, actor: User, record: PracticeRecord, photo: File) -> PracticeRecord:
    """The photo of a record made offline (an outbox item carries no file), or a better one: hers only. The
    picture is checked and re-encoded (metadata stripped) before anything is stored."""
    if record.teacher_id != actor.pk:
        raise PermissionDenied
    record = PracticeRecord.objects.select_for_update(of=("self",)).get(pk=record.pk)
    old = record.photo.name or ""
    _store_photo(record, photo)
    try:
        record.save(update_fields=["photo"])
    except Exception:
        record.photo.storage.delete(record.photo.name or "")
        raise
    if old and old != record.photo.name:
        storage, name = record.photo.storage, old
        transaction.on_commit(lambda: storage.delete(name))
    return record


# ---------------------------------------------------------------- support


@transaction.atomic
def record_acknowledge(*, actor: User, record: PracticeRecord) -> PracticeRecord:
    """Her head teacher (or an officer over her school) acknowledges a record, once; the teacher is told."""
    permissions.ensure_can_acknowledge(actor, record)
    record = (PracticeRecord.objects.select_for_update(of=("self",))
              .select_related("activity", "content", "teacher").get(pk=record.pk))
    if record.acknowledged_at is not None:
        return record
    record.acknowledged_by, record.acknowledged_at = actor, timezone.now()
    record.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit_record(actor=actor, action=audit_actions.RECORD_ACKNOWLEDGED, target=record,
                 summary=f"Practice record {record.pk} of teacher {record.teacher_id} acknowledged",
                 details={"teacher_id": record.teacher_id, "activity_id": record.activity_id,
                          "content_id": record.content_id})
    teacher, url = record.teacher, record.get_absolute_url()
    params = {"name": actor.name_bn, "activity": record.practised.title}
    transaction.on_commit(lambda: notification_send(
        recipient=teacher, kind=notifications.RECORD_ACKNOWLEDGED, event_key=f"practice-ack:{record.pk}",
        params=params, url=url))
    return record


@transaction.atomic
def encouragement_add(*, actor: User, record: PracticeRecord, comment: str = "") -> Encouragement:
    """A colleague's 👍 with a short comment (one each; a second time changes the comment). The teacher is told
    the first time."""
    permissions.ensure_can_encourage(actor, record)
    comment = " ".join((comment or "").split())
    if len(comment) > COMMENT_MAX:
        raise _invalid("comment", _("Write at most %(max)s characters.") % {"max": format_number(COMMENT_MAX)},
                       "comment_too_long")
    encouragement = Encouragement.objects.select_for_update().filter(record=record, author=actor).first()
    created = encouragement is None
    if encouragement is None:
        encouragement = Encouragement(record=record, author=actor)
    encouragement.comment = comment
    encouragement.full_clean(exclude=["record", "author"], validate_constraints=False)
    try:
        with transaction.atomic():
            encouragement.save()
    except IntegrityError:  # her other tap at the same moment: that one counts, with this comment
        encouragement = Encouragement.objects.get(record=record, author=actor)
        encouragement.comment = comment
        encouragement.save(update_fields=["comment"])
        created = False
    if created:
        url = record.get_absolute_url()
        params = {"name": actor.name_bn, "activity": record.practised.title}
        teacher = record.teacher

        def tell() -> None:
            notification_send(recipient=teacher, kind=notifications.RECORD_ENCOURAGED,
                              event_key=f"practice-encourage:{record.pk}:{actor.pk}", params=params, url=url)

        transaction.on_commit(tell)
    return encouragement
