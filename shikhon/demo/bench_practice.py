"""The practice part of the bench dataset (issue 11): 5,000,000 practice records at scale 1.0 (scaled like the
rest), a plan for a share of them and open plans due, a school circle in a share of the schools with six monthly
meetings and who came, one recorded lesson observation (the default instrument, "primary-maths") for a share of
the practising teachers in circle schools, and each practising teacher's latest ongoing-user status.

The shape follows the research behind issue 11: in a quarter of the schools (the "circle schools") the head
teacher runs a monthly circle and three teachers in four practise often (10–40 records each, most recently in the
last weeks); elsewhere about one teacher in eight tried a few activities, long ago or now and then. Records are of
the bench course's activities (`bench_data.load_course`), placed at the teacher's school (the four place ids copied
from it, as the service does), numbered by a recognisable client id (`client_uuid`), so the part can be counted,
dropped and reloaded without touching anything else.

The ongoing-user status is **computed here from the generated rows** with the rule in force (`rules.ongoing_rule`,
the default of migration 0002: records in the window, distinct activities, meetings attended and observations
recorded in the same window), not by running the practice service a quarter of a million times; the same window
and the same counts, one latest row per teacher who practised.

COPY on PostgreSQL (bulk_create at small scales), like `bench_data`. Every row is a pure function of the teacher's
number, the school's number and the load's day, so each pass (plans, then records pointing at them) regenerates
the same sequence."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection, models

from shikhon.core.clock import dhaka_datetime, dhaka_today
from shikhon.courses.models import Activity
from shikhon.demo import bench_data
from shikhon.demo.bench_data import _mix
from shikhon.people.models import Role
from shikhon.practice import rules
from shikhon.practice.models import (
    Circle,
    Instrument,
    Meeting,
    Observation,
    ObservationEntry,
    OngoingStatus,
    PracticePlan,
    PracticeRecord,
)

if TYPE_CHECKING:
    from shikhon.demo.bench_data import CopyWriter, Geo, OrmWriter, Plan

RECORDS_AT_FULL_SCALE = 5_000_000
CIRCLE_PERCENT = 25             # schools whose head teacher runs a circle
PRACTISE_PERCENT_CIRCLE = 75    # teachers of a circle school who practise
PRACTISE_PERCENT_OTHER = 12     # teachers of another school who tried something
PLAN_PERCENT = 35               # records made from a plan
ACK_PERCENT = 50                # records acknowledged by the head teacher (circle schools)
OBSERVED_PERCENT = 40           # practising teachers of circle schools observed once
ATTEND_PERCENT = 70             # teachers at each circle meeting
NOT_WORKING_PERCENT = 8         # "tried, did not work"
MEETING_MONTHS = 6
MEETING_ACTIVITIES = 2
DEFAULT_INSTRUMENT = "primary-maths"
SALT = 11_000_000

# Client ids of bench rows: a fixed 32-bit prefix, the row kind (16 bits), the row's number (64 bits).
CLIENT_PREFIX = 0xBE7C_1100
KIND_PLAN, KIND_RECORD, KIND_MEETING, KIND_OBSERVATION, KIND_ENTRY = 1, 2, 3, 4, 5
NUMBER_BITS = 64

WHAT_WORKED = ["শিশুরা জোড়ায় জোড়ায় পাথর গুনল।", "সবাই একবার করে বোর্ডে এসে দেখাল।",
               "দলে কাজ করে শিশুরা নিজেরাই উত্তর মিলিয়ে নিল।", "কাঠি দিয়ে দশের দল বানাতে পেরে সবাই খুশি।",
               "পিছনের বেঞ্চের শিশুরাও হাত তুলল।", "গল্প দিয়ে শুরু করায় সবাই মন দিল।"]
WHAT_TO_CHANGE = ["আরও পাথর লাগবে।", "দল ছোট করব, চারজন করে।", "শুরুতে নিয়মটা আরেকবার বুঝিয়ে বলব।",
                  "সময় কম পড়েছে; দুই দিনে ভাগ করব।", "যারা পিছিয়ে, তাদের আগে সুযোগ দেব।", ""]
WHY_NOT = ["ক্লাসে ৭০ জন, জায়গা কম ছিল।", "উপকরণ জোগাড় হয়নি।", "বিদ্যুৎ ছিল না, ভিডিও দেখাতে পারিনি।",
           "পরীক্ষার আগে সময় পাইনি।"]
STRENGTHS = ["শিশুরা হাতে-কলমে কাজ করেছে; শিক্ষক সবার কাছে গিয়েছেন।",
             "দলে কাজ সুন্দরভাবে চলেছে; প্রশ্নগুলো শিশুদের ভাবিয়েছে।",
             "শিক্ষক ধৈর্য ধরে সবাইকে সুযোগ দিয়েছেন।"]
SECTIONS = ["ক", "খ", ""]

PLAN_FIELDS = ["client_id", "teacher", "activity", "grade", "section", "planned_on", "materials", "state",
               "created_by", "created_at", "school_id", "upazila_id", "district_id", "division_id"]
RECORD_FIELDS = ["client_id", "teacher", "plan", "activity", "module", "family", "grade", "section", "taught_on",
                 "outcome", "learners_present", "minutes", "rating", "what_worked", "what_to_change", "why_not",
                 "photo", "shared_with_circle", "acknowledged_by", "acknowledged_at", "created_at",
                 "school_id", "upazila_id", "district_id", "division_id"]
# A circle's school is its foreign key (the column school_id), so only the area's ids follow it.
CIRCLE_FIELDS = ["kind", "school", "next_meeting_on", "created_at", "upazila_id", "district_id", "division_id"]
MEETING_FIELDS = ["client_id", "circle", "held_on", "recorded_by", "notes", "materials_photo", "created_at",
                  "school_id", "upazila_id", "district_id", "division_id"]
OBSERVATION_FIELDS = ["client_id", "teacher", "observer", "instrument", "activity", "proposed_on", "message",
                      "status", "answer_note", "answered_at", "observed_on", "created_at",
                      "school_id", "upazila_id", "district_id", "division_id"]
ENTRY_FIELDS = ["client_id", "observation", "author", "strengths", "ratings", "snapshots", "follow_up", "notes",
                "claimed_at", "created_at"]
STATUS_FIELDS = ["teacher", "is_ongoing", "rule_version", "counts", "evaluated_on", "evaluated_at", "is_latest",
                 "school_id", "upazila_id", "district_id", "division_id"]

PRACTICE_TABLES: tuple[type[models.Model], ...] = (
    PracticePlan, PracticeRecord, Circle, Meeting, Meeting.attendees.through, Meeting.activities.through,
    Observation, ObservationEntry, OngoingStatus)


def record_count(plan: Plan) -> int:
    return max(1, round(RECORDS_AT_FULL_SCALE * plan.scale))


def client_uuid(kind: int, number: int) -> uuid.UUID:
    return uuid.UUID(int=(CLIENT_PREFIX << 96) | (kind << 80) | number)


def client_range(kind: int) -> tuple[uuid.UUID, uuid.UUID]:
    """The first and last bench client id of a kind (for `client_id__range`)."""
    return client_uuid(kind, 0), client_uuid(kind, 2**NUMBER_BITS - 1)


def number_of(client_id: uuid.UUID) -> int:
    return client_id.int & (2**NUMBER_BITS - 1)


def is_bench_client_id(client_id: uuid.UUID) -> bool:
    return client_id.int >> 96 == CLIENT_PREFIX


def practice_counts() -> dict[str, int]:
    """The bench practice rows (by their client ids; circles by their bench schools; statuses by bench people)."""
    def by_kind(model: type[models.Model], kind: int) -> int:
        return model._default_manager.filter(client_id__range=client_range(kind)).count()

    return {
        "records": by_kind(PracticeRecord, KIND_RECORD),
        "plans": by_kind(PracticePlan, KIND_PLAN),
        "circles": Circle.objects.filter(school__eiin__gte=str(bench_data.EIIN_FIRST),
                                         school__eiin__lte=str(bench_data.EIIN_LAST)).count(),
        "meetings": by_kind(Meeting, KIND_MEETING),
        "observations": by_kind(Observation, KIND_OBSERVATION),
        "ongoing_latest": OngoingStatus.objects.filter(
            is_latest=True, teacher__phone__startswith=bench_data.PHONE_PREFIX).count(),
        "ongoing_users": OngoingStatus.objects.filter(
            is_latest=True, is_ongoing=True, teacher__phone__startswith=bench_data.PHONE_PREFIX).count(),
    }


def is_loaded(plan: Plan) -> bool:
    return PracticeRecord.objects.filter(client_id__range=client_range(KIND_RECORD)).count() == record_count(plan)


def drop_bench_practice() -> None:
    """Every practice row of a bench teacher or a bench school (those the load made and those a bench run made
    through /sync/), with the rows that point at them. Plain SQL, like `bench_data.drop_bench_rows`."""
    qn = connection.ops.quote_name
    user_table = qn(get_user_model()._meta.db_table)
    school_table = qn(bench_data.School._meta.db_table)
    people = f"SELECT id FROM {user_table} WHERE {qn('phone')} LIKE %s"  # noqa: S608 — quoted model names
    schools = f"SELECT id FROM {school_table} WHERE {qn('eiin')} >= %s AND {qn('eiin')} <= %s"  # noqa: S608
    with connection.cursor() as cursor:
        bench_data._purge(cursor, Circle, f"{qn('school_id')} IN ({schools})",
                          [str(bench_data.EIIN_FIRST), str(bench_data.EIIN_LAST)])
        for model in (Observation, PracticeRecord, PracticePlan, OngoingStatus):
            bench_data._purge(cursor, model, f"{qn('teacher_id')} IN ({people})", [bench_data.PHONE_PREFIX + "%"])


# ---------------------------------------------------------------- what to generate


@dataclass(frozen=True)
class Teacher:
    """One practising teacher's schedule: `count` records, the newest `ago` days before the load, one every `gap`
    days, on the course's activities in turn from `first`."""

    number: int
    school: int      # the school's index in `bench_data.plan_schools`
    circle: bool
    count: int
    ago: int
    gap: int
    first: int

    @property
    def hash(self) -> int:
        return _mix(SALT + self.number)

    def record_ago(self, k: int) -> int:
        """Days before the load of her k-th newest record."""
        return self.ago + k * self.gap

    def has_plan(self, k: int) -> bool:
        return _mix(self.hash + 7919 * k + 13) % 100 < PLAN_PERCENT

    def has_open_plan(self) -> bool:
        return self.circle and self.ago < 45

    def observed_ago(self) -> int | None:
        h = _mix(SALT + 3 * self.number + 1)
        if not self.circle or h % 100 >= OBSERVED_PERCENT:
            return None
        return (h >> 8) % 120


def is_circle_school(s: int) -> bool:
    return _mix(SALT + 5_000_000 + s) % 100 < CIRCLE_PERCENT


def meeting_ago(s: int, m: int) -> int:
    """Days before the load of circle school s's m-th newest monthly meeting."""
    return 30 * m + _mix(SALT + 6_000_000 + s) % 10 + 2


def attends(t: int, m: int) -> bool:
    return _mix(SALT + 7_000_000 + 8 * t + m) % 100 < ATTEND_PERCENT


def _schedule(number: int, school: int, circle: bool, count: int) -> Teacher:
    h = _mix(SALT + number)
    if circle:
        ago = 1 + h % 45 if (h >> 8) % 100 < 80 else 30 + (h >> 8) % 170  # most practise still; a fifth stopped
        gap = 5 + (h >> 16) % 10
    else:
        ago = 20 + (h >> 8) % 300
        gap = 20 + (h >> 16) % 21
    gap = max(1, min(gap, 600 // max(1, count)))  # at most ~20 months of history
    return Teacher(number, school, circle, count, ago, gap, (h >> 24) % 8)


@dataclass
class Shape:
    """What the passes share: the day, the places, the people's ids, the course's activities, who practises."""

    today: dt.date
    places: list[tuple[int, int, int, int]]   # school index → school id, upazila, district, division
    school_of: array[int]                     # teacher number → school index
    teacher_ids: array[int]                   # teacher number → user id
    head_ids: array[int]                      # school index → head teacher's user id
    activities: list[tuple[int, int]]         # (activity id, module id) in course order
    family: uuid.UUID
    teachers: list[Teacher]                   # those who practise, by number


def _ids_in_order(first: int, count: int) -> array[int]:
    """User ids of bench people number first … first+count-1 (their phones are consecutive)."""
    ids = array("q")
    rows = bench_data.bench_users().filter(
        phone__gte=bench_data.bench_phone(first), phone__lte=bench_data.bench_phone(first + count - 1)
    ).order_by("phone").values_list("id", flat=True)
    ids.extend(rows.iterator(chunk_size=50_000))
    if len(ids) != count:
        raise bench_data.BenchDataError("The bench people are incomplete; run `manage.py bench_dataset --reload`.")
    return ids


def plan_shape(plan: Plan, geo: Geo, course: Any) -> Shape:
    schools = bench_data.plan_schools(plan, geo)
    school_ids = dict(bench_data.bench_schools().values_list("eiin", "id"))
    places = [(school_ids[s.eiin], s.upazila_id, s.district_id, s.division_id) for s in schools]
    school_of = array("i")
    for s, n in enumerate(bench_data.teachers_per_school(plan)):
        school_of.extend([s] * n)
    activities = list(Activity.objects.filter(module__course=course).order_by("module__position", "position")
                      .values_list("id", "module_id"))
    if not activities:
        raise bench_data.BenchDataError("The bench course has no activities; run `manage.py bench_dataset --reload`.")
    # Who practises, and how much: weights first, then exactly record_count(plan) records shared by weight.
    numbers: list[int] = []
    weights: list[float] = []
    for t in range(plan.teachers):
        s = school_of[t]
        h = _mix(SALT + 1_000_000 + t)
        circle = is_circle_school(s)
        if h % 100 < (PRACTISE_PERCENT_CIRCLE if circle else PRACTISE_PERCENT_OTHER):
            numbers.append(t)
            weights.append(10 + (h >> 8) % 31 if circle else 1 + (h >> 8) % 6)
    if not numbers:
        numbers, weights = [0], [1.0]
    counts = bench_data.apportion(record_count(plan), weights)
    teachers = [_schedule(t, school_of[t], is_circle_school(school_of[t]), n)
                for t, n in zip(numbers, counts, strict=True) if n > 0]
    return Shape(
        today=dhaka_today(), places=places, school_of=school_of,
        teacher_ids=_ids_in_order(bench_data.TEACHER_BASE, plan.teachers),
        head_ids=_ids_in_order(bench_data.HEAD_TEACHER_BASE, plan.schools),
        activities=activities, family=course.family, teachers=teachers)


def _instrument() -> tuple[int, dict[str, str]] | None:
    """The default instrument's id and a rating for each of its items (its second-best level)."""
    instrument = (Instrument.objects.filter(code=DEFAULT_INSTRUMENT).order_by("-version").first()
                  or Instrument.objects.filter(is_default=True).order_by("code", "-version").first())
    if instrument is None:
        return None
    ratings: dict[str, str] = {}
    for section in (instrument.definition or {}).get("sections", []):
        items = list(section.get("items") or [])
        for element in section.get("elements") or []:
            items += element.get("items") or []
        for item in items:
            levels = [level["value"] for level in item.get("levels", [])]
            if levels:
                ratings[item["code"]] = levels[max(0, len(levels) - 2)]
    return instrument.pk, ratings


@contextmanager
def _indexes_built_after(model: type[models.Model], enabled: bool) -> Iterator[None]:
    """PostgreSQL, millions of rows: drop the table's plain indexes (not its primary key or unique constraints),
    load, then build them again in one pass each — much faster than updating a dozen indexes row by row. Inside
    the load's transaction, so a failure restores them."""
    if not enabled:
        yield
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [model._meta.db_table])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
    yield
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still queued (when the load could not switch them off) must run first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def _read_ids(model: type[models.Model], kind: int, size: int) -> array[int]:
    """Row ids by bench number, read back through the client ids just written."""
    ids = array("q", bytes(8 * size))
    rows = model._default_manager.filter(client_id__range=client_range(kind)).values_list("id", "client_id")
    for pk, client_id in rows.iterator(chunk_size=50_000):
        ids[number_of(client_id)] = pk
    return ids


def load_practice(plan: Plan, geo: Geo, writer: CopyWriter | OrmWriter, tick: Callable[[str], None],
                  log: Callable[[str], None]) -> None:
    """The practice part (drops an earlier one first). Needs the people and the bench course."""
    course = bench_data.bench_course()
    if course is None:
        raise bench_data.BenchDataError("The bench course is missing; run `manage.py bench_dataset --reload`.")
    drop_bench_practice()
    tick("practice_drop")
    shape = plan_shape(plan, geo, course)
    tick("practice_plan")
    as_json = isinstance(writer, bench_data.CopyWriter)

    def js(value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False) if as_json else value

    today = shape.today
    days = [today - dt.timedelta(days=n) for n in range(1200)]  # day n before the load

    def day(ago: int) -> dt.date:
        return days[ago] if 0 <= ago < len(days) else today - dt.timedelta(days=ago)

    def moment(ago: int, hour: int) -> dt.datetime:
        return dhaka_datetime(day(ago), dt.time(hour, 0))

    n_act = len(shape.activities)

    # Circles: one per circle school, led by its head teacher; the next meeting in about a month.
    circle_schools = [s for s in range(len(shape.places)) if is_circle_school(s)]
    log(f"Loading {len(circle_schools):,} school circles…")
    writer.write(Circle, CIRCLE_FIELDS, (
        ("school", shape.places[s][0], day(meeting_ago(s, 0) - 30), moment(400, 10), *shape.places[s][1:])
        for s in circle_schools))
    circle_ids = dict(Circle.objects.filter(school__eiin__gte=str(bench_data.EIIN_FIRST),
                                            school__eiin__lte=str(bench_data.EIIN_LAST)).values_list("school_id", "id"))
    tick("practice_circles")

    # Meetings: the last MEETING_MONTHS months, recorded by the head teacher; numbered school by school.
    def meeting_rows() -> Iterator[tuple[Any, ...]]:
        for i, s in enumerate(circle_schools):
            place = shape.places[s]
            for m in range(MEETING_MONTHS):
                ago = meeting_ago(s, m)
                yield (client_uuid(KIND_MEETING, i * MEETING_MONTHS + m), circle_ids[place[0]], day(ago),
                       shape.head_ids[s], "", "", moment(ago, 15), *place)

    log(f"Loading {len(circle_schools) * MEETING_MONTHS:,} circle meetings with who came…")
    writer.write(Meeting, MEETING_FIELDS, meeting_rows())
    meeting_ids = _read_ids(Meeting, KIND_MEETING, len(circle_schools) * MEETING_MONTHS)
    first_teacher = array("i", [0] * (len(shape.places) + 1))
    for s in shape.school_of:
        first_teacher[s + 1] += 1
    for s in range(len(shape.places)):
        first_teacher[s + 1] += first_teacher[s]

    def attendee_rows() -> Iterator[tuple[Any, ...]]:
        for i, s in enumerate(circle_schools):
            for m in range(MEETING_MONTHS):
                meeting = meeting_ids[i * MEETING_MONTHS + m]
                yield (meeting, shape.head_ids[s])
                for t in range(first_teacher[s], first_teacher[s + 1]):
                    if attends(t, m):
                        yield (meeting, shape.teacher_ids[t])

    Attendee = Meeting.attendees.through
    with _indexes_built_after(Attendee, as_json):
        writer.write(Attendee, ["meeting", "user"], attendee_rows())
    MeetingActivity = Meeting.activities.through
    writer.write(MeetingActivity, ["meeting", "activity"], (
        (meeting_ids[i * MEETING_MONTHS + m], shape.activities[(s + m * MEETING_ACTIVITIES + a) % n_act][0])
        for i, s in enumerate(circle_schools) for m in range(MEETING_MONTHS) for a in range(MEETING_ACTIVITIES)))
    tick("practice_meetings")

    # Plans: one for a share of the records (planned a day or two before), and an open one for each teacher
    # of a circle school who still practises (some due already, some in the next two weeks).
    taught, not_working, planned = (str(PracticePlan.State.TAUGHT), str(PracticePlan.State.NOT_WORKING),
                                    str(PracticePlan.State.PLANNED))

    def is_not_working(h: int, k: int) -> bool:
        return _mix(h + 104_729 * k + 7) % 100 < NOT_WORKING_PERCENT

    def plan_rows() -> Iterator[tuple[Any, ...]]:
        number = 0
        for teacher in shape.teachers:
            h = teacher.hash
            user = shape.teacher_ids[teacher.number]
            place = shape.places[teacher.school]
            for k in range(teacher.count):
                if not teacher.has_plan(k):
                    continue
                ago = teacher.record_ago(k) + 1 + (h >> 4) % 3
                activity = shape.activities[(teacher.first + teacher.count - 1 - k) % n_act][0]
                yield (client_uuid(KIND_PLAN, number), user, activity, 1 + (h >> 12) % 5, SECTIONS[h % 3],
                       day(ago), "", not_working if is_not_working(h, k) else taught, user, moment(ago, 20), *place)
                number += 1
            if teacher.has_open_plan():
                ago = 3 - (h >> 20) % 14  # from three days ago to ten days ahead
                activity = shape.activities[(teacher.first + teacher.count) % n_act][0]
                yield (client_uuid(KIND_PLAN, number), user, activity, 1 + (h >> 12) % 5, SECTIONS[h % 3],
                       day(ago), "১০টি পাথর, খাতা", planned,
                       user, moment(max(ago, 0) + 5, 20), *place)
                number += 1
        plan_total[0] = number

    plan_total = [0]
    log("Loading practice plans…")
    with _indexes_built_after(PracticePlan, as_json):
        writer.write(PracticePlan, PLAN_FIELDS, plan_rows())
    plan_ids = _read_ids(PracticePlan, KIND_PLAN, plan_total[0])
    tick("practice_plans")

    not_working_outcome, taught_outcome = (str(PracticeRecord.Outcome.NOT_WORKING),
                                           str(PracticeRecord.Outcome.TAUGHT))

    def record_rows() -> Iterator[tuple[Any, ...]]:
        number = plan_number = 0
        family = shape.family
        for teacher in shape.teachers:
            h = teacher.hash
            user = shape.teacher_ids[teacher.number]
            head = shape.head_ids[teacher.school]
            place = shape.places[teacher.school]
            grade, section = 1 + (h >> 12) % 5, SECTIONS[h % 3]
            for k in range(teacher.count):
                ago = teacher.record_ago(k)
                activity, module = shape.activities[(teacher.first + teacher.count - 1 - k) % n_act]
                plan_id = None
                if teacher.has_plan(k):
                    plan_id = plan_ids[plan_number]
                    plan_number += 1
                r = _mix(h + 31 * k)
                failed = is_not_working(h, k)
                acknowledged = teacher.circle and ago >= 2 and (r >> 4) % 100 < ACK_PERCENT
                yield (client_uuid(KIND_RECORD, number), user, plan_id, activity, module, family, grade, section,
                       day(ago), not_working_outcome if failed else taught_outcome, 20 + r % 41, 25 + (r >> 6) % 21,
                       None if failed else 2 + (r >> 10) % 4,
                       "" if failed else WHAT_WORKED[(r >> 12) % len(WHAT_WORKED)],
                       WHAT_TO_CHANGE[(r >> 14) % len(WHAT_TO_CHANGE)],
                       WHY_NOT[(r >> 16) % len(WHY_NOT)] if failed else "", "", True,
                       head if acknowledged else None, moment(ago - 2, 11) if acknowledged else None,
                       moment(ago, 14), *place)
                number += 1
            if teacher.has_open_plan():
                plan_number += 1

    log(f"Loading {record_count(plan):,} practice records…")
    with _indexes_built_after(PracticeRecord, as_json):
        writer.write(PracticeRecord, RECORD_FIELDS, record_rows())
    tick("practice_records")

    # Observations: one recorded visit by the head teacher for a share of the teachers of circle schools, with
    # its entry (strengths first, a rating for every item of the default instrument).
    instrument = _instrument()
    observed = [(t, ago) for t in shape.teachers if (ago := t.observed_ago()) is not None] if instrument else []
    if instrument is None:
        log(f"  no observation instrument {DEFAULT_INSTRUMENT!r}: no observations loaded")
    else:
        instrument_id, ratings = instrument
        recorded = str(Observation.Status.RECORDED)
        writer.write(Observation, OBSERVATION_FIELDS, (
            (client_uuid(KIND_OBSERVATION, i), shape.teacher_ids[t.number], shape.head_ids[t.school], instrument_id,
             shape.activities[(t.first + t.count) % n_act][0], day(ago + 7), "", recorded, "", moment(ago + 6, 18),
             day(ago), moment(ago + 7, 9), *shape.places[t.school])
            for i, (t, ago) in enumerate(observed)))
        observation_ids = _read_ids(Observation, KIND_OBSERVATION, len(observed))
        ratings_json = js(ratings)
        empty_list, empty_dict = js([]), js({})
        writer.write(ObservationEntry, ENTRY_FIELDS, (
            (client_uuid(KIND_ENTRY, i), observation_ids[i], shape.head_ids[t.school],
             STRENGTHS[i % len(STRENGTHS)], ratings_json, empty_list, empty_dict, "", moment(ago, 12),
             moment(ago, 13)) for i, (t, ago) in enumerate(observed)))
    tick("practice_observations")

    # The latest ongoing-user status of each teacher who practised, by the rule in force.
    rule = rules.ongoing_rule(today)
    p = rule.params
    observed_at = {t.number: ago for t, ago in observed}
    evaluated_at = dhaka_datetime(today, dt.time(2, 30))

    def status_rows() -> Iterator[tuple[Any, ...]]:
        for teacher in shape.teachers:
            in_window = [k for k in range(teacher.count) if teacher.record_ago(k) < p.window_days]
            activities = len({(teacher.first + teacher.count - 1 - k) % n_act for k in in_window})
            meetings = 0
            if teacher.circle:
                meetings = sum(1 for m in range(MEETING_MONTHS)
                               if meeting_ago(teacher.school, m) < p.window_days and attends(teacher.number, m))
            seen = observed_at.get(teacher.number)
            observations = 1 if seen is not None and seen < p.window_days else 0
            ongoing = (len(in_window) >= p.min_records and activities >= p.min_activities
                       and meetings + observations >= p.min_support)
            # The shape the practice service stores (services/status.py: its counts and the rule's version).
            counts = {"records": len(in_window), "activities": activities, "meetings": meetings,
                      "observations": observations, "support": meetings + observations, "rule_version": rule.version}
            yield (shape.teacher_ids[teacher.number], ongoing, rule.version, js(counts), today, evaluated_at, True,
                   *shape.places[teacher.school])

    log(f"Loading {len(shape.teachers):,} ongoing-user statuses…")
    writer.write(OngoingStatus, STATUS_FIELDS, status_rows())
    tick("practice_statuses")


def verify_practice(plan: Plan) -> None:
    """Before commit (the load ran with foreign-key triggers off): the right number of records, and every one
    points at a bench teacher."""
    if not is_loaded(plan):
        raise bench_data.BenchDataError("The practice records were not all written; nothing was saved.")
    qn = connection.ops.quote_name
    record, user = qn(PracticeRecord._meta.db_table), qn(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {record} r LEFT JOIN {user} u ON u.id = r.teacher_id "  # noqa: S608
                       "WHERE u.id IS NULL")
        broken = cursor.fetchone()[0]
    if broken:
        raise bench_data.BenchDataError(f"{broken} practice records point at missing people; nothing was saved.")


# ---------------------------------------------------------------- the bench's requests (bench_prepare)

SYNC_KIND = "practice_record"  # practice/sync_log.py (decision 0011's `practice.record`)
PROBES = 6


def posted_records(teacher_ids: list[int]) -> models.QuerySet[PracticeRecord]:
    """Records these teachers made during bench runs (through /sync/): every id outside the dataset's range."""
    low, high = client_range(KIND_RECORD)
    return PracticeRecord.objects.filter(teacher_id__in=teacher_ids).exclude(client_id__range=(low, high))


def _sync_body(activity_id: int, today: dt.date, n: int) -> str:
    """One outbox item, as the phone sends it: a fresh item id and a fresh form client id (a new record), the
    record form's fields (`practice.sync_log.RecordFields`)."""
    from django.urls import reverse

    r = _mix(SALT + 9_000_000 + n)
    fields = {
        "client_id": [str(uuid.uuid4())], "activity": [str(activity_id)], "outcome": ["taught"],
        "taught_on": [today.isoformat()], "grade": [str(1 + r % 2)], "section": [SECTIONS[r % 2]],
        "learners_present": [str(25 + r % 30)], "minutes": [str(30 + r % 15)], "rating": [str(3 + r % 3)],
        "what_worked": [WHAT_WORKED[r % len(WHAT_WORKED)]], "what_to_change": [WHAT_TO_CHANGE[r % 5]],
        "shared_with_circle": ["on"],
    }
    item = {"id": str(uuid.uuid4()), "kind": SYNC_KIND, "made_at": dhaka_datetime(today, dt.time(11)).isoformat(),
            "payload": {"url": reverse("practice:record_new"), "fields": fields}}
    return json.dumps({"items": [item]}, ensure_ascii=False, separators=(",", ":"))


def _url(name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def practice_targets(folder: Any, session_cookie: Callable[[Any], str], *, posters: int = 200, posts: int = 20_000,
                     heads: int = 200, log: Callable[[str], None] = lambda _msg: None,
                     ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The issue-11 pages as files of requests for bench/cycle.lua:
    - a practice record made through the outbox endpoint: `POST /sync/` with one new `practice_record` item
      (fresh item id, fresh form client id) by `posters` enrolled teachers in turn, each with her own session and
      her own CSRF cookie and header;
    - the head teacher's school page for `heads` head teachers of circle schools (their teachers practise);
    - the ongoing-user counts page for every bench upazila officer, and for every bench district officer.
    A page the site does not have (yet) is left out with a line in the log. Earlier runs' posted records (and
    their outbox receipts) are removed first, so runs do not pile up."""
    from django.core.management.base import CommandError

    from shikhon.core.outbox import sync_kinds

    course = bench_data.bench_course()
    if course is None or not PracticeRecord.objects.filter(client_id__range=client_range(KIND_RECORD)).exists():
        raise CommandError("The bench dataset has no practice part. Run `manage.py bench_dataset` again (it adds "
                           "the practice part to an existing dataset).")
    write = _cycle_writer(folder)
    targets: list[dict[str, Any]] = []
    info: dict[str, Any] = {}
    sync, school_page, area = _url("offline:sync"), _url("practice:school"), _url("practice:area")
    if sync and _url("practice:record_new") and sync_kinds.find(SYNC_KIND) is not None:
        target, info["posters"], info["posts"] = _sync_target(course, write, session_cookie, posters, posts)
        targets.append(target)
    else:
        log(f"  practice: no outbox kind {SYNC_KIND!r} or record form yet; the practice-record POST is left out")
    if school_page:
        head_rows = _head_teacher_rows(school_page, session_cookie, heads)
        info["head_teachers"] = len(head_rows)
        targets.append(
            {"name": "practice_school_head", "label": "school page, head teacher", "path": school_page,
             "headers": {"Cookie": head_rows[0][2]}, "cycle": write("cycle-practice-school.tsv", head_rows),
             "note": f"{len(head_rows)} head teachers of circle schools in turn, each with her own session: each "
                     "teacher's progress, last practice, plans due, last observation, who has been quiet 30 days"})
    else:
        log("  practice: no head teacher's school page (practice:school) yet; left out")
    if area:
        for kind, name, label, what in (
                (Role.Kind.UPAZILA_OFFICER, "practice_area_upazila", "ongoing counts, upazila officer",
                 "ongoing users per school of her upazila"),
                (Role.Kind.DISTRICT_OFFICER, "practice_area_district", "ongoing counts, district officer",
                 "ongoing users per upazila of her district")):
            officers = (Role.objects.filter(kind=kind, user__phone__startswith=bench_data.PHONE_PREFIX)
                        .select_related("user").order_by("id"))
            rows = [("GET", area, session_cookie(role.user), "") for role in officers]
            if not rows:
                continue
            info[f"{kind}s"] = len(rows)
            targets.append({"name": name, "label": label, "path": area, "headers": {"Cookie": rows[0][2]},
                            "cycle": write(f"cycle-{name.replace('_', '-')}.tsv", rows),
                            "note": f"{len(rows)} bench officers in turn, each with her own session: {what}"})
    else:
        log("  practice: no ongoing-user counts page (practice:area) yet; left out")
    info.update(practice_counts())
    return targets, info


def _sync_target(course: Any, write: Callable[[str, Sequence[tuple[str, ...]]], str],
                 session_cookie: Callable[[Any], str], posters: int, posts: int) -> tuple[dict[str, Any], int, int]:
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import Client
    from django.utils.crypto import get_random_string

    from shikhon.courses.models import Enrolment
    from shikhon.offline.models import SyncReceipt

    shape = bench_data.CourseShape.of(course)
    module_one = shape.activity_ids[:bench_data.ACTIVITIES_PER_MODULE]
    enrolments = list(Enrolment.objects.filter(course=course, completed_at__isnull=True).select_related("user")
                      .order_by("id")[:max(1, posters)])
    if not enrolments:
        raise CommandError("The bench course has no unfinished enrolments; run `manage.py bench_dataset --reload`.")
    teacher_ids = [e.user_id for e in enrolments]
    SyncReceipt.objects.filter(user_id__in=teacher_ids, kind=SYNC_KIND).delete()
    posted_records(teacher_ids).delete()
    today = dhaka_today()
    sync = str(_url("offline:sync"))
    csrf = {e.user_id: get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS) for e in enrolments}
    cookie = {e.user_id: f"{session_cookie(e.user)}; {settings.CSRF_COOKIE_NAME}={csrf[e.user_id]}"
              for e in enrolments}
    per = max(1, posts // len(enrolments))
    # Interleaved: consecutive requests are by different teachers.
    rows = [("POST", sync, cookie[e.user_id],
             _sync_body(module_one[(i + j) % len(module_one)], today, j * len(enrolments) + i),
             f"X-CSRFToken: {csrf[e.user_id]}") for j in range(per) for i, e in enumerate(enrolments)]
    first = enrolments[0].user_id
    probes = [(sync, _sync_body(module_one[k % len(module_one)], today, 10**9 + k)) for k in range(PROBES + 1)]
    # One item through the whole stack first (CSRF enforced): it must be saved, or the bench would time refusals.
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.cookies.load(cookie[first].replace("; ", ";"))
    answer = client.post(sync, data=probes.pop()[1], content_type="application/json",
                         headers={"X-CSRFToken": csrf[first]})
    results = answer.json().get("results", []) if answer.status_code == 200 else []
    if not results or results[0].get("status") != "created":
        problem = results[0].get("message") if results else answer.content[:300]
        raise CommandError(f"A practice record sent to {sync} was not saved ({answer.status_code}): {problem!r}")
    target = {
        "name": "practice_record_sync", "label": "practice record (POST /sync/)", "path": sync, "method": "POST",
        "body": probes[0][1], "probes": probes,
        "headers": {"Cookie": cookie[first], "Content-Type": "application/json", "X-CSRFToken": csrf[first]},
        "ok_status": [200], "one_time": True, "cycle": write("cycle-practice-sync.tsv", rows),
        "note": f"{len(rows):,} outbox items, one per request, each a new practice record (fresh item id and form "
                f"client id) by {len(enrolments)} enrolled teachers in turn, each with her own session and CSRF "
                "token; checked by the strict payload model, the record form and the service, saved with its "
                "receipt; answers 200 with the item's result"}
    return target, len(enrolments), len(rows)


def _head_teacher_rows(path: str, session_cookie: Callable[[Any], str], heads: int) -> list[tuple[str, ...]]:
    """GETs of the school page by head teachers of circle schools spread over the country (their teachers
    practise, so theirs are the fuller pages)."""
    from django.core.management.base import CommandError

    circle_schools = list(Circle.objects.filter(school__eiin__gte=str(bench_data.EIIN_FIRST),
                                                school__eiin__lte=str(bench_data.EIIN_LAST))
                          .order_by("school_id").values_list("school_id", flat=True))
    step = max(1, len(circle_schools) // max(1, heads))
    chosen = circle_schools[::step][:heads]
    head_roles = (Role.objects.filter(kind=Role.Kind.HEAD_TEACHER, school_id__in=chosen,
                                      user__phone__startswith=bench_data.PHONE_PREFIX)
                  .select_related("user").order_by("school_id"))
    rows: list[tuple[str, ...]] = [("GET", path, session_cookie(role.user), "") for role in head_roles]
    if not rows:
        raise CommandError("The bench dataset has no head teacher of a circle school; run bench_dataset --reload.")
    return rows


def _cycle_writer(folder: Any) -> Callable[[str, Sequence[tuple[str, ...]]], str]:
    """Writes a request file for bench/cycle.lua (tab-separated: method, path, cookie, body, extra headers)."""
    from pathlib import Path

    def write(name: str, rows: Sequence[tuple[str, ...]]) -> str:
        path = Path(folder) / name
        path.write_text("".join("\t".join(row) + "\n" for row in rows))
        return str(path)

    return write


def report_posted(results_path: str) -> str:
    """After the load run (bench/run.sh): what the practice-record POSTs did — the outbox receipts of the bench
    teachers' `practice_record` items by outcome (this run's warm-up and run, the check and the probes; the
    earlier runs' were removed by bench_prepare). An item refused answers 200 too, so this is where a refusal
    shows. Added to the page's entry in the results file; returns the line to print."""
    from pathlib import Path

    from shikhon.offline.models import SyncReceipt

    outcomes = dict(SyncReceipt.objects.filter(kind=SYNC_KIND, user__phone__startswith=bench_data.PHONE_PREFIX)
                    .order_by().values("outcome").annotate(n=models.Count("id")).values_list("outcome", "n"))
    created, rejected = outcomes.get("created", 0), outcomes.get("rejected", 0)
    path = Path(results_path)
    data = json.loads(path.read_text())
    page = next((p for p in data.get("pages", []) if p.get("name") == "practice_record_sync"), None)
    if page is None:
        return "Practice record POST: not measured."
    sent = page.get("requests") or 0
    page["outbox_receipts"] = {"created": created, "rejected": rejected}
    if rejected:
        page.setdefault("problems", []).append(f"{rejected} outbox items rejected")
    if created < sent:  # an item whose payload did not parse leaves no receipt
        page.setdefault("problems", []).append(f"{sent - created} requests saved no record")
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    flag = "!! " if rejected or created < sent else ""
    return (f"{flag}Practice record POST: {created:,} records saved through /sync/ and {rejected:,} items rejected "
            f"(warm-up, run and {PROBES + 1} checks; the measured run sent {sent:,}).")
