"""Writes of the circles part: a school's or a cluster's circle (made when first needed), its next meeting, and
a meeting's record — who came, the activities looked at, the reflections shared, a photo of the materials made,
and "who plans to try what" (each becomes the teacher's `PracticePlan`, made by the log part's `plan_create`,
which tells her after commit). Keyword-only, permission checked inside, atomic; idempotent by `client_id`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_number
from shikhon.core.clock import dhaka_today
from shikhon.core.uploads import UploadRefused, check_upload
from shikhon.practice import audit_actions, permissions
from shikhon.practice.models import Circle, Meeting, PracticePlan, PracticeRecord
from shikhon.practice.selectors import circles as circle_selectors
from shikhon.practice.services.log import plan_create

if TYPE_CHECKING:
    from shikhon.people.models import User
    from shikhon.places.models import Cluster, School

MAX_PLANS = 5
MAX_ATTENDEES = 300
MAX_ACTIVITIES = 30
MAX_REFLECTIONS = 40
MAX_DAYS_BACK = 365  # a meeting older than a year is not recorded now
MAX_PLAN_DAYS_AHEAD = 365
PHOTO_USE = "practice_photo"  # registered in core.uploads (re-encoded, metadata stripped)


@dataclass(frozen=True)
class PlanRow:
    """One "who plans to try what" row of a meeting."""

    teacher_id: int
    activity_id: int
    planned_on: dt.date
    grade: int
    section: str = ""


# ---------------------------------------------------------------------------------------------- circles

def circle_for_school(*, school: School) -> Circle:
    """The school's circle, made the first time it is needed (one per school, placed at the school's ids)."""
    fields = {"kind": Circle.Kind.SCHOOL, "school_id": school.pk, "upazila_id": school.upazila_id,
              "district_id": school.district_id, "division_id": school.division_id}
    try:
        with transaction.atomic():
            circle, _made = Circle.objects.get_or_create(school=school, defaults=fields)
    except IntegrityError:  # made at the same moment by another request
        circle = Circle.objects.get(school=school)
    return circle


def circle_for_cluster(*, cluster: Cluster) -> Circle:
    """The cluster's circle, placed at the cluster's upazila (no school), made the first time it is needed."""
    upazila = cluster.upazila
    fields = {"kind": Circle.Kind.CLUSTER, "school_id": None, "upazila_id": upazila.pk,
              "district_id": upazila.district_id, "division_id": upazila.division_id}
    try:
        with transaction.atomic():
            circle, _made = Circle.objects.get_or_create(cluster=cluster, defaults=fields)
    except IntegrityError:
        circle = Circle.objects.get(cluster=cluster)
    return circle


@transaction.atomic
def circle_set_next_meeting(*, actor: User, circle: Circle, on: dt.date | None) -> Circle:
    """Set (or clear, with None) the circle's next meeting day; its leader only. Not in the past, at most a
    year ahead."""
    permissions.ensure_can_lead(actor, circle)
    today = dhaka_today()
    if on is not None and on < today:
        raise ValidationError({"on": _("The next meeting cannot be in the past. Choose today or a later day.")},
                              code="past")
    if on is not None and on > today + dt.timedelta(days=MAX_PLAN_DAYS_AHEAD):
        raise ValidationError({"on": _("The next meeting must be within a year from today.")}, code="too_far")
    circle.next_meeting_on = on
    circle.full_clean()
    circle.save(update_fields=["next_meeting_on"])
    return circle


# ---------------------------------------------------------------------------------------------- meetings

def _check_held_on(held_on: dt.date) -> None:
    today = dhaka_today()
    if held_on > today:
        raise ValidationError({"held_on": _("The meeting's date is in the future. Record a meeting on the day "
                                            "it was held or later.")}, code="future")
    if held_on < today - dt.timedelta(days=MAX_DAYS_BACK):
        raise ValidationError({"held_on": _("The meeting's date is more than a year ago. Only meetings of the "
                                            "last year can be recorded.")}, code="too_old")


def _ids(values: Sequence[Any], *, most: int, field: str, sentence: str) -> set[int]:
    ids: set[int] = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError({field: sentence}, code="bad_id")
        ids.add(value)
    if len(ids) > most:
        raise ValidationError({field: _("Choose at most %(count)s.") % {"count": format_number(most)}},
                              code="too_many")
    return ids


def _plan_create(*, actor: User, teacher: User, activity: Any, row: PlanRow, meeting: Meeting,
                 client_id: uuid.UUID) -> PracticePlan:
    """The teacher's plan, made by the log part's `plan_create` (the same rules as her own plans; it tells her
    after commit that the plan was made at the meeting)."""
    return plan_create(actor=actor, activity=activity, grade=row.grade, section=row.section,
                       planned_on=row.planned_on, materials="", teacher=teacher, meeting=meeting,
                       client_id=client_id)


def _checked_photo(photo: Any) -> Any:
    try:
        return check_upload(use=PHOTO_USE, file=photo)
    except UploadRefused as exc:
        raise ValidationError({"materials_photo": exc.messages}, code=exc.code) from exc


def _check_plans(plans: Sequence[PlanRow], *, member_ids: set[int], activities: dict[int, Any],
                 held_on: dt.date) -> None:
    if len(plans) > MAX_PLANS:
        raise ValidationError({"plans": _("At most %(count)s plans can be made at one meeting.") % {
            "count": format_number(MAX_PLANS)}}, code="too_many_plans")
    latest = dhaka_today() + dt.timedelta(days=MAX_PLAN_DAYS_AHEAD)
    for number, row in enumerate(plans, start=1):
        where = {"number": format_number(number)}
        if row.teacher_id not in member_ids:
            raise ValidationError({"plans": _("Plan %(number)s: the teacher is not a member of this circle.") % where},
                                  code="plan_not_member")
        if row.activity_id not in activities:
            raise ValidationError({"plans": _("Plan %(number)s: choose an activity of a published course.") % where},
                                  code="plan_activity")
        if row.planned_on < held_on:
            raise ValidationError({"plans": _("Plan %(number)s: the planned day is before the meeting. Choose the "
                                              "meeting's day or a later one.") % where}, code="plan_past")
        if row.planned_on > latest:
            raise ValidationError({"plans": _("Plan %(number)s: the planned day must be within a year from "
                                              "today.") % where}, code="plan_too_far")
        if not 1 <= row.grade <= 12:
            raise ValidationError({"plans": _("Plan %(number)s: the class must be from 1 to 12.") % where},
                                  code="plan_grade")
        if len(row.section) > 20:
            raise ValidationError({"plans": _("Plan %(number)s: the section can be at most 20 characters.") % where},
                                  code="plan_section")


@transaction.atomic
def meeting_record(*, actor: User, circle: Circle, held_on: dt.date, attendee_ids: Sequence[int],
                   activity_ids: Sequence[int], reflection_record_ids: Sequence[int], notes: str = "",
                   plans: Sequence[PlanRow | tuple[int, int, dt.date, int, str]] = (),
                   materials_photo: Any = None, client_id: uuid.UUID | None = None) -> Meeting:
    """Record a circle's meeting (its leader: the school's head teacher, or for a cluster its mentors and
    officers; officers over the place may step in). Who came must be members; the reflections shared must be
    members' records shared with the circle; the activities of published courses; the date not in the future
    (Dhaka's date by the server's clock) nor more than a year ago. Each plan becomes the teacher's
    `PracticePlan` (linked to the meeting, by `plan_create`, which tells her after commit). The same
    `client_id` again answers the meeting already recorded and records nothing more."""
    permissions.ensure_can_lead(actor, circle)
    if client_id is not None:
        existing = Meeting.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.circle_id != circle.pk or existing.recorded_by_id != actor.pk:
                raise ValidationError(_("This meeting could not be saved. Please open the form and record it "
                                        "again."), code="client_id_taken")
            return existing
    _check_held_on(held_on)
    rows = [row if isinstance(row, PlanRow) else PlanRow(*row) for row in plans]
    attendees = _ids(attendee_ids, most=MAX_ATTENDEES, field="attendees",
                     sentence=_("Choose who came from the circle's members."))
    activity_set = _ids(activity_ids, most=MAX_ACTIVITIES, field="activities",
                        sentence=_("Choose the activities from the list."))
    reflections = _ids(reflection_record_ids, most=MAX_REFLECTIONS, field="reflections",
                       sentence=_("Choose the reflections from the list."))
    members = circle_selectors.circle_members(circle)
    member_ids = {m.user.pk for m in members}
    if attendees - member_ids:
        raise ValidationError({"attendees": _("Only the circle's members can be marked as present: teachers "
                                              "and head teachers of its school or schools.")}, code="not_member")
    activities = circle_selectors.published_activities(actor, activity_set | {r.activity_id for r in rows})
    if activity_set - set(activities):
        raise ValidationError({"activities": _("Choose activities of published courses only.")},
                              code="activity_unpublished")
    if reflections:
        shared = set(PracticeRecord.objects.filter(pk__in=reflections, teacher_id__in=member_ids,
                                                   shared_with_circle=True).values_list("pk", flat=True))
        if reflections - shared:
            raise ValidationError({"reflections": _("Only the members' practice records shared with the circle "
                                                    "can be shared at its meeting.")}, code="not_shared")
    _check_plans(rows, member_ids=member_ids, activities=activities, held_on=held_on)
    checked = _checked_photo(materials_photo) if materials_photo else None
    key = client_id or uuid.uuid4()
    meeting = Meeting(circle=circle, held_on=held_on, recorded_by=actor, notes=notes or "", client_id=key,
                      school_id=circle.school_id, upazila_id=circle.upazila_id, district_id=circle.district_id,
                      division_id=circle.division_id)
    meeting.full_clean(exclude=["circle", "recorded_by", "client_id"])
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # the same form sent twice at the same moment: the other request recorded it
        existing = Meeting.objects.filter(client_id=key, circle=circle, recorded_by=actor).first()
        if existing is None:
            raise
        return existing
    meeting.attendees.set(sorted(attendees))
    meeting.activities.set(sorted(activity_set))
    meeting.reflections.set(sorted(reflections))
    people = {m.user.pk: m.user for m in members}
    made: list[PracticePlan] = []
    for number, row in enumerate(rows):
        # A plan's id follows from the meeting's, so a replay of the meeting can never make it twice.
        plan_id = uuid.uuid5(meeting.client_id, f"plan-{number}")
        made.append(_plan_create(actor=actor, teacher=people[row.teacher_id], activity=activities[row.activity_id],
                                 row=row, meeting=meeting, client_id=plan_id))
    if checked is not None:  # stored last, so a refused meeting leaves no file behind
        meeting.materials_photo.save(checked.filename(f"meeting-{meeting.client_id}"), checked.file, save=False)
        meeting.save(update_fields=["materials_photo"])
    audit_record(actor=actor, action=audit_actions.CIRCLE_MEETING_RECORDED, target=meeting,
                 summary=f"circle {circle.pk}: {len(attendees)} came, {len(made)} plans",
                 details={"circle_id": circle.pk, "held_on": held_on.isoformat(), "attendees": len(attendees),
                          "activities": sorted(activity_set), "reflections": len(reflections),
                          "plans": [p.pk for p in made]})
    return meeting

