"""Nudges (decision 0011): a short reminder to practise, in-app always and by SMS only when she chose it (notify
decides from her SMS choices; these kinds are not sent by SMS by default). At most one a week per teacher (no nudge
when one was sent in the last 7 Dhaka days), never at night (only from 08:00 to 20:00 Dhaka, refused here
whatever calls it), and never twice for the same event (`Nudge.key`).

Three events, the first that applies wins:
1. her school's circle meets tomorrow (`Circle.next_meeting_on`);
2. a plan's day passed (a day or more, within the last 30 days) and she has not recorded it;
3. she finished a module (open, every activity done, its quiz passed) and has no plan or record for any of its
   activities (the latest such module of each course she studies).

Teachers are taken in chunks (`CHUNK`): each chunk costs the same number of queries however many teachers it has
(plus the outline of each course studied, cached for published courses)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from shikhon.core.bangla import format_date
from shikhon.core.clock import DHAKA
from shikhon.courses import selectors as course_selectors
from shikhon.notify.services import Tell, notifications_send_many
from shikhon.people.selectors import placements_of, teacher_user_ids_in
from shikhon.practice import notifications
from shikhon.practice.models import Circle, Nudge, PracticePlan, PracticeRecord

logger = logging.getLogger(__name__)

DAY_STARTS = dt.time(8, 0)
NIGHT_STARTS = dt.time(20, 0)
WEEK_DAYS = 7
OVERDUE_WINDOW_DAYS = 30
CHUNK = 500

MEETING: str = Nudge.Kind.MEETING_TOMORROW.value
OVERDUE: str = Nudge.Kind.PLAN_OVERDUE.value
MODULE: str = Nudge.Kind.MODULE_WITHOUT_PLAN.value
PRIORITY: dict[str, int] = {MEETING: 0, OVERDUE: 1, MODULE: 2}
NOTIFY_KIND: dict[str, str] = {MEETING: notifications.NUDGE_MEETING_TOMORROW, OVERDUE: notifications.NUDGE_PLAN_OVERDUE,
               MODULE: notifications.NUDGE_MODULE_WITHOUT_PLAN}


def nudge_hours_open(now: dt.datetime) -> bool:
    """Whether `now` is daytime in Dhaka (08:00 to 20:00), when a nudge may be sent."""
    local = now.astimezone(DHAKA).time()
    return DAY_STARTS <= local < NIGHT_STARTS


@dataclass(frozen=True)
class Candidate:
    teacher_id: int
    kind: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""

    @property
    def priority(self) -> int:
        return PRIORITY[self.kind]


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:  # a page another part adds later
        return ""


def _meeting_candidates(teacher_ids: list[int], today: dt.date) -> list[Candidate]:
    placements = placements_of(teacher_ids)
    by_school: dict[int, list[int]] = {}
    for teacher_id, placement in placements.items():
        if placement.school_id is not None:
            by_school.setdefault(placement.school_id, []).append(teacher_id)
    if not by_school:
        return []
    tomorrow = today + dt.timedelta(days=1)
    out = []
    for circle_id, school_id in (Circle.objects.filter(kind=Circle.Kind.SCHOOL, school_id__in=list(by_school),
                                                       next_meeting_on=tomorrow).values_list("pk", "school_id")):
        for teacher_id in by_school[school_id]:
            out.append(Candidate(teacher_id, MEETING, f"meeting:{circle_id}:{tomorrow.isoformat()}:{teacher_id}",
                                 {"date": format_date(tomorrow, "bn")}, _url("practice:circle", circle_id)))
    return out


def _overdue_candidates(teacher_ids: list[int], today: dt.date) -> list[Candidate]:
    plans = (PracticePlan.objects.filter(teacher_id__in=teacher_ids, state=PracticePlan.State.PLANNED,
                                         planned_on__lt=today,
                                         planned_on__gte=today - dt.timedelta(days=OVERDUE_WINDOW_DAYS),
                                         record__isnull=True)
             .order_by("-planned_on", "-pk").values_list("pk", "teacher_id", "planned_on", "activity__title"))
    return [Candidate(teacher_id, OVERDUE, f"plan:{pk}", {"activity": title, "date": format_date(day, "bn")},
                      _url("practice:plan", pk))
            for pk, teacher_id, day, title in plans]


def _module_candidates(teacher_ids: list[int]) -> list[Candidate]:
    """The latest finished module of each course she studies, when none of its activities is planned or recorded."""
    enrolments = list(course_selectors.area_enrolments(Q(user_id__in=teacher_ids)))
    if not enrolments:
        return []
    latest: list[tuple[int, Any, list[int]]] = []  # (teacher, module, its activity ids)
    finished_by_enrolment = course_selectors.finished_modules_of(enrolments)
    for enrolment in enrolments:
        finished = [(module, ids) for module, ids in finished_by_enrolment[enrolment.pk] if ids]
        if finished:
            module, activity_ids = finished[-1]
            latest.append((enrolment.user_id, module, activity_ids))
    if not latest:
        return []
    wanted = {pk for _t, _m, ids in latest for pk in ids}
    tried = set(PracticePlan.objects.filter(teacher_id__in=teacher_ids, activity_id__in=wanted)
                .values_list("teacher_id", "activity_id").order_by())
    tried |= set(PracticeRecord.objects.filter(teacher_id__in=teacher_ids, activity_id__in=wanted)
                 .values_list("teacher_id", "activity_id").order_by())
    return [Candidate(teacher_id, MODULE, f"module:{module.pk}:{teacher_id}", {"module": module.title},
                      _url("courses:module", module.pk))
            for teacher_id, module, ids in latest if not any((teacher_id, pk) in tried for pk in ids)]


def nudges_due(teacher_ids: Iterable[int], today: dt.date) -> list[Candidate]:
    """The one nudge due to each of these teachers today (none for a teacher nudged in the last 7 days, none for
    an event already nudged); a bounded number of queries for the whole list."""
    asked = sorted(set(teacher_ids))
    if not asked:
        return []
    recent = set(Nudge.objects.filter(teacher_id__in=asked, sent_on__gt=today - dt.timedelta(days=WEEK_DAYS))
                 .values_list("teacher_id", flat=True))
    ids = [pk for pk in asked if pk not in recent]
    if not ids:
        return []
    candidates = [*_meeting_candidates(ids, today), *_overdue_candidates(ids, today), *_module_candidates(ids)]
    if not candidates:
        return []
    used = set(Nudge.objects.filter(key__in=[c.key for c in candidates]).values_list("key", flat=True))
    chosen: dict[int, Candidate] = {}
    for candidate in candidates:  # in each kind's own order: the first of the best kind wins
        if candidate.key in used:
            continue
        best = chosen.get(candidate.teacher_id)
        if best is None or candidate.priority < best.priority:
            chosen[candidate.teacher_id] = candidate
    return [chosen[pk] for pk in sorted(chosen)]


def nudges_send_to(teacher_ids: Iterable[int], *, now: dt.datetime | None = None) -> int:
    """Send the nudges due to these teachers now; nothing at night. Returns how many were sent."""
    now = now or timezone.now()
    if not nudge_hours_open(now):
        return 0
    today = now.astimezone(DHAKA).date()
    due = nudges_due(teacher_ids, today)
    if not due:
        return 0
    with transaction.atomic():
        Nudge.objects.bulk_create([Nudge(teacher_id=c.teacher_id, kind=c.kind, key=c.key, sent_on=today)
                                   for c in due], ignore_conflicts=True)
        mine = set(Nudge.objects.filter(key__in=[c.key for c in due], sent_on=today).values_list("key", flat=True))
        notifications_send_many(tells=[
            Tell(recipient_id=c.teacher_id, kind=NOTIFY_KIND[c.kind], event_key=f"nudge:{c.key}", params=c.params,
                 url=c.url) for c in due if c.key in mine])
    return len(mine)


def nudges_send(*, now: dt.datetime | None = None, chunk: int = CHUNK) -> int:
    """Every teacher's nudge due now, chunk by chunk (each in its own transaction); nothing at night."""
    now = now or timezone.now()
    if not nudge_hours_open(now):
        logger.info("nudges: not sent at night (%s Dhaka)", now.astimezone(DHAKA).strftime("%H:%M"))
        return 0
    sent, last = 0, 0
    teachers = teacher_user_ids_in(Q()).order_by("user_id").distinct()
    while True:
        ids = list(teachers.filter(user_id__gt=last)[:chunk])
        if not ids:
            return sent
        sent += nudges_send_to(ids, now=now)
        last = ids[-1]
