"""Supported practice (decision 0011): practice plans and records, circles and their meetings, lesson observations,
learner checks, the ongoing-user status and the certificate of practice's progress.

Every row is loaded through `practice.selectors.access_*` (missing, malformed and hidden are one 404) and every list
starts from the practice selectors' own "what she may see" — the rows the pages show. Writes go through the
practice services, the same calls the pages and /sync/ make, so a service's refusal answers its own sentence: 409
`conflict` for "not in this state" (`details.reason`: `no_consent`, `answered`, `no_baseline`, …), 400 for what was
sent; an action refused on a row she may see is 403, as on the pages.

**Creating with a client id.** Plans, records, meetings, observation requests and entries, replies and check rounds
carry a `client_id` (a UUID the client makes once per thing, before the first try). The first request answers
**201** with the new row; the same client id again answers **200** with the row saved the first time (nothing
more is stored, whatever else the retry carries) — as /sync/ answers a replayed outbox item `duplicate`. A client
id already used by someone else, or for another kind of thing, is 409."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import ConfigDict, model_validator

from shikhon.api.auth import caller
from shikhon.api.errors import ApiError, refusal
from shikhon.api.pagination import MAX_ID, PageParams, paginate, paginate_list
from shikhon.api.schemas import ErrorOut, Page
from shikhon.courses import selectors as course_selectors
from shikhon.library.selectors.access import access_content
from shikhon.people.scope import user_scope
from shikhon.practice import permissions
from shikhon.practice.checks import definition_of
from shikhon.practice.rules import certificate_rule, ongoing_rule
from shikhon.practice.selectors import (
    access_check_round,
    access_circle,
    access_meeting,
    access_observation,
    access_plan,
    access_record,
)
from shikhon.practice.selectors import checks as check_selectors
from shikhon.practice.selectors import circles as circle_selectors
from shikhon.practice.selectors import log as log_selectors
from shikhon.practice.selectors import observations as observation_selectors
from shikhon.practice.selectors import status as status_selectors
from shikhon.practice.services import checks as check_services
from shikhon.practice.services import circles as circle_services
from shikhon.practice.services import log as log_services
from shikhon.practice.services import observations as observation_services
from shikhon.practice.services import status as status_services

if TYPE_CHECKING:
    from shikhon.courses.models import Activity
    from shikhon.library.models import Content
    from shikhon.people.models import User
    from shikhon.practice.models import (
        CheckRound,
        Circle,
        Encouragement,
        Meeting,
        Observation,
        ObservationEntry,
        ObservationReply,
        OngoingStatus,
        PracticePlan,
        PracticeRecord,
    )

router = Router(tags=["practice"])

ERRORS: dict[int, Any] = {401: ErrorOut, 414: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS_404, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}

# The practice services' refusal codes that mean "not in this state" (the request itself was well formed): 409.
# Any other refusal is the caller's input: 400. (The API's STATE_REFUSALS hold the learning and training codes.)
STATE_REFUSALS = frozenset({
    # the log: no current school role, a plan already recorded or dropped, a client id someone else used
    "no_school", "not_planned", "plan_recorded", "plan_dropped", "client_id_taken",
    # observations: one open request at a time, an answered request, no consent (yet), too early, not recorded
    "already_open", "answered", "no_consent", "declined", "cancelled", "too_early", "not_recorded",
    "no_instrument", "client_id",
    # checks: a follow-up before its baseline, a client id of another teacher's round
    "no_baseline", "not_yours",
})
MAX_TEXT = 10_000  # a bound on any text sent (the services' own limits are lower, and refused with a sentence)
MAX_IDS = 500
PROGRESS_FAMILIES = 10  # courses shown on the certificate progress (as on her status page)
MEETINGS_MAX = 500


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


Text = Annotated[str, Field(max_length=MAX_TEXT)]
Short = Annotated[str, Field(max_length=200)]
PositiveId = Annotated[int, Field(ge=1, le=MAX_ID)]


@contextmanager
def practice_refusals() -> Iterator[None]:
    """A practice service's ValidationError as the API's error: its sentence, 409 for a state, else 400."""
    try:
        yield
    except DjangoValidationError as exc:
        error = refusal(exc)
        if error.status_code != 409 and error.details.get("reason") in STATE_REFUSALS:
            error = ApiError(409, message=error.message, details=error.details)
        raise error from None


def _not_found(field: str, message: str) -> ApiError:
    """A row named in the body that she may not use (or that does not exist): 404 with a sentence naming it."""
    return ApiError(404, message=message, details={"field": field})


def _answer_status(since: dt.datetime, made_at: dt.datetime) -> int:
    """201 when the row the service answers was made by this request (at or after `since`, taken just before the
    call); 200 when an earlier request with the same client id made it (the services answer the stored row)."""
    return 201 if made_at >= since else 200


# --------------------------------------------------------------------------------------------- shared schemas

class PersonRef(Schema):
    id: int
    name_bn: str
    name_en: str


class PracticeActivityRef(Schema):
    id: int
    title: str
    url: str = Field(..., description="The activity's page on the site.")


class PracticeContentRef(Schema):
    id: int
    title: str
    url: str = Field(..., description="The library content's page on the site.")


class PracticeModuleRef(Schema):
    id: int
    title: str


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name_bn": user.name_bn, "name_en": user.name_en}


def _activity(activity: Activity | None) -> dict[str, Any] | None:
    if activity is None:
        return None
    return {"id": activity.pk, "title": activity.title,
            "url": reverse("courses:activity", kwargs={"pk": activity.pk})}


def _content(content: Content | None) -> dict[str, Any] | None:
    if content is None:
        return None
    return {"id": content.pk, "title": content.title, "url": content.get_absolute_url()}


def _seen_content(user: User, content_id: int | None) -> Content:
    """The library content as she may see it (the service refuses one not published, with a sentence), else 404
    naming the field."""
    try:
        return access_content(user, content_id)
    except Http404:
        raise _not_found("content", _("This library content was not found. Open it in the library and try "
                                      "again.")) from None


# "Exactly one of activity and content", said in the OpenAPI document too (clients and the fuzz tests read it there).
ONE_OF_ACTIVITY_AND_CONTENT: dict[str, Any] = {"oneOf": [
    {"required": ["activity"], "properties": {"activity": {"type": "integer"}, "content": {"type": "null"}}},
    {"required": ["content"], "properties": {"content": {"type": "integer"}, "activity": {"type": "null"}}},
]}


def _exactly_one(activity: int | None, content: int | None) -> None:
    if (activity is None) == (content is None):
        raise ValueError("send exactly one of activity and content")


def _studied_activity(user: User, activity_id: int | None, *, field: str = "activity") -> Activity:
    """The activity as she studies it (courses' rule), else 404 naming the field."""
    try:
        activity, _enrolment = course_selectors.access_activity_to_study(user, activity_id)
    except Http404:
        raise _not_found(field, _("This activity was not found. Open the activity in your course and try "
                                  "again.")) from None
    return activity


# ---------------------------------------------------------------------------------------------- plans

PlanState = Literal["planned", "taught", "not_working", "dropped"]


class PlanOut(Schema):
    id: int
    client_id: UUID
    teacher: PersonRef
    activity: PracticeActivityRef | None = Field(..., description="The course's activity to try (or null: a "
                                                                  "library content).")
    content: PracticeContentRef | None = Field(..., description="The library content to try (or null: an "
                                                                "activity).")
    grade: int = Field(..., description="The class, 1 to 12.")
    section: str
    planned_on: dt.date
    materials: str
    state: PlanState
    meeting: int | None = Field(None, description="The circle meeting that made the plan, if any.")
    made_by: int = Field(..., description="Who made the plan (she, or the leader of her circle).")
    created_at: dt.datetime
    url: str = Field(..., description="The plan's page on the site.")


class PlanPage(Page):
    items: list[PlanOut]


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra=ONE_OF_ACTIVITY_AND_CONTENT)

    client_id: UUID = Field(..., description="Made by the client once per plan: the same id again answers the "
                                             "plan already saved.")
    activity: PositiveId | None = Field(None, description="The activity to try (of a course she studies); "
                                                          "exactly one of activity and content.")
    content: PositiveId | None = Field(None, description="A published library content to try instead of an "
                                                         "activity.")
    grade: int = Field(..., description="The class, 1 to 12.")
    section: Short = Field("", description="The section, at most 20 characters.")
    planned_on: dt.date = Field(..., description="From 30 days ago to a year ahead (Dhaka's date).")
    materials: Text = Field("", description="Materials to prepare, at most 1,000 characters.")

    @model_validator(mode="after")
    def _one_thing(self) -> PlanIn:
        _exactly_one(self.activity, self.content)
        return self


def _plan(plan: PracticePlan) -> dict[str, Any]:
    return {"id": plan.pk, "client_id": plan.client_id, "teacher": _person(plan.teacher),
            "activity": _activity(plan.activity), "content": _content(plan.content), "grade": plan.grade,
            "section": plan.section,
            "planned_on": plan.planned_on, "materials": plan.materials, "state": plan.state,
            "meeting": plan.meeting_id, "made_by": plan.created_by_id, "created_at": plan.created_at,
            "url": plan.get_absolute_url()}


@router.get("/practice/plans", response={200: PlanPage, **ERRORS}, summary="Practice plans she may see")
def list_plans(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Her own plans; a head teacher's school's; an officer's or mentor's area's (the plans their pages open).
    The latest planned day first. Researchers see no rows."""
    page = paginate(log_selectors.plans_visible(caller(request)), params)
    page["items"] = [_plan(p) for p in page["items"]]
    return page


@router.post("/practice/plans", response={201: PlanOut, 200: PlanOut, **WRITE_ERRORS},
             summary="Plan to try an activity in class")
def create_plan(request: HttpRequest, payload: PlanIn) -> tuple[int, dict[str, Any]]:
    """Her plan to try an activity (or a published library content) with a class on a day. 201 when made; 200 with
    the saved plan when the client id was used before. An activity she does not study, a content she may not see,
    is 404 (a content not published: 400); a date too far back or ahead, a class outside 1–12
    are 400 with the sentence; without a current school role, 409 (`no_school`)."""
    user = caller(request)
    activity = _studied_activity(user, payload.activity) if payload.activity is not None else None
    content = _seen_content(user, payload.content) if payload.content is not None else None
    since = timezone.now()
    with practice_refusals():
        plan = log_services.plan_create(actor=user, activity=activity, content=content, grade=payload.grade,
                                        section=payload.section, planned_on=payload.planned_on,
                                        materials=payload.materials, client_id=payload.client_id)
    return _answer_status(since, plan.created_at), _plan(access_plan(user, plan.pk))


@router.get("/practice/plans/{id}", response={200: PlanOut, **ERRORS_404}, summary="One practice plan")
def get_plan(request: HttpRequest, id: int = _id("Plan id.")) -> dict[str, Any]:
    return _plan(access_plan(caller(request), id))


@router.post("/practice/plans/{id}/drop", response={200: PlanOut, **WRITE_ERRORS}, summary="Drop a plan")
def drop_plan(request: HttpRequest, id: int = _id("Plan id.")) -> dict[str, Any]:
    """She (or whoever planned it for her) drops a plan still waiting; a plan already taught is 409
    (`not_planned`). Dropping a dropped plan answers it unchanged."""
    user = caller(request)
    plan = access_plan(user, id)
    with practice_refusals():
        log_services.plan_drop(actor=user, plan=plan)
    return _plan(access_plan(user, id))


# ---------------------------------------------------------------------------------------------- records

Outcome = Literal["taught", "not_working"]


class RecordOut(Schema):
    id: int
    client_id: UUID
    teacher: PersonRef
    activity: PracticeActivityRef | None = Field(..., description="The course's activity taught (or null: a "
                                                                  "library content).")
    content: PracticeContentRef | None = Field(..., description="The library content taught (or null: an "
                                                                "activity).")
    plan: int | None = Field(None, description="The plan it answers, if any.")
    grade: int
    section: str
    taught_on: dt.date
    outcome: Outcome = Field(..., description="taught; not_working (tried, it did not work: practice too).")
    learners_present: int | None = None
    minutes: int | None = None
    rating: int | None = Field(None, description="How it went, 1 to 5.")
    what_worked: str
    what_to_change: str
    why_not: str
    shared_with_circle: bool
    photo_url: str | None = Field(None, description="The photo's address on the site (for those who may open "
                                                    "the record).")
    acknowledged_at: dt.datetime | None = Field(None, description="When her head teacher acknowledged it.")
    created_at: dt.datetime
    url: str = Field(..., description="The record's page on the site.")


class RecordPage(Page):
    items: list[RecordOut]


class EncouragementOut(Schema):
    author: PersonRef
    comment: str
    created_at: dt.datetime


class RecordDetailOut(RecordOut):
    encouragements: list[EncouragementOut] = Field(..., description="Colleagues' 👍, oldest first.")
    may_acknowledge: bool = Field(..., description="Whether the caller may acknowledge it now.")
    may_encourage: bool


class RecordIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra=ONE_OF_ACTIVITY_AND_CONTENT)

    client_id: UUID = Field(..., description="Made by the client once per record: the same id again answers the "
                                             "record already saved.")
    activity: PositiveId | None = Field(None, description="The activity taught (with a plan: the plan's activity); "
                                                          "exactly one of activity and content.")
    content: PositiveId | None = Field(None, description="A published library content taught instead of an "
                                                         "activity (with a plan: the plan's content).")
    plan: PositiveId | None = Field(None, description="Her plan this record answers, still waiting for a record.")
    taught_on: dt.date = Field(..., description="Not in the future, at most a year ago (Dhaka's date).")
    outcome: Outcome = "taught"
    grade: int = Field(..., description="The class, 1 to 12.")
    section: Short = ""
    learners_present: int | None = Field(None, description="0 to 200.")
    minutes: int | None = Field(None, description="1 to 240.")
    rating: int | None = Field(None, description="How it went, 1 to 5 (needed when taught).")
    what_worked: Text = ""
    what_to_change: Text = ""
    why_not: Text = Field("", description="Why it did not work (needed when not_working).")
    shared_with_circle: bool = True

    @model_validator(mode="after")
    def _one_thing(self) -> RecordIn:
        _exactly_one(self.activity, self.content)
        return self


class EncourageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: Text = Field("", description="A short comment, at most 200 characters.")


def _record(record: PracticeRecord) -> dict[str, Any]:
    return {"id": record.pk, "client_id": record.client_id, "teacher": _person(record.teacher),
            "activity": _activity(record.activity), "content": _content(record.content), "plan": record.plan_id,
            "grade": record.grade,
            "section": record.section, "taught_on": record.taught_on, "outcome": record.outcome,
            "learners_present": record.learners_present, "minutes": record.minutes, "rating": record.rating,
            "what_worked": record.what_worked, "what_to_change": record.what_to_change, "why_not": record.why_not,
            "shared_with_circle": record.shared_with_circle,
            "photo_url": reverse("practice:record_photo", kwargs={"pk": record.pk}) if record.photo else None,
            "acknowledged_at": record.acknowledged_at, "created_at": record.created_at,
            "url": record.get_absolute_url()}


def _encouragement(row: Encouragement) -> dict[str, Any]:
    return {"author": _person(row.author), "comment": row.comment, "created_at": row.created_at}


def _record_detail(user: User, record: PracticeRecord) -> dict[str, Any]:
    return {**_record(record), "encouragements": [_encouragement(e) for e in log_selectors.encouragements_of(record)],
            "may_acknowledge": record.acknowledged_at is None and permissions.can_acknowledge(user, record),
            "may_encourage": permissions.can_encourage(user, record)}


@router.get("/practice/records", response={200: RecordPage, **ERRORS}, summary="Practice records she may see")
def list_records(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Her own records; her colleagues' records shared with her school's circle; a head teacher's school's; an
    officer's or mentor's area's — the records their pages open. The latest lesson first. Researchers see no
    rows (counts only, under /practice/status/area)."""
    page = paginate(log_selectors.records_visible(caller(request)), params)
    page["items"] = [_record(r) for r in page["items"]]
    return page


@router.post("/practice/records", response={201: RecordDetailOut, 200: RecordDetailOut, **WRITE_ERRORS},
             summary="Record how a lesson went")
def create_record(request: HttpRequest, payload: RecordIn) -> tuple[int, dict[str, Any]]:
    """Her record of a lesson (hers only): taught, or tried and it did not work. With `plan`, the plan becomes
    taught or not working. 201 when made; 200 with the saved record when the client id was used before. A photo
    is added on the record's page (a JSON request carries no file). A plan of someone else's, or one already
    recorded, is 404; the services' refusals answer their sentences (400, or 409 for a state)."""
    user = caller(request)
    done = log_selectors.record_with_client_id(user, payload.client_id)
    if done is not None:  # the same record sent again: the one saved (before checking what the retry carries)
        return 200, _record_detail(user, access_record(user, done.pk))
    plan = None
    if payload.plan is not None:
        plan = log_selectors.plan_of_teacher(user, payload.plan)
        if plan is None:
            raise _not_found("plan", _("This plan was not found, or it already has a record. Record the lesson "
                                       "without it."))
        if plan.activity_id != payload.activity or plan.content_id != payload.content:
            field = "activity" if plan.activity_id is not None else "content"
            message = (_("This plan is for another activity. Send the plan's activity, or record the lesson "
                         "without the plan.") if field == "activity" else
                       _("This plan is for another library content. Send the plan's content, or record the lesson "
                         "without the plan."))
            raise ApiError(400, message=message, details={"fields": {field: [message]}})
        activity, content = plan.activity, plan.content
    elif payload.activity is not None:
        activity, content = _studied_activity(user, payload.activity), None
    else:
        activity, content = None, _seen_content(user, payload.content)
    since = timezone.now()
    with practice_refusals():
        record = log_services.record_create(
            actor=user, activity=activity, content=content, taught_on=payload.taught_on, outcome=payload.outcome,
            grade=payload.grade, section=payload.section, learners_present=payload.learners_present,
            minutes=payload.minutes, rating=payload.rating, what_worked=payload.what_worked,
            what_to_change=payload.what_to_change, why_not=payload.why_not, plan=plan,
            shared_with_circle=payload.shared_with_circle, client_id=payload.client_id)
    return _answer_status(since, record.created_at), _record_detail(user, access_record(user, record.pk))


@router.get("/practice/records/{id}", response={200: RecordDetailOut, **ERRORS_404}, summary="One practice record")
def get_record(request: HttpRequest, id: int = _id("Record id.")) -> dict[str, Any]:
    user = caller(request)
    return _record_detail(user, access_record(user, id))


@router.post("/practice/records/{id}/acknowledge", response={200: RecordDetailOut, **WRITE_ERRORS},
             summary="Acknowledge a teacher's practice")
def acknowledge_record(request: HttpRequest, id: int = _id("Record id.")) -> dict[str, Any]:
    """Her head teacher (or an officer over her school) acknowledges a record, once; the teacher is told. Anyone
    else who may see the record gets 403; acknowledging it again answers it unchanged."""
    user = caller(request)
    record = access_record(user, id)
    with practice_refusals():
        log_services.record_acknowledge(actor=user, record=record)
    return _record_detail(user, access_record(user, id))


@router.post("/practice/records/{id}/encourage", response={200: RecordDetailOut, **WRITE_ERRORS},
             summary="Encourage a colleague's practice")
def encourage_record(request: HttpRequest, payload: EncourageIn, id: int = _id("Record id.")) -> dict[str, Any]:
    """A colleague's 👍 with a short comment (one each; again changes the comment). Not on her own record (403)."""
    user = caller(request)
    record = access_record(user, id)
    with practice_refusals():
        log_services.encouragement_add(actor=user, record=record, comment=payload.comment)
    return _record_detail(user, access_record(user, id))


# ---------------------------------------------------------------------------------------------- circles

class PlaceNameRef(Schema):
    id: int
    name_bn: str
    name_en: str


class CircleOut(Schema):
    id: int
    kind: Literal["school", "cluster"]
    school: PlaceNameRef | None = Field(None, description="A school's circle: its school.")
    cluster: PlaceNameRef | None = Field(None, description="A cluster's circle: its cluster.")
    next_meeting_on: dt.date | None = None
    url: str = Field(..., description="The circle's page on the site.")


class CirclePage(Page):
    items: list[CircleOut]


class CircleMemberOut(PersonRef):
    is_head: bool = Field(..., description="Head teacher of (one of) its school(s).")


class CircleDetailOut(CircleOut):
    members: list[CircleMemberOut] = Field(..., description="Worked out from current roles: head teachers first.")
    may_lead: bool = Field(..., description="Whether the caller may record its meetings.")


class MeetingOut(Schema):
    id: int
    client_id: UUID
    circle: int
    held_on: dt.date
    notes: str
    came: int = Field(..., description="How many members came.")
    planned: int = Field(..., description="How many plans were made at it.")
    photo_url: str | None = None
    created_at: dt.datetime
    url: str = Field(..., description="The meeting's page on the site.")


class MeetingPage(Page):
    items: list[MeetingOut]


class SharedRecordRef(Schema):
    id: int
    teacher: PersonRef
    activity: PracticeActivityRef | None = Field(..., description="The activity taught (or null: a library "
                                                                  "content).")
    content: PracticeContentRef | None = Field(..., description="The library content taught (or null: an "
                                                                "activity).")
    taught_on: dt.date


class MeetingPlanRef(Schema):
    id: int
    teacher: PersonRef
    activity: PracticeActivityRef
    planned_on: dt.date
    grade: int
    section: str


class MeetingDetailOut(MeetingOut):
    attendees: list[PersonRef]
    activities: list[PracticeActivityRef] = Field(..., description="The activities looked at.")
    reflections: list[SharedRecordRef] = Field(..., description="Members' practice shared at the meeting.")
    plans: list[MeetingPlanRef] = Field(..., description="Who plans to try what (each her practice plan).")


class MeetingPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    teacher: PositiveId = Field(..., description="A member of the circle.")
    activity: PositiveId = Field(..., description="An activity of a published course.")
    planned_on: dt.date = Field(..., description="The meeting's day or later, within a year.")
    grade: int = Field(..., description="The class, 1 to 12.")
    section: Short = ""


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(..., description="Made by the client once per meeting: the same id again answers the "
                                             "meeting already recorded.")
    held_on: dt.date = Field(..., description="Not in the future, at most a year ago (Dhaka's date).")
    attendees: list[PositiveId] = Field(default_factory=list, max_length=MAX_IDS,
                                        description="Who came: members' user ids (at most 300).")
    activities: list[PositiveId] = Field(default_factory=list, max_length=MAX_IDS,
                                         description="Activities looked at (at most 30).")
    reflections: list[PositiveId] = Field(default_factory=list, max_length=MAX_IDS,
                                          description="Members' practice records shared with the circle (at most "
                                                      "40).")
    notes: Text = Field("", description="At most 3,000 characters.")
    plans: list[MeetingPlanIn] = Field(default_factory=list, max_length=50,
                                       description="Who plans to try what (at most 5).")


def _school_ref(place: Any) -> dict[str, Any] | None:
    if place is None:
        return None
    return {"id": place.pk, "name_bn": place.name_bn, "name_en": place.name_en or ""}


def _circle(circle: Circle) -> dict[str, Any]:
    return {"id": circle.pk, "kind": circle.kind,
            "school": _school_ref(circle.school) if circle.school_id is not None else None,
            "cluster": _school_ref(circle.cluster) if circle.cluster_id is not None else None,
            "next_meeting_on": circle.next_meeting_on, "url": circle.get_absolute_url()}


def _circle_detail(user: User, circle: Circle) -> dict[str, Any]:
    members = circle_selectors.circle_members(circle)
    return {**_circle(circle), "may_lead": permissions.can_lead(user, circle),
            "members": [{**_person(m.user), "is_head": m.is_head} for m in members]}


def _meeting(meeting: Meeting, *, came: int, planned: int) -> dict[str, Any]:
    return {"id": meeting.pk, "client_id": meeting.client_id, "circle": meeting.circle_id, "held_on": meeting.held_on,
            "notes": meeting.notes, "came": came, "planned": planned,
            "photo_url": reverse("practice:meeting_photo", kwargs={"pk": meeting.pk})
            if meeting.materials_photo else None,
            "created_at": meeting.created_at, "url": meeting.get_absolute_url()}


def _meeting_detail(meeting: Meeting) -> dict[str, Any]:
    detail = circle_selectors.meeting_detail(meeting)
    return {**_meeting(meeting, came=len(detail.attendees), planned=len(detail.plans)),
            "attendees": [_person(u) for u in detail.attendees],
            "activities": [_activity(a) for a in detail.activities],
            "reflections": [{"id": r.pk, "teacher": _person(r.teacher), "activity": _activity(r.activity),
                             "content": _content(r.content), "taught_on": r.taught_on} for r in detail.reflections],
            "plans": [{"id": p.pk, "teacher": _person(p.teacher), "activity": _activity(p.activity),
                       "planned_on": p.planned_on, "grade": p.grade, "section": p.section} for p in detail.plans]}


@router.get("/practice/circles", response={200: CirclePage, **ERRORS}, summary="My circles")
def list_circles(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """The circles of the schools she works in (teacher or head teacher), once opened (POST
    /practice/circles/mine opens her school's)."""
    page = paginate(circle_selectors.circles_of(caller(request)).order_by("pk"), params)
    page["items"] = [_circle(c) for c in page["items"]]
    return page


@router.post("/practice/circles/mine", response={200: CircleDetailOut, **WRITE_ERRORS},
             summary="Open my school's circle")
def open_my_circle(request: HttpRequest) -> dict[str, Any]:
    """Her school's circle (the school she heads, else the first she works in, as the site's "my circle" link),
    made the first time it is needed; 404 when she works in no school. Asking again answers the same circle."""
    user = caller(request)
    school = circle_selectors.my_circle_school(user)
    if school is None:
        raise Http404
    circle = circle_services.circle_for_school(school=school)
    return _circle_detail(user, access_circle(user, circle.pk))


@router.get("/practice/circles/{id}", response={200: CircleDetailOut, **ERRORS_404}, summary="One circle")
def get_circle(request: HttpRequest, id: int = _id("Circle id.")) -> dict[str, Any]:
    """A circle she may see (its members, the school's or upazila's overseers), with its members now."""
    user = caller(request)
    return _circle_detail(user, access_circle(user, id))


@router.get("/practice/circles/{id}/meetings", response={200: MeetingPage, **ERRORS_404},
            summary="A circle's meetings")
def list_meetings(request: HttpRequest, params: Query[PageParams], id: int = _id("Circle id.")) -> dict[str, Any]:
    """The circle's meetings, the latest first, with how many came and how many plans were made."""
    circle = access_circle(caller(request), id)
    page = paginate_list(circle_selectors.meetings_of(circle, limit=MEETINGS_MAX), params)
    page["items"] = [_meeting(m, came=getattr(m, "came", 0), planned=getattr(m, "planned", 0))
                     for m in page["items"]]
    return page


@router.post("/practice/circles/{id}/meetings", response={201: MeetingDetailOut, 200: MeetingDetailOut,
                                                          **WRITE_ERRORS}, summary="Record a circle meeting")
def create_meeting(request: HttpRequest, payload: MeetingIn, id: int = _id("Circle id.")) -> tuple[int, dict[str, Any]]:
    """Its leader records a meeting: who came, the activities looked at, the reflections shared and who plans to
    try what (each plan becomes the teacher's, and she is told). A member who may see the circle but not lead it
    gets 403. 201 when recorded; 200 with the meeting when the client id was used before. A materials photo is
    added on the site."""
    user = caller(request)
    circle = access_circle(user, id)
    plans = [circle_services.PlanRow(teacher_id=p.teacher, activity_id=p.activity, planned_on=p.planned_on,
                                     grade=p.grade, section=p.section) for p in payload.plans]
    since = timezone.now()
    with practice_refusals():
        meeting = circle_services.meeting_record(
            actor=user, circle=circle, held_on=payload.held_on, attendee_ids=payload.attendees,
            activity_ids=payload.activities, reflection_record_ids=payload.reflections, notes=payload.notes,
            plans=plans, client_id=payload.client_id)
    return _answer_status(since, meeting.created_at), _meeting_detail(access_meeting(user, meeting.pk))


@router.get("/practice/meetings/{id}", response={200: MeetingDetailOut, **ERRORS_404}, summary="One meeting")
def get_meeting(request: HttpRequest, id: int = _id("Meeting id.")) -> dict[str, Any]:
    return _meeting_detail(access_meeting(caller(request), id))


# ---------------------------------------------------------------------------------------------- observations

ObservationStatus = Literal["proposed", "agreed", "other_date", "declined", "recorded", "cancelled"]
Progress = Literal["not_yet", "started", "done_well"]


class InstrumentRef(Schema):
    id: int
    code: str
    version: int
    title_bn: str
    title_en: str


class InstrumentOut(InstrumentRef):
    attribution: str
    is_default: bool
    definition: dict[str, Any] = Field(..., description="Sections of items, each with its levels (`value`, labels "
                                                        "and descriptors in Bangla and English); time-on-task "
                                                        "snapshots when it has them.")


class InstrumentPage(Page):
    items: list[InstrumentOut]


class ObservationOut(Schema):
    id: int
    client_id: UUID
    teacher: PersonRef
    observer: PersonRef
    instrument: InstrumentRef
    activity: PracticeActivityRef | None = None
    proposed_on: dt.date
    message: str
    status: ObservationStatus
    answer_note: str = Field(..., description="The teacher's note with her answer.")
    asked_date: dt.date | None = Field(None, description="The date she asked for instead.")
    answered_at: dt.datetime | None = None
    observed_on: dt.date | None = None
    follows: int | None = Field(None, description="Her observation before this one, whose things to try are "
                                                  "followed up.")
    created_at: dt.datetime
    url: str = Field(..., description="The observation's page on the site.")


class ObservationPage(Page):
    items: list[ObservationOut]


class TryNextOut(Schema):
    id: int
    position: int
    text: str
    activity: PracticeActivityRef | None = None
    module: PracticeModuleRef | None = None


class EntryOut(Schema):
    id: int
    client_id: UUID
    author: PersonRef
    strengths: str
    ratings: dict[str, str] = Field(..., description="Item code → level value.")
    snapshots: list[str]
    follow_up: dict[str, str] = Field(..., description="Thing-to-try id of the previous observation → progress.")
    notes: str
    try_next: list[TryNextOut]
    claimed_at: dt.datetime | None = Field(None, description="When the phone says it was written (a claim).")
    created_at: dt.datetime


class ReplyOut(Schema):
    id: int
    client_id: UUID
    author: PersonRef
    text: str
    created_at: dt.datetime


class RatingChangeOut(Schema):
    item: str
    now: str | None = None
    before: str | None = None
    change: Literal["new", "up", "same", "down"]


class FollowUpOut(Schema):
    try_next: int = Field(..., description="A thing to try of the previous observation.")
    text: str
    progress: Literal["", "not_yet", "started", "done_well"]


class ObservationDetailOut(ObservationOut):
    entries: list[EntryOut] = Field(..., description="Every entry, oldest first (append-only: two phones, two "
                                                     "entries).")
    replies: list[ReplyOut]
    ratings: dict[str, str] = Field(..., description="Over the entries: a later entry's rating of an item counts.")
    changes: list[RatingChangeOut] = Field(..., description="Per item rated: the change since her previous "
                                                            "observation.")
    follow_up: list[FollowUpOut]
    scores: dict[str, int | None] = Field(..., description="Element scores 1–5 (instruments scored by element).")


class ObservationParams(PageParams):
    role: Literal["teacher", "observer", "support"] = Field(
        "teacher", description="teacher: of her lessons; observer: those she asked for; support: those of others "
                               "she may see as head teacher, mentor or officer.")


class ProposeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(..., description="Made by the client once per request.")
    teacher: PositiveId = Field(..., description="The teacher to observe (her head teacher, a colleague of her "
                                                 "school, the mentors and officers of her upazila may ask).")
    proposed_on: dt.date = Field(..., description="Today up to 90 days ahead (Dhaka's date).")
    instrument: PositiveId | None = Field(None, description="One of GET /practice/instruments; the default if "
                                                            "left out.")
    activity: PositiveId | None = Field(None, description="The activity she will teach, if known.")
    message: Text = Field("", description="At most 500 characters.")


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answer: Literal["agree", "decline", "other_date"]
    note: Text = Field("", description="At most 500 characters.")
    asked_date: dt.date | None = Field(None, description="With other_date: the day that suits her.")


class TryNextIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Text = Field(..., description="What to try, at most 300 characters.")
    activity: PositiveId | None = Field(None, description="The activity that helps (or a module).")
    module: PositiveId | None = Field(None, description="The module that helps (or an activity).")


class EntryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(..., description="Made by the phone once per entry: the same id again answers the "
                                             "entry stored; another id adds another entry.")
    strengths: Text = Field(..., description="Strengths first: what went well (at most 2,000 characters).")
    ratings: dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=40)]] = Field(
        default_factory=dict, max_length=100, description="Item code → level value of the instrument.")
    try_next: list[TryNextIn] = Field(default_factory=list, max_length=10, description="At most 3 things to try.")
    follow_up: dict[Annotated[str, Field(max_length=20)], Progress] = Field(
        default_factory=dict, max_length=20, description="Previous things to try (id) → progress.")
    snapshots: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=10,
                                                                  description="Time-on-task moments' levels.")
    notes: Text = Field("", description="At most 3,000 characters.")
    claimed_at: dt.datetime | None = Field(None, description="When the phone made it (with its time zone).")


class ReplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(..., description="Made by the client once per reply.")
    text: Text = Field(..., description="At most 2,000 characters.")


def _instrument_ref(row: Any) -> dict[str, Any]:
    return {"id": row.pk, "code": row.code, "version": row.version, "title_bn": row.title_bn,
            "title_en": row.title_en}


def _observation(obs: Observation) -> dict[str, Any]:
    return {"id": obs.pk, "client_id": obs.client_id, "teacher": _person(obs.teacher),
            "observer": _person(obs.observer), "instrument": _instrument_ref(obs.instrument),
            "activity": _activity(obs.activity), "proposed_on": obs.proposed_on, "message": obs.message,
            "status": obs.status, "answer_note": obs.answer_note, "asked_date": obs.asked_date,
            "answered_at": obs.answered_at, "observed_on": obs.observed_on, "follows": obs.follows_id,
            "created_at": obs.created_at, "url": obs.get_absolute_url()}


def _entry(entry: ObservationEntry) -> dict[str, Any]:
    ratings = entry.ratings if isinstance(entry.ratings, dict) else {}
    follow_up = entry.follow_up if isinstance(entry.follow_up, dict) else {}
    return {"id": entry.pk, "client_id": entry.client_id, "author": _person(entry.author),
            "strengths": entry.strengths, "ratings": {str(k): str(v) for k, v in ratings.items()},
            "snapshots": [str(s) for s in entry.snapshots or []],
            "follow_up": {str(k): str(v) for k, v in follow_up.items()}, "notes": entry.notes,
            "try_next": [{"id": t.pk, "position": t.position, "text": t.text, "activity": _activity(t.activity),
                          "module": {"id": t.module.pk, "title": t.module.title} if t.module else None}
                         for t in entry.try_next.all()],
            "claimed_at": entry.claimed_at, "created_at": entry.created_at}


def _reply(reply: ObservationReply) -> dict[str, Any]:
    return {"id": reply.pk, "client_id": reply.client_id, "author": _person(reply.author), "text": reply.text,
            "created_at": reply.created_at}


def _observation_detail(obs: Observation) -> dict[str, Any]:
    page = observation_selectors.observation_page(obs)
    return {**_observation(obs), "entries": [_entry(e) for e in page.entries],
            "replies": [_reply(r) for r in page.replies],  # type: ignore[arg-type]
            "ratings": page.ratings,
            "changes": [{"item": c.item.code, "now": c.now, "before": c.before, "change": c.change}
                        for c in page.changes],
            "follow_up": [{"try_next": row.thing.pk, "text": row.thing.text, "progress": row.progress}
                          for row in page.follow_up],
            "scores": page.scores}


def _observed_teacher_only(user: User, id: int) -> Observation:
    """Her own observation (the observed teacher): anyone else — even one who may read it — 404, as the pages."""
    obs = access_observation(user, id)
    if not permissions.is_observed_teacher(user, obs):
        raise Http404
    return obs


@router.get("/practice/instruments", response={200: InstrumentPage, **ERRORS},
            summary="Observation forms (instruments)")
def list_instruments(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """The newest version of each observation form, the default first: the item codes and level values an
    entry's `ratings` use."""
    page = paginate_list(observation_services.instruments_offered(), params)
    page["items"] = [{**_instrument_ref(i), "attribution": i.attribution, "is_default": i.is_default,
                      "definition": i.definition} for i in page["items"]]
    return page


@router.get("/practice/observations", response={200: ObservationPage, **ERRORS}, summary="Lesson observations")
def list_observations(request: HttpRequest, params: Query[ObservationParams]) -> dict[str, Any]:
    """`role=teacher`: of her lessons (every status); `observer`: those she asked for; `support`: others' she may
    see as her school's head teacher or her upazila's mentor or officer (empty for everyone else). The latest
    proposed day first."""
    user = caller(request)
    if params.role == "observer":
        rows = observation_selectors.observations_by(user)
    elif params.role == "support":
        rows = observation_selectors.observations_in_area(user)
    else:
        rows = observation_selectors.observations_of_teacher(user)
    page = paginate(rows, params)
    page["items"] = [_observation(o) for o in page["items"]]
    return page


@router.post("/practice/observations", response={201: ObservationOut, 200: ObservationOut, **WRITE_ERRORS},
             summary="Ask to observe a lesson")
def propose_observation(request: HttpRequest, payload: ProposeIn) -> tuple[int, dict[str, Any]]:
    """Ask to observe a teacher's lesson on a day; she is told and answers. A teacher she may not observe is 404;
    a second open request to the same teacher is 409 (`already_open`). 201 when sent; 200 with the request when
    the client id was used before."""
    user = caller(request)
    try:
        teacher = observation_selectors.access_teacher_to_observe(user, payload.teacher)
    except Http404:
        raise _not_found("teacher", _("This teacher was not found among those whose lessons you may observe."),
                         ) from None
    instrument = None
    if payload.instrument is not None:
        instrument = next((i for i in observation_services.instruments_offered() if i.pk == payload.instrument),
                          None)
        if instrument is None:
            raise _not_found("instrument", _("This observation form was not found. Choose one of "
                                             "/practice/instruments."))
    activity = None
    if payload.activity is not None:
        activity = observation_services.published_activities(user).filter(pk=payload.activity).first()
        if activity is None:
            raise _not_found("activity", _("This activity was not found in a published course."))
    since = timezone.now()
    with practice_refusals():
        obs = observation_services.observation_propose(
            actor=user, teacher=teacher, proposed_on=payload.proposed_on, instrument=instrument, activity=activity,
            message=payload.message, client_id=payload.client_id)
    return _answer_status(since, obs.created_at), _observation(access_observation(user, obs.pk))


@router.get("/practice/observations/{id}", response={200: ObservationDetailOut, **ERRORS_404},
            summary="One observation with its entries")
def get_observation(request: HttpRequest, id: int = _id("Observation id.")) -> dict[str, Any]:
    """For the observed teacher, the observer and her support line only (else 404): every entry (strengths
    first), things to try, the follow-up of last time's, the change since last time, and her replies."""
    return _observation_detail(access_observation(caller(request), id))


@router.post("/practice/observations/{id}/answer", response={200: ObservationOut, **WRITE_ERRORS},
             summary="Answer a request to observe her lesson")
def answer_observation(request: HttpRequest, payload: AnswerIn,
                       id: int = _id("Observation id.")) -> dict[str, Any]:
    """The observed teacher agrees, declines, or asks for another date (`asked_date`). Anyone else: 404. An
    answered request is 409 (`answered`)."""
    user = caller(request)
    obs = _observed_teacher_only(user, id)
    with practice_refusals():
        observation_services.observation_answer(actor=user, observation=obs, answer=payload.answer,
                                                note=payload.note, asked_date=payload.asked_date)
    return _observation(access_observation(user, id))


@router.post("/practice/observations/{id}/entries", response={201: ObservationDetailOut,
                                                              200: ObservationDetailOut, **WRITE_ERRORS},
             summary="Record an observed lesson (append an entry)")
def add_entry(request: HttpRequest, payload: EntryIn, id: int = _id("Observation id.")) -> tuple[int, dict[str, Any]]:
    """The observer's record of the visit, only after she agreed (else 409 `no_consent`). Entries are appended,
    never overwritten: another client id adds another entry beside it; the same client id answers 200 with the
    entry already stored. Anyone but the observer: 404."""
    user = caller(request)
    obs = access_observation(user, id)
    if not permissions.is_observer(user, obs):
        raise Http404
    things = [observation_services.TryNextSpec(text=t.text, activity_id=t.activity, module_id=t.module)
              for t in payload.try_next]
    since = timezone.now()
    with practice_refusals():
        entry = observation_services.observation_entry_add(
            actor=user, observation=obs, strengths=payload.strengths, ratings=dict(payload.ratings),
            try_next=things, follow_up=dict(payload.follow_up), snapshots=list(payload.snapshots),
            notes=payload.notes, client_id=payload.client_id, claimed_at=payload.claimed_at)
    return _answer_status(since, entry.created_at), _observation_detail(access_observation(user, id))


@router.post("/practice/observations/{id}/replies", response={201: ReplyOut, 200: ReplyOut, **WRITE_ERRORS},
             summary="Reply to the observation of her lesson")
def add_reply(request: HttpRequest, payload: ReplyIn, id: int = _id("Observation id.")) -> tuple[int, dict[str, Any]]:
    """The observed teacher's reply, once it is recorded (else 409 `not_recorded`); the observer is told. Anyone
    else: 404."""
    user = caller(request)
    obs = _observed_teacher_only(user, id)
    since = timezone.now()
    with practice_refusals():
        reply = observation_services.observation_reply(actor=user, observation=obs, text=payload.text,
                                                       client_id=payload.client_id)
    return _answer_status(since, reply.created_at), _reply(reply)


# ---------------------------------------------------------------------------------------------- learner checks

class CheckItemOut(Schema):
    code: str
    skill: Literal["recognition", "counting", "addition", "subtraction"]
    prompt_bn: str
    prompt_en: str
    short_bn: str
    short_en: str
    answer: str = Field(..., description="The answer that counts as right.")


class LearnerCheckOut(Schema):
    id: int
    code: str
    version: int
    title_bn: str
    title_en: str
    grade_from: int
    grade_to: int
    items: list[CheckItemOut]


class LearnerCheckPage(Page):
    items: list[LearnerCheckOut]


class CheckRoundOut(Schema):
    id: int
    client_id: UUID
    teacher: PersonRef
    check: int
    kind: Literal["baseline", "follow_up"]
    grade: int
    section: str
    held_on: dt.date
    learners: int = Field(..., description="How many learner codes it has.")
    created_at: dt.datetime
    url: str = Field(..., description="The round's page on the site.")


class CheckRoundPage(Page):
    items: list[CheckRoundOut]


class ItemShareOut(Schema):
    item: str
    skill: str
    right: int
    total: int
    percent: int


class LearnerTotalOut(Schema):
    code: str = Field(..., description="The learner's code (never a name).")
    right: int
    total: int


class ItemChangeOut(Schema):
    item: str
    baseline_percent: int
    follow_up_percent: int
    change: int = Field(..., description="Follow-up minus baseline, in percentage points.")


class CheckComparisonOut(Schema):
    baseline: int = Field(..., description="The baseline round's id.")
    follow_up: int = Field(..., description="The follow-up round's id.")
    items: list[ItemChangeOut]


class CheckRoundDetailOut(CheckRoundOut):
    items: list[ItemShareOut] = Field(..., description="Share right per item.")
    learner_totals: list[LearnerTotalOut]
    comparison: CheckComparisonOut | None = Field(None, description="Baseline against follow-up for this class, "
                                                                    "when both exist.")


LearnerCode = Annotated[str, Field(max_length=40)]
ItemCode = Annotated[str, Field(max_length=40)]


class CheckRoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(..., description="Made by the client once per round.")
    check: PositiveId = Field(..., description="One of GET /practice/checks.")
    kind: Literal["baseline", "follow_up"]
    grade: int = Field(..., description="Within the check's classes.")
    section: Short = ""
    held_on: dt.date = Field(..., description="Not in the future, at most a year ago (Dhaka's date).")
    results: dict[LearnerCode, dict[ItemCode, bool]] = Field(
        ..., max_length=200, description="Learner code (e.g. L01 — never a name) → item code → right. An item left "
                                         "out is wrong. At most 80 learners.")


def _check(check: Any) -> dict[str, Any]:
    definition = definition_of(check)
    return {"id": check.pk, "code": check.code, "version": check.version, "title_bn": check.title_bn,
            "title_en": check.title_en, "grade_from": check.grade_from, "grade_to": check.grade_to,
            "items": [{"code": i.code, "skill": i.skill, "prompt_bn": i.prompt_bn, "prompt_en": i.prompt_en,
                       "short_bn": i.short_bn, "short_en": i.short_en, "answer": i.answer}
                      for i in definition.items]}


def _round(check_round: CheckRound, *, learners: int) -> dict[str, Any]:
    return {"id": check_round.pk, "client_id": check_round.client_id, "teacher": _person(check_round.teacher),
            "check": check_round.learner_check_id, "kind": check_round.kind, "grade": check_round.grade,
            "section": check_round.section, "held_on": check_round.held_on, "learners": learners,
            "created_at": check_round.created_at, "url": check_round.get_absolute_url()}


def _share(share: Any) -> dict[str, Any]:
    return {"item": share.item.code, "skill": share.item.skill, "right": share.right, "total": share.total,
            "percent": share.percent}


def _round_detail(check_round: CheckRound) -> dict[str, Any]:
    results = check_selectors.round_results(check_round)
    comparison = check_selectors.comparison_for(check_round)
    return {**_round(check_round, learners=results.learner_count), "items": [_share(s) for s in results.items],
            "learner_totals": [{"code": t.code, "right": t.right, "total": t.total} for t in results.learners],
            "comparison": None if comparison is None else {
                "baseline": comparison.baseline.round.pk, "follow_up": comparison.follow_up.round.pk,
                "items": [{"item": c.item.code, "baseline_percent": c.baseline.percent,
                           "follow_up_percent": c.follow_up.percent, "change": c.change} for c in comparison.items]}}


@router.get("/practice/checks", response={200: LearnerCheckPage, **ERRORS}, summary="Learner checks")
def list_checks(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """The checks a teacher may record with her class (items, what to ask, the answer that counts)."""
    check = check_selectors.default_check()
    page = paginate_list([check] if check is not None else [], params)
    page["items"] = [_check(c) for c in page["items"]]
    return page


@router.get("/practice/check-rounds", response={200: CheckRoundPage, **ERRORS}, summary="Check rounds she may see")
def list_check_rounds(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Her own rounds; a head teacher's school's; an officer's or mentor's area's. The latest first. Researchers
    see no rows."""
    rows = check_selectors.rounds_visible(caller(request)).select_related("teacher")
    page = paginate(rows, params)
    page["items"] = [_round(r, learners=getattr(r, "learners", 0)) for r in page["items"]]
    return page


@router.post("/practice/check-rounds", response={201: CheckRoundDetailOut, 200: CheckRoundDetailOut,
                                                 **WRITE_ERRORS}, summary="Record a check round with her class")
def create_check_round(request: HttpRequest, payload: CheckRoundIn) -> tuple[int, dict[str, Any]]:
    """A baseline or follow-up round with her own class: each learner's code (never a name) with right or wrong
    per item. A follow-up before a baseline of the same class is 409 (`no_baseline`); a name instead of a code,
    a class outside the check's, a date in the future are 400 with the sentence. 201 when made; 200 with the
    round when the client id was used before."""
    user = caller(request)
    learner_check = check_selectors.default_check()  # the check the site offers (GET /practice/checks)
    if learner_check is None or learner_check.pk != payload.check:
        raise _not_found("check", _("This check was not found. Choose one of /practice/checks."))
    since = timezone.now()
    with practice_refusals():
        check_round = check_services.check_round_record(
            actor=user, learner_check=learner_check, kind=payload.kind, grade=payload.grade,
            section=payload.section, held_on=payload.held_on, results=payload.results,
            client_id=payload.client_id)
    return _answer_status(since, check_round.created_at), _round_detail(access_check_round(user, check_round.pk))


@router.get("/practice/check-rounds/{id}", response={200: CheckRoundDetailOut, **ERRORS_404},
            summary="A round's results")
def get_check_round(request: HttpRequest, id: int = _id("Round id.")) -> dict[str, Any]:
    """Share right per item, each learner code's total, and the change since the class's baseline."""
    return _round_detail(access_check_round(caller(request), id))


# ---------------------------------------------------------------------------------------------- status

class StatusOut(Schema):
    is_ongoing: bool
    rule_version: int = Field(..., description="The version of the definition that decided it.")
    counts: dict[str, int] = Field(..., description="What decided it: records, activities, meetings, "
                                                    "observations, support.")
    evaluated_on: dt.date = Field(..., description="When it was last checked (Dhaka's date).")
    evaluated_at: dt.datetime = Field(..., description="When this row was written.")


class MyStatusOut(Schema):
    status: StatusOut | None = Field(None, description="Her current status (none before the first evaluation).")
    history: list[StatusOut] = Field(..., description="Each change, newest first (at most 30).")
    definition: str = Field(..., description="The ongoing-user definition in force, as a sentence.")
    definition_version: int


class PlaceCountOut(Schema):
    place_id: int
    name: str = Field(..., description="The place's name (never a person's).")
    ongoing: int = Field(..., description="Ongoing users.")
    evaluated: int = Field(..., description="Teachers with a status.")
    teachers: int = Field(..., description="Teachers working there now.")


class AreaStatusPage(Page):
    level: Literal["district", "upazila", "school"]
    levels: list[str] = Field(..., description="The levels she may list.")
    ongoing: int = Field(..., description="Ongoing users in her whole area.")
    evaluated: int
    definition: str
    definition_version: int
    items: list[PlaceCountOut]


class AreaStatusParams(PageParams):
    level: Literal["district", "upazila", "school"] | None = Field(
        None, description="Count per district, upazila or school (within her area; her widest level by default).")


def _status_row(row: OngoingStatus) -> dict[str, Any]:
    counts = row.counts if isinstance(row.counts, dict) else {}
    return {"is_ongoing": row.is_ongoing, "rule_version": row.rule_version,
            "counts": {str(k): int(v) for k, v in counts.items() if isinstance(v, int)},
            "evaluated_on": row.evaluated_on, "evaluated_at": row.evaluated_at}


@router.get("/practice/status/me", response={200: MyStatusOut, **ERRORS}, tags=["me"],
            summary="My ongoing-user status and its history")
def my_status(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    rule = ongoing_rule()
    latest = status_selectors.latest_status(user)
    return {"status": _status_row(latest) if latest is not None else None,
            "history": [_status_row(r) for r in status_selectors.status_history(user)],
            "definition": rule.sentence(), "definition_version": rule.version}


@router.get("/practice/status/area", response={200: AreaStatusPage, **ERRORS_404},
            summary="Ongoing users per place of her area")
def area_status(request: HttpRequest, params: Query[AreaStatusParams]) -> dict[str, Any]:
    """For officers, mentors, national people and researchers (counts only, no one's name): ongoing users and
    teachers with a status per place of her area, most ongoing first, with the definition beside them. Anyone
    else: 404."""
    user = caller(request)
    scope = user_scope(user)
    if not status_selectors.sees_area(scope):
        raise Http404
    level = status_selectors.parse_level(scope, params.level)
    area = status_selectors.area_q(scope)
    rule = ongoing_rule()
    page = paginate_list(status_selectors.ongoing_counts_by_place(area, level), params)
    rows = status_selectors.place_counts(level, list(page["items"]))
    ongoing, evaluated = status_selectors.ongoing_total(area)
    page["items"] = [{"place_id": r.place_id, "name": r.name, "ongoing": r.ongoing, "evaluated": r.evaluated,
                      "teachers": r.teachers} for r in rows]
    return {**page, "level": level, "levels": list(status_selectors.area_levels(scope)), "ongoing": ongoing,
            "evaluated": evaluated, "definition": rule.sentence(), "definition_version": rule.version}


# ---------------------------------------------------------------------------------------------- certificate

class ConditionOut(Schema):
    code: str = Field(..., description="course_certificate, records, weeks, modules, acknowledged, observations.")
    label: str
    have: int
    need: int
    met: bool


class CourseProgressOut(Schema):
    family: UUID = Field(..., description="The course (all its versions).")
    course_title: str
    conditions: list[ConditionOut]
    met: bool = Field(..., description="Every condition met.")
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    certificate_id: int | None = Field(None, description="Her certificate of practice of this course, once issued.")


class PracticeCertificateProgressOut(Schema):
    rule: str = Field(..., description="The certificate-of-practice rule in force, as a sentence.")
    rule_version: int
    courses: list[CourseProgressOut] = Field(..., description="The courses she practised (at most 10).")


@router.get("/practice/certificate-progress", response={200: PracticeCertificateProgressOut, **ERRORS}, tags=["me"],
            summary="My progress towards the certificate of practice")
def certificate_progress(request: HttpRequest) -> dict[str, Any]:
    """Each condition of the rule in force with her numbers, per course she practised."""
    user = caller(request)
    rule = certificate_rule()
    courses = []
    for family in status_services.practice_families_of(user)[:PROGRESS_FAMILIES]:
        progress = status_services.practice_certificate_progress(user, family)
        courses.append({"family": progress.family, "course_title": progress.course_title, "met": progress.met,
                        "conditions": [{"code": c.code, "label": c.label, "have": c.have, "need": c.need,
                                        "met": c.met} for c in progress.conditions],
                        "first_day": progress.first_day, "last_day": progress.last_day,
                        "certificate_id": progress.certificate_id})
    return {"rule": rule.sentence(), "rule_version": rule.version, "courses": courses}
