"""Supported practice in the Bangla demo (issue 11): the contrast the issue asks for, made through the practice
app's own services, so the demo shows what the real code does.

- Hatia Government Primary School (EIIN 100001): head teacher Masuma runs a monthly circle — four meetings over
  the last three months (who came, the activities looked at, the reflections shared, the plans made, photos of the
  materials made) and the next one set. Its teachers practise: Fatema is an ongoing user and holds the certificate
  of practice (seven records over fourteen weeks across four modules, acknowledged by Masuma, a lesson observation
  with strengths, things to try and her reply, a learner-check baseline and follow-up with her class 2); Lipi is an
  ongoing user (four records in the last sixty days, one "tried, it did not work", observed by her colleague
  Tahmina); Tahmina, the peer observer, has just begun. The mentor Selina has asked to observe Fatema again
  (waiting for her answer). Two records carry a photo of the learners' work.
- Sumaiya (`data.STORY_PRACTICE_TEACHER`) is the teacher of the issue's browser story: modules 1–8 passed (not 9),
  five practice records over ten weeks across modules 1–3 (none acknowledged, no observation, no meeting in the last
  sixty days) — just short of both rules, so the story completes them: she finishes module 9, records once more,
  Masuma acknowledges it, a meeting and an observation happen, and the nightly task makes her an ongoing user and
  issues her certificate of practice.
- Sonadia Government Primary School (EIIN 100007): a head teacher and three teachers, all certified in the course,
  and no practice at all.

Dates are counted back from today's Dhaka date on the first load, so the demo is always recent; records, meetings
and check rounds are dated in the past as their services allow, while observations are proposed and recorded today
(their service dates a visit by the server's clock). Every row has a client id derived from a fixed name (uuid5),
so loading again finds each row and makes nothing twice. The ongoing status is evaluated as the nightly task would
have done it sixty and thirty days ago (first load only: each teacher's history), and today; then the
certificate-of-practice task runs."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction

from shikhon.core.clock import dhaka_today
from shikhon.courses.models import Activity, Course, Module
from shikhon.demo import data
from shikhon.demo.course import OFFICER_PHONE, TRAINER_PHONE, _teacher_stage
from shikhon.people.models import Role, User
from shikhon.people.phone import national_format, normalize_phone
from shikhon.places.models import School

Say = Callable[[str], None]

HEAD_TEACHER_PHONE = "01711000006"  # Masuma, head teacher of 100001: leads the circle, acknowledges, observes
SCHOOL_EIIN = "100001"
IDLE_SCHOOL_EIIN = "100007"
NAMESPACE = uuid.UUID("6a0f3c1e-8d1b-5b7e-9a52-2f4c0d6e11a7")  # the demo's practice rows: uuid5(NAMESPACE, name)

FATEMA, LIPI, TAHMINA, SUMAIYA = (data.PRACTICE_ONGOING_CERTIFIED, data.PRACTICE_ONGOING,
                                  data.PRACTICE_PEER_OBSERVER, data.STORY_PRACTICE_TEACHER)
GRADE, SECTION = 2, "ক"
LEARNERS = 15

# Meetings of the school circle: days ago, who came, activities looked at (module, activity; 1-based), the
# records shared (key of a record below), the notes. Plans are made only at the last two (a plan may be at most
# 30 days in the past).
MEETINGS: list[tuple[str, int, tuple[str, ...], tuple[tuple[int, int], ...], tuple[str, ...], str]] = [
    ("m1", 96, (FATEMA, LIPI, TAHMINA, SUMAIYA), ((1, 1), (1, 2)), (),
     "প্রথম সভা: কোর্সের প্রথম দুটি কাজ ফোনে একসাথে দেখলাম। পাথর আর কাঠি দিয়ে গোনার উপকরণ বানালাম। "
     "ঠিক হলো প্রত্যেকে নিজের শ্রেণিতে একটি কাজ চেষ্টা করে পরের সভায় বলবে কেমন হলো।"),
    ("m2", 68, (FATEMA, LIPI, TAHMINA), ((2, 1), (2, 2)), ("f2", "f3"),
     "ফাতেমা জানালেন তাঁর শ্রেণিতে কাজ দুটি কেমন হয়েছে। জোড়ায় কাজ করালে সবাই সুযোগ পায় — "
     "এটা সবার ভালো লেগেছে। মডিউল ২-এর কাজগুলো দেখলাম।"),
    ("m3", 40, (FATEMA, LIPI, TAHMINA), ((3, 1), (4, 1)), ("f4", "l1"),
     "লিপি জানালেন বড় শ্রেণিতে উপকরণ কম পড়েছিল; সবাই মিলে আরও গোনার কাঠি বানালাম। "
     "মডিউল ৩ ও ৪-এর কাজগুলো দেখলাম।"),
    ("m4", 12, (FATEMA, LIPI, TAHMINA), ((3, 2), (4, 2), (2, 3)), ("f6", "l3", "t1"),
     "লিপির \"যে কাজটি হয়নি\" অভিজ্ঞতা নিয়ে কথা হলো: সময় ভাগ করে দিলে কাজ শেষ হয়। "
     "পরের দুই সপ্তাহের পরিকল্পনা করলাম।"),
]
# Plans made at the last meeting: (teacher, module, activity, planned days ago; negative = ahead).
M4_PLANS: tuple[tuple[str, int, int, int], ...] = ((FATEMA, 4, 2, 8), (LIPI, 2, 1, 4), (TAHMINA, 2, 3, -5))
NEXT_MEETING_IN_DAYS = 18
MEETING_PHOTOS = ("m1", "m3")  # the materials made at these meetings, photographed
RECORD_PHOTOS = ("f4", "l3")  # a photo of the learners' work with these records


@dataclass(frozen=True)
class RecordSpec:
    key: str
    teacher: str
    days_ago: int
    module: int
    activity: int
    rating: int = 4
    worked: str = ""
    change: str = ""
    why_not: str = ""  # set: "tried, it did not work"
    plan: int | None = None  # index into M4_PLANS: recorded against that plan
    learners: int = 32


WORKED = ("শিশুরা জোড়ায় পাথর গুনল, প্রায় সবাই নিজে হাতে করল।",
          "উপকরণ আগে থেকে সাজিয়ে রাখায় সময় বাঁচল; পেছনের বেঞ্চের শিশুরাও অংশ নিল।",
          "শিশুরা নিজের ভাষায় বলল কীভাবে উত্তর পেল — খুব ভালো লাগল।",
          "দলে কাজ করায় যারা সাধারণত চুপ থাকে তারাও কথা বলল।")
CHANGE = ("পরের বার আরও কাঠি লাগবে, প্রতি জোড়ায় দশটি।",
          "শুরুতে উদ্দেশ্যটা আরও সহজ করে বলব।",
          "শেষে দুই মিনিট রাখব, শিশুরা যা শিখল তা বলার জন্য।",
          "দল ছোট করব, চারজনের বেশি নয়।")

RECORDS: list[RecordSpec] = [
    # Fatema: seven records over fourteen weeks across modules 1–4 (the certificate of practice).
    RecordSpec("f1", FATEMA, 110, 1, 1, 4, WORKED[0], CHANGE[0]),
    RecordSpec("f2", FATEMA, 88, 2, 1, 5, WORKED[2], CHANGE[2]),
    RecordSpec("f3", FATEMA, 75, 2, 2, 4, WORKED[1], CHANGE[1]),
    RecordSpec("f4", FATEMA, 52, 3, 1, 4, WORKED[3], CHANGE[3]),
    RecordSpec("f5", FATEMA, 33, 4, 1, 5, WORKED[2], CHANGE[0]),
    RecordSpec("f6", FATEMA, 20, 3, 2, 4, WORKED[0], CHANGE[2]),
    RecordSpec("f7", FATEMA, 8, 4, 2, 5, WORKED[1], CHANGE[3], plan=0),
    # Lipi: four records in the last sixty days on four activities (an ongoing user), one that did not work.
    RecordSpec("l1", LIPI, 50, 1, 2, 3, WORKED[3], CHANGE[0], learners=48),
    RecordSpec("l2", LIPI, 31, 1, 3, why_not="চল্লিশ মিনিটে কাজ শেষ হলো না; শিশু অনেক, উপকরণ কম ছিল।",
               learners=51),
    RecordSpec("l3", LIPI, 16, 2, 3, 4, WORKED[1], CHANGE[3], learners=47),
    RecordSpec("l4", LIPI, 4, 2, 1, 4, WORKED[0], CHANGE[1], plan=1, learners=49),
    # Tahmina: one record (she has just begun).
    RecordSpec("t1", TAHMINA, 26, 1, 1, 3, WORKED[0], CHANGE[0], learners=28),
    # Sumaiya (the browser story): five records over ten weeks across modules 1–3, three in the last sixty days.
    RecordSpec("s1", SUMAIYA, 80, 1, 1, 3, WORKED[0], CHANGE[0], learners=35),
    RecordSpec("s2", SUMAIYA, 66, 1, 2, 4, WORKED[1], CHANGE[1], learners=34),
    RecordSpec("s3", SUMAIYA, 45, 2, 1, 4, WORKED[2], CHANGE[2], learners=36),
    RecordSpec("s4", SUMAIYA, 24, 2, 2, 4, WORKED[3], CHANGE[3], learners=33),
    RecordSpec("s5", SUMAIYA, 10, 3, 1, 5, WORKED[0], CHANGE[1], learners=35),
]
ACKNOWLEDGED = ("f2", "f4", "f6", "l3")  # by Masuma
ENCOURAGED = ((TAHMINA, "f4", "খুব ভালো লাগল! আমিও আমার শ্রেণিতে চেষ্টা করব।"),
              (TAHMINA, "l3", "দারুণ, লিপি আপা!"),
              (LIPI, "f6", "উপকরণের বুদ্ধিটা কাজে লাগাব।"))

# Certified in the course, days ago (their study through the course services, as course.py does).
CERTIFIED = ((FATEMA, 150), (LIPI, 120), (TAHMINA, 110), (data.SONADIA_HEAD_TEACHER, 90),
             (data.SONADIA_TEACHERS[0], 85), (data.SONADIA_TEACHERS[1], 75), (data.SONADIA_TEACHERS[2], 60))
STORY_STUDIED_DAYS_AGO = 100  # Sumaiya passed modules 1–8 about 100 days ago; module 9 waits for the story

STORIES = {
    SUMAIYA: "story teacher: modules 1–8 passed, 5 practice records (3 modules, 10 weeks), nothing acknowledged",
    FATEMA: "ongoing user with the certificate of practice (Hatia GPS circle)",
    LIPI: "ongoing user, not yet the certificate of practice",
    TAHMINA: "peer observer: observed Lipi's lesson; has just begun to practise",
    data.SONADIA_HEAD_TEACHER: "head teacher of Sonadia GPS: everyone certified, nobody practises",
    data.SONADIA_TEACHERS[0]: "Sonadia GPS: certified, no practice",
    data.SONADIA_TEACHERS[1]: "Sonadia GPS: certified, no practice",
    data.SONADIA_TEACHERS[2]: "Sonadia GPS: certified, no practice",
}


def client_id(name: str) -> uuid.UUID:
    """The client id of one demo row, the same on every load."""
    return uuid.uuid5(NAMESPACE, name)


def _user(phone: str) -> User:
    return User.objects.get(phone=normalize_phone(phone))


def materials_picture(name: str, *, seed: int) -> File:
    """A photo-like picture of classroom materials (counting sticks in bundles of ten and stones on a mat), drawn
    here so the demo has the photos a teacher would take; it goes through the same upload checks as hers."""
    from PIL import Image, ImageDraw

    width, height = 800, 600
    picture = Image.new("RGB", (width, height), (196, 160, 112))  # a wooden desk
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40, 40, width - 40, height - 40), fill=(228, 214, 170))  # a jute mat
    for bundle in range(3 + seed % 3):
        left = 80 + bundle * 150
        for stick in range(10):
            x = left + stick * 9
            draw.line((x, 90, x + 14, 300), fill=(150, 104, 52), width=5)
        draw.line((left - 6, 200, left + 100, 210), fill=(190, 40, 40), width=6)  # the band around ten
    for stone in range(7 + seed % 5):
        x, y = 110 + (stone * 97) % 560, 380 + (stone * 53) % 140
        draw.ellipse((x, y, x + 44, y + 36), fill=(110 + stone * 9, 110 + stone * 7, 118))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=80)
    return File(io.BytesIO(out.getvalue()), name=name)


def _step(say: Say, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One part in a savepoint; a refusal (the data changed by hand, a rule changed) is said, never fatal."""
    try:
        with transaction.atomic():
            return fn(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        say(f"WARNING: demo practice “{what}” skipped: {exc!r}")
        return None


class _Course:
    """The demo course's activities by (module, activity), 1-based."""

    def __init__(self, course: Course) -> None:
        self.course = course
        modules = list(Module.objects.filter(course=course).order_by("position"))
        self.modules = modules
        by_module: dict[int, list[Activity]] = {}
        for activity in Activity.objects.filter(module__course=course).order_by("module__position", "position"):
            by_module.setdefault(activity.module_id, []).append(activity)
        self.activities = {(m + 1, a + 1): activity for m, module in enumerate(modules)
                           for a, activity in enumerate(by_module.get(module.pk, []))}

    def activity(self, module: int, activity: int) -> Activity:
        return self.activities[(module, activity)]

    def module(self, number: int) -> Module:
        return self.modules[number - 1]


# ------------------------------------------------------------------------------------------ the course

def _studies(course: Course, say: Say) -> None:
    """Everyone certified in the course (and Sumaiya with modules 1–8), through the course's own services."""
    for phone, days_ago in CERTIFIED:
        _step(say, f"course of {phone}", _teacher_stage, phone, course, say, modules_passed=9, days_ago=days_ago)
    _step(say, "course of the story teacher", _teacher_stage, SUMAIYA, course, say, modules_passed=8,
          days_ago=STORY_STUDIED_DAYS_AGO)


# ------------------------------------------------------------------------------------------ practice

def _record(spec: RecordSpec, course: _Course, today: dt.date, plans: dict[int, Any]) -> Any:
    from shikhon.practice.models import PracticeRecord
    from shikhon.practice.services.log import record_create

    not_working = bool(spec.why_not)
    plan = plans.get(spec.plan) if spec.plan is not None else None
    return record_create(
        actor=_user(spec.teacher), activity=plan.activity if plan else course.activity(spec.module, spec.activity),
        taught_on=today - dt.timedelta(days=spec.days_ago),
        outcome=PracticeRecord.Outcome.NOT_WORKING if not_working else PracticeRecord.Outcome.TAUGHT,
        grade=GRADE, section=SECTION, learners_present=spec.learners, minutes=40,
        rating=None if not_working else spec.rating, what_worked=spec.worked, what_to_change=spec.change,
        why_not=spec.why_not, plan=plan, client_id=client_id(f"record:{spec.key}"))


def _meeting(key: str, days_ago: int, came: tuple[str, ...], looked_at: tuple[tuple[int, int], ...],
             shared: tuple[str, ...], notes: str, *, circle: Any, course: _Course, today: dt.date,
             records: dict[str, Any]) -> Any:
    from shikhon.practice.services.circles import PlanRow, meeting_record

    held_on = today - dt.timedelta(days=days_ago)
    plans = []
    if key == "m4":
        plans = [PlanRow(teacher_id=_user(phone).pk, activity_id=course.activity(m, a).pk,
                         planned_on=today - dt.timedelta(days=ago), grade=GRADE, section=SECTION)
                 for phone, m, a, ago in M4_PLANS]
    photo = materials_picture(f"{key}.jpg", seed=days_ago) if key in MEETING_PHOTOS else None
    return meeting_record(
        actor=_user(HEAD_TEACHER_PHONE), circle=circle, held_on=held_on,
        attendee_ids=[_user(phone).pk for phone in came],
        activity_ids=[course.activity(m, a).pk for m, a in looked_at],
        reflection_record_ids=[records[k].pk for k in shared if k in records], notes=notes, plans=plans,
        materials_photo=photo, client_id=client_id(f"meeting:{key}"))


def _ratings(instrument: Any, *, low: tuple[str, ...] = ()) -> dict[str, str]:
    """A rating for every item of the instrument: its second-best level, the items in `low` one level lower,
    every third item its best (read from the instrument's data, so any version fits)."""
    from shikhon.practice.instruments import parse_definition

    ratings: dict[str, str] = {}
    for n, item in enumerate(parse_definition(instrument.definition).items()):
        values = [level.value for level in item.levels]
        index = len(values) - 1 if n % 3 == 0 else len(values) - 2
        if item.code in low:
            index = max(0, len(values) - 3)
        ratings[item.code] = values[index]
    return ratings


def _observe(key: str, *, observer_phone: str, teacher_phone: str, activity: Activity, message: str,
             strengths: str, try_next: list[Any], low: tuple[str, ...], notes: str, reply: str = "") -> Any:
    """Proposed for today, agreed by her, recorded today (strengths first, things to try), and her reply."""
    from shikhon.practice.models import Observation
    from shikhon.practice.services import observations as service

    observer, teacher = _user(observer_phone), _user(teacher_phone)
    observation = service.observation_propose(actor=observer, teacher=teacher, proposed_on=dhaka_today(),
                                              activity=activity, message=message,
                                              client_id=client_id(f"observation:{key}"))
    if observation.status == Observation.Status.PROPOSED:
        observation = service.observation_answer(actor=teacher, observation=observation, answer="agree",
                                                 note="ঠিক আছে, আসুন।")
    service.observation_entry_add(actor=observer, observation=observation, strengths=strengths,
                                  ratings=_ratings(observation.instrument, low=low), try_next=try_next, notes=notes,
                                  client_id=client_id(f"observation-entry:{key}"))
    if reply:
        observation.refresh_from_db()
        service.observation_reply(actor=teacher, observation=observation, text=reply,
                                  client_id=client_id(f"observation-reply:{key}"))
    return observation


def _observations(course: _Course, say: Say) -> None:
    from shikhon.practice.services.observations import TryNextSpec, observation_propose

    _step(say, "Masuma observes Fatema", _observe, "fatema-by-masuma", observer_phone=HEAD_TEACHER_PHONE,
          teacher_phone=FATEMA, activity=course.activity(4, 2),
          message="আপনার শ্রেণিতে মডিউল ৪-এর কাজটি দেখতে চাই। শুধু শেখার জন্য, কোনো নম্বর নয়।",
          strengths="শিশুরা সবাই নিজের হাতে উপকরণ নিয়ে কাজ করেছে। আপনি প্রতিটি দলের কাছে গিয়েছেন এবং "
                    "ভুলকে শেখার সুযোগ হিসেবে নিয়েছেন — শিশুরা নির্ভয়ে উত্তর বলেছে।",
          try_next=[TryNextSpec("পেছনের দুই সারির শিশুদের আগে সুযোগ দিন, যাতে প্রত্যেকে একবার বলতে পারে।",
                                activity_id=course.activity(2, 2).pk),
                    TryNextSpec("শেষে দুই মিনিট রাখুন: শিশুরা নিজের ভাষায় বলুক কীভাবে উত্তর পেল।",
                                module_id=course.module(3).pk)],
          low=("every_turn", "maths_talk"), notes="৩৮ জন শিশু উপস্থিত, ৪০ মিনিটের পাঠ।",
          reply="ধন্যবাদ আপা। পরের পাঠে পেছনের সারি থেকে শুরু করব, আর শেষে শিশুদের বলার সময় রাখব।")
    _step(say, "Tahmina observes Lipi", _observe, "lipi-by-tahmina", observer_phone=TAHMINA, teacher_phone=LIPI,
          activity=course.activity(2, 1), message="তোমার পাঠটা দেখে শিখতে চাই, আসতে পারি?",
          strengths="পঞ্চাশজন শিশুকে তুমি ছোট দলে ভাগ করেছ, আর প্রতিটি দলের হাতে উপকরণ ছিল। সময় ভাগ করে "
                    "দেওয়ায় এবার কাজটি শেষ হয়েছে।",
          try_next=[TryNextSpec("প্রতিটি দলে একজন 'গণনাকারী' ঠিক করে দাও, পালা করে।",
                                activity_id=course.activity(2, 3).pk)],
          low=("pairs_groups",), notes="")
    # The mentor asks to come back in three weeks (Fatema has not answered yet): the consent step, waiting.
    fatema, mentor = _user(FATEMA), _user(TRAINER_PHONE)
    _step(say, "Selina asks to observe Fatema", observation_propose, actor=mentor, teacher=fatema,
          proposed_on=dhaka_today() + dt.timedelta(days=21), activity=course.activity(5, 1),
          message="আগের পর্যবেক্ষণের পরামর্শগুলো কেমন চলছে দেখতে আসতে চাই।",
          client_id=client_id("observation:fatema-by-selina"))


def _check_rounds(today: dt.date, say: Say) -> None:
    """Fatema's class 2 (section ক): a baseline three months ago and a follow-up last week, learners as codes."""
    from shikhon.practice.checks import definition_of
    from shikhon.practice.selectors.checks import default_check
    from shikhon.practice.services.checks import check_round_record

    check = default_check()
    if check is None:
        say("WARNING: no learner check is set up; the demo's check rounds are skipped.")
        return
    items = definition_of(check).codes
    fatema = _user(FATEMA)
    for kind, days_ago, share in (("baseline", 85, 4), ("follow_up", 9, 7)):
        results = {f"L{n:02d}": {item: (n * 7 + i * 3) % 10 < share for i, item in enumerate(items)}
                   for n in range(1, LEARNERS + 1)}
        _step(say, f"check round {kind}", check_round_record, actor=fatema, learner_check=check, kind=kind,
              grade=GRADE, section=SECTION, held_on=today - dt.timedelta(days=days_ago), results=results,
              client_id=client_id(f"check-round:fatema:{kind}"))


def _statuses(today: dt.date) -> None:
    """The nightly task as it would have run sixty and thirty days ago (first load only: a history to read),
    then today; then the certificate-of-practice task."""
    from shikhon.practice.models import OngoingStatus
    from shikhon.practice.services.status import ongoing_evaluate_all, practice_certificates_issue

    teachers = [_user(phone).pk for phone in (FATEMA, LIPI, TAHMINA, SUMAIYA)]
    if not OngoingStatus.objects.filter(teacher_id__in=teachers).exists():
        for days_ago in (60, 30):
            ongoing_evaluate_all(on=today - dt.timedelta(days=days_ago))
    ongoing_evaluate_all(on=today)
    practice_certificates_issue(on=today)


@transaction.atomic
def load_demo_practice(course: Course, *, say: Say | None = None) -> list[tuple[data.DemoPerson, User]]:
    """The practice demo (people, their course, their practice); idempotent. Returns the people loaded."""
    from shikhon.practice.models import PracticePlan
    from shikhon.practice.services.circles import circle_for_school, circle_set_next_meeting
    from shikhon.practice.services.log import encouragement_add, record_acknowledge, record_photo_add

    say = say or (lambda text: None)
    made = data.load_people(data.PRACTICE_PEOPLE)
    course = Course.objects.filter(family=course.family, status=Course.Status.PUBLISHED).first() or course
    _studies(course, say)
    demo = _Course(course)
    today = dhaka_today()

    # Records made without a plan first (the meetings share some of them).
    records: dict[str, Any] = {}
    for spec in RECORDS:
        if spec.plan is None:
            row = _step(say, f"record {spec.key}", _record, spec, demo, today, {})
            if row is not None:
                records[spec.key] = row

    circle = circle_for_school(school=School.objects.get(eiin=SCHOOL_EIIN))
    meetings = {}
    for key, days_ago, came, looked_at, shared, notes in MEETINGS:
        meetings[key] = _step(say, f"meeting {key}", _meeting, key, days_ago, came, looked_at, shared, notes,
                              circle=circle, course=demo, today=today, records=records)
    if meetings.get("m4") is not None:
        plans = {n: PracticePlan.objects.filter(client_id=uuid.uuid5(meetings["m4"].client_id, f"plan-{n}")).first()
                 for n in range(len(M4_PLANS))}
        for spec in RECORDS:
            if spec.plan is not None and plans.get(spec.plan) is not None:
                row = _step(say, f"record {spec.key}", _record, spec, demo, today, plans)
                if row is not None:
                    records[spec.key] = row
    if circle.next_meeting_on is None or circle.next_meeting_on < today:
        _step(say, "next meeting", circle_set_next_meeting, actor=_user(HEAD_TEACHER_PHONE), circle=circle,
              on=today + dt.timedelta(days=NEXT_MEETING_IN_DAYS))

    masuma = _user(HEAD_TEACHER_PHONE)
    for key in ACKNOWLEDGED:
        if key in records:
            _step(say, f"acknowledge {key}", record_acknowledge, actor=masuma, record=records[key])
    for key in RECORD_PHOTOS:
        if key in records and not records[key].photo:
            _step(say, f"photo of {key}", record_photo_add, actor=records[key].teacher, record=records[key],
                  photo=materials_picture(f"{key}.jpg", seed=len(key) + ord(key[0])))
    for phone, key, comment in ENCOURAGED:
        if key in records:
            _step(say, f"encourage {key}", encouragement_add, actor=_user(phone), record=records[key],
                  comment=comment)

    _observations(demo, say)
    _check_rounds(today, say)
    _statuses(today)
    return made


def describe_practice(made: list[tuple[data.DemoPerson, User]]) -> str:
    lines = ["", "Supported practice — Hatia GPS (100001) practises; Sonadia GPS (100007) finished the course and "
             "does not practise:",
             f"  {national_format(normalize_phone(HEAD_TEACHER_PHONE))}  head teacher Masuma leads the circle: "
             "/practice/school/",
             f"  {national_format(normalize_phone(OFFICER_PHONE))}  upazila officer: ongoing users and cost per "
             "ongoing user in Hatia: /practice/area/",
             f"  {national_format(normalize_phone(TRAINER_PHONE))}  mentor Selina has asked to observe Fatema's lesson "
             "(waiting for her answer)"]
    for person, user in made:
        role = str(Role.Kind(person.kind).label)
        lines.append(f"  {national_format(user.phone)}  {role:<13} {user.name_en:<15} {STORIES.get(person.phone, '')}")
    return "\n".join(lines)
