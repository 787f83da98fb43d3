"""Reads of the practice log: a teacher's history grouped by course → module → activity, what to try next
("continue"), her plans due, a record's encouragements. Each runs a fixed number of queries (the suggestion: one
per enrolled course, at most `SUGGESTION_COURSES`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shikhon.core.clock import dhaka_today
from shikhon.courses import selectors as course_selectors
from shikhon.practice import permissions
from shikhon.practice.models import Encouragement, PracticePlan, PracticeRecord

if TYPE_CHECKING:
    from shikhon.courses.models import Activity, Course, Module
    from shikhon.people.models import User

HISTORY_LIMIT = 200  # the latest records and plans shown on her page (each)
SUGGESTION_COURSES = 5  # courses looked at for "what to try next"
PLANS_DUE_LIMIT = 20


def records_of(teacher: User) -> QuerySet[PracticeRecord]:
    """Her records, newest lesson first, with what the lists show."""
    return (PracticeRecord.objects.filter(teacher=teacher).select_related("activity", "module", "content")
            .order_by("-taught_on", "-pk"))


def records_visible(user: User) -> QuerySet[PracticeRecord]:
    """Records this person may open (own, overseen, shared with her school's circle), newest first."""
    return (PracticeRecord.objects.filter(permissions.records_visible_to(user)).select_related("activity", "content",
                                                                                        "teacher")
            .order_by("-taught_on", "-pk"))


def plans_visible(user: User) -> QuerySet[PracticePlan]:
    """Plans this person may open (her own; her school's if she heads it; her area's if she oversees one), the
    latest planned day first (the API's list)."""
    return (PracticePlan.objects.filter(permissions.plans_visible_to(user))
            .select_related("activity", "content", "teacher")
            .order_by("-planned_on", "-pk"))


def plans_due(teacher: User) -> list[PracticePlan]:
    """Her plans still waiting for a record, the earliest day first (days passed first): 1 query."""
    return list(PracticePlan.objects.filter(teacher=teacher, state=PracticePlan.State.PLANNED)
                .select_related("activity", "content").order_by("planned_on", "pk")[:PLANS_DUE_LIMIT])


def is_due(plan: PracticePlan) -> bool:
    return plan.planned_on <= dhaka_today()


@dataclass
class ActivityHistory:
    activity: Activity
    records: list[PracticeRecord] = field(default_factory=list)
    plans: list[PracticePlan] = field(default_factory=list)


@dataclass
class ModuleHistory:
    module: Module
    activities: list[ActivityHistory] = field(default_factory=list)


@dataclass
class CourseHistory:
    course: Course
    modules: list[ModuleHistory] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return sum(len(a.records) for m in self.modules for a in m.activities)


@dataclass
class ContentHistory:
    """Her records and plans of one library content (`content` is a `library.Content`)."""

    content: Any
    records: list[PracticeRecord] = field(default_factory=list)
    plans: list[PracticePlan] = field(default_factory=list)


@dataclass
class History:
    courses: list[CourseHistory]
    record_count: int
    plan_count: int
    truncated: bool
    contents: list[ContentHistory] = field(default_factory=list)  # library contents, by title


def history_of(teacher: User) -> History:
    """Her records and plans (not dropped) grouped by course → module → activity in course order, then those of
    library contents by title: 2 queries, the latest `HISTORY_LIMIT` of each."""
    records = list(PracticeRecord.objects.filter(teacher=teacher).select_related("activity__module__course", "content")
                   .order_by("-taught_on", "-pk")[:HISTORY_LIMIT + 1])
    plans = list(PracticePlan.objects.filter(teacher=teacher).exclude(state=PracticePlan.State.DROPPED)
                 .select_related("activity__module__course", "content")
                 .order_by("-planned_on", "-pk")[:HISTORY_LIMIT + 1])
    truncated = len(records) > HISTORY_LIMIT or len(plans) > HISTORY_LIMIT
    records, plans = records[:HISTORY_LIMIT], plans[:HISTORY_LIMIT]
    by_activity: dict[int, ActivityHistory] = {}
    by_content: dict[int, ContentHistory] = {}
    for record in records:
        if record.activity_id is None:
            by_content.setdefault(record.content_id, ContentHistory(record.content)).records.append(record)  # type: ignore[arg-type]
        else:
            by_activity.setdefault(record.activity_id, ActivityHistory(record.activity)).records.append(record)  # type: ignore[arg-type]
    recorded_plans = {r.plan_id for r in records if r.plan_id is not None}
    for plan in plans:
        if plan.pk in recorded_plans:
            continue  # shown through its record
        if plan.activity_id is None:
            by_content.setdefault(plan.content_id, ContentHistory(plan.content)).plans.append(plan)  # type: ignore[arg-type]
        else:
            by_activity.setdefault(plan.activity_id, ActivityHistory(plan.activity)).plans.append(plan)  # type: ignore[arg-type]
    courses: dict[int, CourseHistory] = {}
    modules: dict[int, ModuleHistory] = {}
    order = sorted(by_activity.values(), key=lambda a: (a.activity.module.course.title, a.activity.module.course_id,
                                                        a.activity.module.position, a.activity.module_id,
                                                        a.activity.position, a.activity.pk))
    for item in order:
        module = item.activity.module
        course = module.course
        course_history = courses.setdefault(course.pk, CourseHistory(course))
        if module.pk not in modules:
            modules[module.pk] = ModuleHistory(module)
            course_history.modules.append(modules[module.pk])
        modules[module.pk].activities.append(item)
    contents = sorted(by_content.values(), key=lambda c: (c.content.title, c.content.pk))
    return History(courses=list(courses.values()), record_count=len(records), plan_count=len(plans),
                   truncated=truncated, contents=contents)


@dataclass(frozen=True)
class Suggestion:
    """The next activity to try in class, and why this one (a sentence)."""

    activity: Activity
    reason: str


def continue_suggestion(teacher: User) -> Suggestion | None:
    """The first activity, in course order, of a module she finished (activities done and quiz passed) in her
    enrolled courses, that she has neither planned nor recorded. None when there is none (she finished no
    module yet, or she has tried every activity of the modules she finished). Queries: her enrolments (4), per
    course (at most `SUGGESTION_COURSES`) her marks (the outline is cached), her practised activities, and the
    chosen activity."""
    enrolments = [e.enrolment for e in course_selectors.learner_enrolments(teacher)][:SUGGESTION_COURSES]
    if not enrolments:
        return None
    practised = set(PracticeRecord.objects.filter(teacher=teacher).values_list("activity_id", flat=True).distinct())
    practised |= set(PracticePlan.objects.filter(teacher=teacher).exclude(state=PracticePlan.State.DROPPED)
                     .values_list("activity_id", flat=True).distinct())
    for enrolment in enrolments:
        for state in course_selectors.course_module_states(enrolment.course, enrolment):
            if not state.finished:
                continue
            for activity_id in state.activity_ids:
                if activity_id in practised:
                    continue
                activity = course_selectors.access_activity(teacher, activity_id)
                reason = _("You finished the module “%(module)s” but have not tried this activity in class yet. It "
                           "is the first activity of that module you have neither planned nor recorded.") % {
                    "module": state.module.title}
                return Suggestion(activity=activity, reason=reason)
    return None


def finished_without_practice(teacher: User) -> bool:
    """Whether she has any practice at all (records or plans): for the page's empty state."""
    return not (PracticeRecord.objects.filter(teacher=teacher).exists()
                or PracticePlan.objects.filter(teacher=teacher).exists())


def encouragements_of(record: PracticeRecord) -> list[Encouragement]:
    """Colleagues' 👍 on a record, oldest first, with their names (1 query)."""
    return list(Encouragement.objects.filter(record=record).select_related("author").order_by("created_at", "pk"))


def encouragement_by(record: PracticeRecord, user: User) -> Encouragement | None:
    return Encouragement.objects.filter(record=record, author=user).first()


def plan_of_teacher(teacher: User, plan_id: object) -> PracticePlan | None:
    """Her own plan still waiting for a record (the record form's `?plan=`), else None."""
    from shikhon.core.access import parse_pk

    pk = parse_pk(plan_id)
    if pk is None:
        return None
    return (PracticePlan.objects.filter(Q(teacher=teacher), pk=pk, state=PracticePlan.State.PLANNED)
            .select_related("activity__module__course", "content").first())


def record_of_plan(plan: PracticePlan) -> PracticeRecord | None:
    return PracticeRecord.objects.filter(plan=plan).only("pk").first()


def record_with_client_id(teacher: User, client_id: object) -> PracticeRecord | None:
    """Her record already saved from this form (a double tap, a replayed outbox item), else None."""
    import uuid

    try:
        key = uuid.UUID(str(client_id))
    except (ValueError, TypeError):
        return None
    return PracticeRecord.objects.filter(teacher=teacher, client_id=key).only("pk").first()
