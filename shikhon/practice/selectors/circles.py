"""Reads of the circles part: a circle's members (worked out from current roles, never stored), the practice
they shared with the circle, its meetings, and the head teacher's school page (each teacher's course progress,
last practice, plans due, last observation, who has not practised for 30 days, in the order that suggests whom
to encourage this week). Every list is a constant number of queries, whatever the number of teachers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shikhon.core.clock import dhaka_today
from shikhon.courses.selectors import CourseProgress, activities_visible, course_progress_of, published_courses
from shikhon.people.scope import user_scope
from shikhon.people.selectors import people_by_name, school_teachers_now, teacher_user_ids_in
from shikhon.places.selectors import schools_by_ids
from shikhon.practice import permissions
from shikhon.practice.models import Circle, Encouragement, Meeting, Observation, PracticePlan, PracticeRecord

if TYPE_CHECKING:
    from shikhon.people.models import User

QUIET_DAYS = 30  # "has not practised for 30 days"
DUE_WITHIN_DAYS = 7  # plans due: the date passed, or within a week
RECENT_SHARED = 20
RECENT_MEETINGS = 20
AWAITING_LIMIT = 30
MAX_ACTIVITY_CHOICES = 300


# ---------------------------------------------------------------------------------------------- members

@dataclass(frozen=True)
class Member:
    user: User
    is_head: bool


def cluster_school_ids(circle: Circle) -> list[int]:
    """The schools of a cluster circle (none for a school circle); one query."""
    if circle.cluster_id is None:
        return []
    return list(circle.cluster.schools.values_list("pk", flat=True)) if circle.cluster else []


def circle_members(circle: Circle) -> list[Member]:
    """Who belongs to the circle now: the teachers and head teacher(s) of its school, or of its cluster's
    schools (current roles). Head teachers first, then by name; one query for a school, two for a cluster."""
    if circle.school_id is not None:
        staff = school_teachers_now(circle.school_id)
        members = [Member(user, head) for user, head in staff]
    else:
        ids = cluster_school_ids(circle)
        if not ids:
            return []
        members = [Member(user, False) for user in people_by_name(teacher_user_ids_in(Q(school_id__in=ids)))]
    return sorted(members, key=lambda m: (not m.is_head, m.user.display_name.casefold(), m.user.pk))


def circle_member_ids(circle: Circle) -> set[int]:
    return {m.user.pk for m in circle_members(circle)}


# ---------------------------------------------------------------------------------------------- circles

def circles_of(user: User) -> QuerySet[Circle]:
    """The school circles of the schools she works in (teacher or head teacher), for a link to her circle."""
    scope = user_scope(user)
    if not scope.school_ids:
        return Circle.objects.none()
    return Circle.objects.filter(school_id__in=scope.school_ids, kind=Circle.Kind.SCHOOL).select_related("school")


def cluster_circle_of(user: User, cluster_id: object) -> Circle | None:
    """The circle of this cluster when it exists and she may see it (else None); one query."""
    from shikhon.core.access import parse_pk

    pk = parse_pk(cluster_id)
    if pk is None:
        return None
    return Circle.objects.filter(permissions.circles_visible_to(user), cluster_id=pk).distinct().first()


def shared_practice(circle: Circle, *, member_ids: set[int], viewer: User,
                    limit: int = RECENT_SHARED) -> list[PracticeRecord]:
    """The members' newest practice records shared with the circle, each with its encouragement count
    (`encouraged`) and whether the viewer already encouraged it (`mine`); one query."""
    if not member_ids:
        return []
    rows = (PracticeRecord.objects.filter(teacher_id__in=member_ids, shared_with_circle=True)
            .filter(permissions.records_visible_to(viewer))
            .select_related("teacher", "activity", "content")
            .annotate(encouraged=Count("encouragements", distinct=True),
                      mine=Exists(Encouragement.objects.filter(record_id=OuterRef("pk"), author_id=viewer.pk)))
            .order_by("-taught_on", "-pk"))
    return list(rows[:limit])


def reflections_to_share(circle: Circle, *, member_ids: set[int], limit: int = 40) -> list[PracticeRecord]:
    """Records the members shared with the circle since a few months ago, for the meeting form's checkboxes."""
    if not member_ids:
        return []
    since = dhaka_today() - dt.timedelta(days=120)
    return list(PracticeRecord.objects.filter(teacher_id__in=member_ids, shared_with_circle=True,
                                              taught_on__gte=since)
                .select_related("teacher", "activity", "content").order_by("-taught_on", "-pk")[:limit])


def meetings_of(circle: Circle, *, limit: int = RECENT_MEETINGS) -> list[Meeting]:
    """The circle's newest meetings, each with how many came (`came`) and plans made (`planned`); one query."""
    return list(Meeting.objects.filter(circle=circle)
                .annotate(came=Count("attendees", distinct=True), planned=Count("plans", distinct=True))
                .order_by("-held_on", "-pk")[:limit])


@dataclass(frozen=True)
class MeetingDetail:
    attendees: list[Any]
    activities: list[Any]
    reflections: list[PracticeRecord]
    plans: list[PracticePlan]


def meeting_detail(meeting: Meeting) -> MeetingDetail:
    """Who came, the activities looked at, the reflections shared and the plans made; four queries."""
    return MeetingDetail(
        attendees=sorted(meeting.attendees.all(), key=lambda u: u.display_name.casefold()),
        activities=list(meeting.activities.select_related("module__course").order_by("module__position",
                                                                                      "position", "pk")),
        reflections=list(meeting.reflections.select_related("teacher", "activity", "content")
                         .order_by("-taught_on", "pk")),
        plans=list(meeting.plans.select_related("teacher", "activity", "content").order_by("planned_on", "pk")),
    )


def activity_choices(user: User) -> list[Any]:
    """The activities a meeting may look at: those of published courses she may open, in course order (a
    bounded list for the form); one query."""
    return list(activities_visible(user).filter(module__course__in=published_courses().values("pk"))
                .select_related("module__course")
                .only("pk", "title", "module__position", "module__title", "module__course__title")
                .order_by("module__course__title", "module__course_id", "module__position", "position", "pk")
                [:MAX_ACTIVITY_CHOICES])


def published_activities(user: User, ids: set[int]) -> dict[int, Any]:
    """Of these activity ids, the activities of published courses she may open, by id; one query."""
    if not ids:
        return {}
    rows = activities_visible(user).filter(pk__in=ids, module__course__in=published_courses().values("pk"))
    return {a.pk: a for a in rows.select_related("module")}


# ---------------------------------------------------------------------------------------------- school page

@dataclass(frozen=True)
class TeacherPractice:
    """One teacher on her head teacher's school page."""

    user: User
    is_head: bool
    course: CourseProgress | None
    studied: bool  # made progress in (or finished) a course
    last_practised: dt.date | None
    plans_overdue: int
    plans_soon: int
    last_observed: dt.date | None
    quiet: bool  # no practice in the last 30 days (or never)
    group: int  # the order of the page (GROUPS)

    @property
    def plans_due(self) -> int:
        return self.plans_overdue + self.plans_soon

    @property
    def group_label(self) -> str:
        return str(GROUPS[self.group])


# Whom to encourage first, and why (the page prints these sentences over each group).
GROUPS: dict[int, Any] = {
    0: _("Learned in the course but has not tried anything in class for 30 days: encourage her to plan one "
         "activity this week."),
    1: _("A planned day has passed without a record: ask how it went — “tried, did not work” is practice too."),
    2: _("Has not practised for 30 days and has not started the course: help her begin."),
    3: _("Plans to try an activity in the next 7 days: wish her well and offer to help with materials."),
    4: _("Practising: acknowledge her records and plan a friendly observation."),
}


def school_page_rows(school_id: int) -> list[TeacherPractice]:
    """Every teacher of the school with her course progress, last practice, plans due, last observation and
    whether she has been quiet for 30 days, in the order of GROUPS (then the longest quiet first, then by
    name). Seven queries whatever the number of teachers: roles, courses (three), records, plans,
    observations."""
    staff = school_teachers_now(school_id)
    ids = [user.pk for user, _head in staff]
    if not ids:
        return []
    today = dhaka_today()
    progress = course_progress_of(ids)
    last_practised = dict(PracticeRecord.objects.filter(teacher_id__in=ids).values("teacher_id")
                          .annotate(last=Max("taught_on")).order_by().values_list("teacher_id", "last"))
    plans = {row[0]: (row[1], row[2]) for row in PracticePlan.objects.filter(
        teacher_id__in=ids, state=PracticePlan.State.PLANNED,
        planned_on__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS)).values("teacher_id").annotate(
        overdue=Count("pk", filter=Q(planned_on__lt=today)),
        soon=Count("pk", filter=Q(planned_on__gte=today))).order_by().values_list("teacher_id", "overdue", "soon")}
    observed = dict(Observation.objects.filter(teacher_id__in=ids, status=Observation.Status.RECORDED)
                    .values("teacher_id").annotate(last=Max("observed_on")).order_by()
                    .values_list("teacher_id", "last"))
    quiet_since = today - dt.timedelta(days=QUIET_DAYS)
    rows = []
    for user, head in staff:
        mine = progress.get(user.pk, [])
        studied = any(p.completed_at is not None or p.percent > 0 for p in mine)
        last = last_practised.get(user.pk)
        quiet = last is None or last < quiet_since
        overdue, soon = plans.get(user.pk, (0, 0))
        if quiet and studied:
            group = 0
        elif overdue:
            group = 1
        elif quiet:
            group = 2
        elif soon:
            group = 3
        else:
            group = 4
        rows.append(TeacherPractice(user=user, is_head=head, course=mine[0] if mine else None, studied=studied,
                                    last_practised=last, plans_overdue=overdue, plans_soon=soon,
                                    last_observed=observed.get(user.pk), quiet=quiet, group=group))
    return sorted(rows, key=lambda r: (r.group, r.last_practised or dt.date.min,
                                       r.user.display_name.casefold(), r.user.pk))


def awaiting_acknowledgement(school_id: int, *, head: User, limit: int = AWAITING_LIMIT) -> list[PracticeRecord]:
    """Her teachers' records not acknowledged yet (not her own), newest first; one query."""
    return list(PracticeRecord.objects.filter(school_id=school_id, acknowledged_at__isnull=True)
                .exclude(teacher_id=head.pk).select_related("teacher", "activity", "content")
                .order_by("-taught_on", "-pk")[:limit])


def headed_schools(user: User) -> list[Any]:
    """The schools she heads (for the school page's choice), by name; one query (none if she heads none)."""
    ids = user_scope(user).head_school_ids
    return list(schools_by_ids(ids).order_by("name_bn", "pk")) if ids else []


def my_circle_school(user: User) -> Any | None:
    """The school whose circle is "mine": the first school she heads, else the first she works in (by name);
    None when she works in no school. The site's "my circle" link and the API's /practice/circles/mine."""
    headed = headed_schools(user)
    if headed:
        return headed[0]
    ids = user_scope(user).school_ids
    return schools_by_ids(ids).order_by("name_bn", "pk").first() if ids else None

