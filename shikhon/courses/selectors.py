"""Reads for a teacher studying courses: the catalogue, what she may open, where she stands in a course
(modules unlocked and passed, activities done), the state of a quiz for her, and her enrolments.

Everything here runs a fixed number of queries whatever the size of the course or her history."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.access import found_or_404, parse_pk, row_or_404
from shikhon.core.bangla import format_number
from shikhon.courses import scoring
from shikhon.courses.codes import normalize_short_code
from shikhon.courses.models import (
    Activity,
    ActivityProgress,
    Choice,
    Course,
    Enrolment,
    Module,
    Question,
    Quiz,
    QuizAttempt,
)
from shikhon.courses.outline import PublicOutline, activity_with_course, course_outline, outline_rows, quiz_id_of
from shikhon.courses.outline import public_outline as outline_public
from shikhon.courses.permissions import (
    can_author,
    can_review,
    course_open_to,
    courses_authorable_by,
    courses_visible_to,
)

if TYPE_CHECKING:
    from shikhon.people.models import User

# ------------------------------------------------------------------------------------ what she may open


def _visible_course_ids(user: User) -> QuerySet[Course, Any]:
    """The ids of the courses `permissions.courses_visible_to(user)` lets her open."""
    return Course.objects.filter(courses_visible_to(user)).values("pk")


def courses_visible(user: User) -> QuerySet[Course]:
    return Course.objects.filter(pk__in=_visible_course_ids(user))


def modules_visible(user: User) -> QuerySet[Module]:
    return Module.objects.filter(course__in=_visible_course_ids(user))


def activities_visible(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(module__course__in=_visible_course_ids(user))


def quizzes_visible(user: User) -> QuerySet[Quiz]:
    return Quiz.objects.filter(module__course__in=_visible_course_ids(user))


def attempts_of(user: User) -> QuerySet[QuizAttempt]:
    """Only her own attempts: another person's attempt answers 404."""
    return QuizAttempt.objects.filter(enrolment__user=user)


def published_catalogue(*, query: str = "", subject: str = "", grade: int | None = None) -> QuerySet[Course]:
    """Published courses (one published version per course family), searched by title and filtered
    by subject and grade."""
    courses = Course.objects.filter(status=Course.Status.PUBLISHED)
    if query:
        courses = courses.filter(title__icontains=query.strip())
    if subject:
        courses = courses.filter(subject=subject)
    if grade is not None:
        courses = courses.filter(grade_from__lte=grade, grade_to__gte=grade)
    return courses.only("pk", "slug", "title", "summary", "subject", "grade_from", "grade_to",
                        "estimated_hours", "version", "family", "status").order_by("title", "pk")


def sample_videos_q() -> Q:
    """Videos (a `media.Video` filter) that are the sample of a published course: its first activity's video, the
    one `outline.public_outline` shows to visitors. One subquery per published course, not per activity."""
    first = (Activity.objects.filter(module__course_id=OuterRef("pk"))
             .order_by("module__position", "module_id", "position", "pk").values("video_id")[:1])
    return Q(pk__in=Course.objects.filter(status=Course.Status.PUBLISHED).annotate(sample=Subquery(first))
             .filter(sample__isnull=False).values("sample"))


def published_courses() -> QuerySet[Course]:
    """Every published course (one version per family) by title: what other apps offer to choose from."""
    return Course.objects.filter(status=Course.Status.PUBLISHED).order_by("title", "pk")


def enrolment_in(user: User, course: Course) -> Enrolment | None:
    """Her enrolment in this very version of the course."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def course_for_learner(user: User, slug: str) -> tuple[Course | None, Enrolment | None]:
    """The version she is enrolled in, else the published one (authors: else the newest version)."""
    enrolment = (Enrolment.objects.filter(user=user, course__slug=slug).select_related("course")
                 .order_by("-enrolled_at").first())
    if enrolment is not None:
        return enrolment.course, enrolment
    course = Course.objects.filter(slug=slug, status=Course.Status.PUBLISHED).first()
    if course is None and can_author(user):
        course = Course.objects.filter(slug=slug).order_by("-version").first()
    return course, None


def missing_prerequisites(user: User, course: Course) -> list[Course]:
    """The prerequisite courses whose family she has not completed (any version counts)."""
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(Enrolment.objects.filter(user=user, family__in=[c.family for c in required],
                                        completed_at__isnull=False).values_list("family", flat=True))
    return [c for c in required if c.family not in done]


# ------------------------------------------------------------------------------------------ authoring

def course_families_for_author(user: User) -> QuerySet[Course]:
    """Every course family she may author, shown by its newest version, with the number of the version
    now published (`published_version`, None when none is)."""
    newest = Course.objects.filter(family=OuterRef("family")).order_by("-version").values("pk")[:1]
    published = Course.objects.filter(family=OuterRef("family"), status=Course.Status.PUBLISHED).values("version")[:1]
    return (Course.objects.filter(courses_authorable_by(user))
            .annotate(newest_pk=Subquery(newest), published_version=Subquery(published))
            .filter(pk=F("newest_pk")).order_by("title", "pk"))


def courses_in_review(user: User) -> QuerySet[Course]:
    """Versions sent for review, oldest first (for reviewers; nobody else sees any)."""
    if not can_review(user):
        return Course.objects.none()
    return (Course.objects.filter(courses_authorable_by(user), status=Course.Status.REVIEW)
            .select_related("created_by").order_by("submitted_at"))


def modules_for_authoring(course: Course) -> QuerySet[Module]:
    """The course's modules in order, each with its quiz, its number of questions (`question_count`) and
    its activities (a fixed number of queries however many modules)."""
    return (course.modules.order_by("position", "pk").select_related("quiz")
            .annotate(question_count=Count("quiz__questions")).prefetch_related("activities"))


def quiz_with_question_count(module: Module) -> Quiz | None:
    return Quiz.objects.filter(module=module).annotate(question_count=Count("questions")).first()


def quiz_of_module(module: Module) -> Quiz | None:
    """The module's quiz (None until its settings are first saved), read fresh."""
    return Quiz.objects.filter(module=module).first()


# ------------------------------------------------------------------- access: loading a row for a person
# The one way a page loads a course, module, activity, quiz, question or attempt for a person (DESIGN.md
# point 16): a missing id, a malformed one and one she may not see all raise the same Http404.

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
AttemptUse = Literal["see", "submit"]


def parse_slug(raw: object) -> str | None:
    """A course's web address name from a URL, or None for anything else."""
    if not isinstance(raw, str) or len(raw) > (Course._meta.get_field("slug").max_length or 0):
        return None
    return raw if _SLUG.fullmatch(raw) else None


class CourseStudied(NamedTuple):
    course: Course
    enrolment: Enrolment | None


class ActivityStudied(NamedTuple):
    activity: Activity
    enrolment: Enrolment | None


def access_course(user: User, slug: object) -> CourseStudied:
    """The version of the course she studies (`course_for_learner`: the one she is enrolled in, else the
    published one; authors: else the newest), with her enrolment in it."""
    text = parse_slug(slug)
    course, enrolment = course_for_learner(user, text) if text else (None, None)
    if course is None:
        raise Http404
    return CourseStudied(course, enrolment)


def access_public_course(slug: object) -> Course:
    """The published version of the course, for a visitor (1 query by its indexed status and slug)."""
    text = parse_slug(slug)
    return found_or_404(Course.objects.filter(slug=text, status=Course.Status.PUBLISHED).first() if text else None)


def public_outline(course: Course) -> PublicOutline:
    """What anybody may read of a course: modules, their activities' titles, its sample video (cached)."""
    return outline_public(course)


def access_course_to_enrol(user: User, slug: object) -> Course:
    """The published version of the course, the one she may enrol in."""
    text = parse_slug(slug)
    return found_or_404(courses_visible(user).filter(slug=text, status=Course.Status.PUBLISHED).first()
                        if text else None)


def access_module(user: User, module_id: object) -> Module:
    """A module of a course she may open (`courses_visible_to`), with its course."""
    return row_or_404(modules_visible(user).select_related("course"), module_id)


def access_activity(user: User, activity_id: object) -> Activity:
    """An activity of a course she may open, with its module and course (1 query)."""
    return row_or_404(activities_visible(user).select_related("module__course"), activity_id)


def access_activity_to_study(user: User, activity_id: object) -> ActivityStudied:
    """The activity page's way in: the same rule as `access_activity`, checked on the activity's own course
    (`permissions.course_open_to`), with her enrolment in it. A published version's activity and module come
    from the cache (`outline.activity_with_course`: 1 query for the course row) and need no further query
    beyond her enrolment, which the page shows anyway."""
    pk = parse_pk(activity_id)
    activity = activity_with_course(pk) if pk else None
    if activity is None:
        raise Http404
    course = activity.module.course
    enrolment = enrolment_in(user, course)
    if not course_open_to(user, course, enrolment=enrolment):
        raise Http404
    return ActivityStudied(activity, enrolment)


def activity_by_code(user: User, code: object) -> Activity | None:
    """The activity with this short code (as printed or typed) in a course she may open, else None."""
    normalized = normalize_short_code(code) if isinstance(code, str) else ""
    return activities_visible(user).filter(short_code=normalized).only("pk").first() if normalized else None


def access_activity_by_code(user: User, code: object) -> Activity:
    """`activity_by_code`, as a 404 when there is none (only its id is loaded)."""
    return found_or_404(activity_by_code(user, code))


def access_quiz(user: User, quiz_id: object) -> Quiz:
    """The quiz of a module of a course she may open, with its module and course."""
    return row_or_404(quizzes_visible(user).select_related("module__course"), quiz_id)


def access_question(user: User, question_id: object) -> Question:
    """A question of a quiz she may open (its picture is served to her)."""
    return row_or_404(Question.objects.filter(quiz__in=quizzes_visible(user)), question_id)


def access_attempt(user: User, attempt_id: object, *, to: AttemptUse = "see") -> QuizAttempt:
    """One of her own quiz attempts (`attempts_of`): another person's is 404. `to="see"` loads its quiz,
    module, course and enrolment; `to="submit"` only its id and quiz id (the submitting service reads the
    whole attempt again under its lock)."""
    attempts = attempts_of(user)
    return row_or_404(attempts.only("pk", "quiz_id") if to == "submit"
                      else attempts.select_related("quiz__module__course", "enrolment"), attempt_id)


# The authoring pages (course authors and national admins: every version; everyone else: nothing). An
# author who may not review answers 403 on the reviewers' actions: the views ask `can_review` after these.

def _courses_for_authoring(user: User) -> QuerySet[Course]:
    return Course.objects.filter(courses_authorable_by(user))


def access_course_for_authoring(user: User, course_id: object) -> Course:
    """A version of a course she may author, with who made and who published it."""
    return row_or_404(_courses_for_authoring(user).select_related("created_by", "published_by"), course_id)


def access_module_for_authoring(user: User, module_id: object) -> Module:
    """A module of a course she may author, with its course."""
    return row_or_404(Module.objects.filter(course__in=_courses_for_authoring(user)).select_related("course"),
                      module_id)


def access_activity_for_authoring(user: User, activity_id: object) -> Activity:
    """An activity of a course she may author, with its module, course and video."""
    return row_or_404(Activity.objects.filter(module__course__in=_courses_for_authoring(user))
                      .select_related("module__course", "video"), activity_id)


def access_question_for_authoring(user: User, question_id: object) -> Question:
    """A question of a course she may author, with its quiz, module and course."""
    return row_or_404(Question.objects.filter(quiz__module__course__in=_courses_for_authoring(user))
                      .select_related("quiz__module__course"), question_id)


# ------------------------------------------------------------------------------- where she stands

@dataclass
class ModuleState:
    """A module for her: `unlocked` (module 1 always; module n+1 when module n is finished), `passed` (its quiz
    passed, or it has none), `activities_finished` (every activity done) and `finished` (unlocked, every activity
    done and its quiz passed: what the national course means by finishing a module)."""

    module: Module
    number: int
    unlocked: bool
    passed: bool
    quiz_id: int | None
    activity_ids: list[int] = field(default_factory=list)
    done_ids: set[int] = field(default_factory=set)
    finished: bool = False

    @property
    def activities_total(self) -> int:
        return len(self.activity_ids)

    @property
    def activities_done(self) -> int:
        return len(self.done_ids)

    @property
    def activities_finished(self) -> bool:
        return all(pk in self.done_ids for pk in self.activity_ids)

    @property
    def locked_reason(self) -> str:
        """Why it is closed ("finish module ১ — its activities and its quiz — to open this")."""
        return locked_reason(self.number - 1) if not self.unlocked else ""


class Standing(NamedTuple):
    """Where she stands in one module (see `ModuleState`)."""

    module_id: int
    quiz_id: int | None
    unlocked: bool
    passed: bool
    activities_finished: bool
    finished: bool


def _standings(rows: list[tuple[int, int | None, list[int]]], passed: set[int], done: set[int]) -> list[Standing]:
    """Each module in course order: module 1 is always open; each next one opens when the one before it is
    finished, that is open, every activity done and its quiz passed (a module without a quiz needs only its
    activities; one without activities only its quiz)."""
    out = []
    previous_finished = True
    for module_id, quiz_id, activity_ids in rows:
        unlocked = previous_finished
        is_passed = unlocked and (quiz_id is None or quiz_id in passed)
        all_done = all(pk in done for pk in activity_ids)
        finished = is_passed and all_done
        out.append(Standing(module_id, quiz_id, unlocked, is_passed, all_done, finished))
        previous_finished = finished
    return out


def _marks(enrolment_ids: list[int]) -> list[tuple[int, int, int]]:
    """(kind, enrolment id, id) of these enrolments' passed quizzes (kind 0) and done activities (kind 1), in one
    round trip."""
    quizzes = (QuizAttempt.objects.filter(enrolment__in=enrolment_ids, passed=True).order_by()
               .values_list(Value(0, output_field=IntegerField()), "enrolment_id", "quiz_id"))
    activities = (ActivityProgress.objects.filter(enrolment__in=enrolment_ids, done_at__isnull=False).order_by()
                  .values_list(Value(1, output_field=IntegerField()), "enrolment_id", "activity_id"))
    return list(quizzes.union(activities, all=True))


def finished_modules_of(enrolments: list[Enrolment]) -> dict[int, list[tuple[Module, list[int]]]]:
    """For each enrolment (its course loaded), the modules she has finished, in course order, each with its
    activity ids: one round trip for all their marks, the outlines from the cache. For practice's nudges."""
    if not enrolments:
        return {}
    passed: dict[int, set[int]] = {}
    done: dict[int, set[int]] = {}
    for kind, enrolment_id, pk in _marks([e.pk for e in enrolments]):
        (passed if kind == 0 else done).setdefault(enrolment_id, set()).add(pk)
    finished: dict[int, list[tuple[Module, list[int]]]] = {}
    for enrolment in enrolments:
        outline = course_outline(enrolment.course)
        rows = [(m.pk, quiz_id_of(m), outline.activity_ids.get(m.pk, [])) for m in outline.modules]
        standings = _standings(rows, passed.get(enrolment.pk, set()), done.get(enrolment.pk, set()))
        finished[enrolment.pk] = [(module, row[2]) for module, row, standing
                                  in zip(outline.modules, rows, standings, strict=True) if standing.finished]
    return finished


def her_marks(enrolment: Enrolment) -> tuple[set[int], set[int]]:
    """Her passed quiz ids and her done activity ids (1 query)."""
    passed: set[int] = set()
    done: set[int] = set()
    for kind, _enrolment, pk in _marks([enrolment.pk]):
        (passed if kind == 0 else done).add(pk)
    return passed, done


def module_standings(enrolment: Enrolment) -> list[Standing]:
    """Each module of her course version for her (the outline from the cache when a page put it there; 1
    query for her marks)."""
    passed, done = her_marks(enrolment)
    return _standings(outline_rows(enrolment.course_id), passed, done)


def unlocked_module_ids(enrolment: Enrolment) -> set[int]:
    return {s.module_id for s in module_standings(enrolment) if s.unlocked}


def module_locked_reason(enrolment: Enrolment, module: Module) -> str:
    """Why this module (its course loaded) is closed to her ("finish module ১ …"), or "" when it is open. The
    course's outline is read through `course_outline`, so a published one is cached for what follows."""
    for state in course_module_states(module.course, enrolment):
        if state.module.pk == module.pk:
            return state.locked_reason
    return ""


def course_finished(enrolment: Enrolment) -> bool:
    """Every module of her course finished (and there is at least one)."""
    standings = module_standings(enrolment)
    return bool(standings) and all(s.finished for s in standings)


def course_module_states(course: Course, enrolment: Enrolment | None) -> list[ModuleState]:
    """Each module of the course with its lock, pass, done and finished state for her (the outline from the
    cache for a published course, else 2 queries; 1 more for her passed quizzes and done activities)."""
    outline = course_outline(course)
    modules = outline.modules
    activity_ids = outline.activity_ids
    passed: set[int] = set()
    done: set[int] = set()
    if enrolment is not None:
        passed, done = her_marks(enrolment)
    rows = _standings([(m.pk, quiz_id_of(m), activity_ids[m.pk]) for m in modules], passed, done)
    enrolled = enrolment is not None
    return [ModuleState(module=m, number=i + 1, unlocked=row.unlocked, passed=row.passed and enrolled,
                        quiz_id=row.quiz_id, activity_ids=activity_ids[m.pk],
                        done_ids={pk for pk in activity_ids[m.pk] if pk in done}, finished=row.finished and enrolled)
            for i, (m, row) in enumerate(zip(modules, rows, strict=True))]


def module_states(enrolment: Enrolment) -> list[ModuleState]:
    return course_module_states(enrolment.course, enrolment)


def next_step_url(states: list[ModuleState], enrolment: Enrolment | None, course: Course) -> str:
    """Where she left off: her last activity if not done yet, else the first unfinished activity or
    quiz of the open modules, else the course page."""
    open_activity_ids = {pk for s in states if s.unlocked for pk in s.activity_ids}
    if enrolment is not None and enrolment.last_activity_id in open_activity_ids:
        done = {pk for s in states for pk in s.done_ids}
        if enrolment.last_activity_id not in done:
            return reverse("courses:activity", kwargs={"pk": enrolment.last_activity_id})
    for state in states:
        if not state.unlocked:
            break
        if state.finished:
            continue
        for activity_id in state.activity_ids:
            if activity_id not in state.done_ids:
                return reverse("courses:activity", kwargs={"pk": activity_id})
        if state.quiz_id is not None:
            return reverse("courses:quiz", kwargs={"pk": state.quiz_id})
    return reverse("courses:detail", kwargs={"slug": course.slug})


def continue_url(enrolment: Enrolment) -> str:
    return next_step_url(module_states(enrolment), enrolment, enrolment.course)


@dataclass
class LearnerEnrolment:
    enrolment: Enrolment
    title: str
    slug: str
    modules_passed: int
    modules_total: int
    next_url: str
    completed: bool


def learner_enrolments(user: User) -> list[LearnerEnrolment]:
    """Her enrolments with progress by module, `modules_passed` counting the modules she finished (activities
    done and quiz passed) (4 queries, however many courses she studies)."""
    enrolments = list(Enrolment.objects.filter(user=user).select_related("course").order_by("-enrolled_at"))
    if not enrolments:
        return []
    rows: dict[int, list[tuple[int, int | None, list[int]]]] = {e.course_id: [] for e in enrolments}
    activity_ids: dict[int, list[int]] = {}
    for course_id, module_id, quiz_id in (Module.objects.filter(course_id__in=list(rows))
                                          .order_by("course_id", "position", "pk")
                                          .values_list("course_id", "pk", "quiz__id")):
        activity_ids[module_id] = []
        rows[course_id].append((module_id, quiz_id, activity_ids[module_id]))
    for module_id, activity_id in (Activity.objects.filter(module__course_id__in=list(rows))
                                   .order_by("position", "pk").values_list("module_id", "pk")):
        activity_ids[module_id].append(activity_id)
    passed: dict[int, set[int]] = {e.pk: set() for e in enrolments}
    done: dict[int, set[int]] = {e.pk: set() for e in enrolments}
    for kind, enrolment_id, pk in _marks([e.pk for e in enrolments]):
        (passed if kind == 0 else done)[enrolment_id].add(pk)
    out = []
    for e in enrolments:
        standings = _standings(rows[e.course_id], passed[e.pk], done[e.pk])
        out.append(LearnerEnrolment(
            enrolment=e, title=e.course.title, slug=e.course.slug,
            modules_passed=sum(1 for s in standings if s.finished), modules_total=len(standings),
            next_url=reverse("courses:continue", kwargs={"slug": e.course.slug}),
            completed=e.completed_at is not None))
    return out


# ---------------------------------------------------------------------------------------- a quiz for her

# Why a quiz cannot be taken at all now (an attempt she left open cannot be continued either).
GATE_CODES = frozenset({"not_enrolled", "locked", "activities_not_done"})


@dataclass
class QuizState:
    quiz: Quiz
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    attempts_used: int
    attempts_left: int | None
    best_score: int | None
    passed: bool
    unlocked: bool
    wait_until: dt.datetime | None
    blocked_code: str
    blocked_reason: str
    activities_finished: bool = True

    @property
    def can_continue(self) -> bool:
        return self.open_attempt is not None and self.blocked_code not in GATE_CODES

    @property
    def can_start(self) -> bool:
        return self.can_continue or not self.blocked_code


def locked_reason(number: int) -> str:
    """Why module `number` + 1 is closed: module `number` is not finished."""
    return _("Finish module %(number)s — its activities and its quiz — to open this.") % {
        "number": format_number(number)}


def activities_first_reason(done: int, total: int) -> str:
    return _("Do every activity of this module first: %(done)s of %(total)s done. Then the quiz opens.") % {
        "done": format_number(done), "total": format_number(total)}


def quiz_gate(enrolment: Enrolment, module_id: int) -> tuple[str, str, Standing | None]:
    """(code, sentence, her standing in the module) when the module's quiz may not be taken ("locked",
    "activities_not_done"), else ("", "", standing). 1 query besides the outline."""
    passed, done = her_marks(enrolment)
    rows = outline_rows(enrolment.course_id)
    for index, standing in enumerate(_standings(rows, passed, done)):
        if standing.module_id != module_id:
            continue
        if not standing.unlocked:
            return "locked", locked_reason(index), standing
        if not standing.activities_finished:
            ids = rows[index][2]
            return ("activities_not_done", activities_first_reason(sum(1 for pk in ids if pk in done), len(ids)),
                    standing)
        return "", "", standing
    return "locked", _("This quiz is not part of your course."), None


def quiz_state(enrolment: Enrolment | None, quiz: Quiz, *, now: dt.datetime | None = None) -> QuizState:
    """Her attempts of the quiz and whether she may start (or continue) one now, and if not, why: the module
    must be open (the module before it finished) and its activities all done."""
    now = now or timezone.now()
    attempts = (list(QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz).order_by("-number"))
                if enrolment is not None else [])
    open_attempt = next((a for a in attempts if a.submitted_at is None
                         and (a.expires_at is None or a.expires_at > now)), None)
    submitted = [a for a in attempts if a.submitted_at is not None]
    scores = [a.score_percent for a in submitted if a.score_percent is not None]
    used = len(attempts)
    left = max(quiz.max_attempts - used, 0) if quiz.max_attempts else None
    passed = any(a.passed for a in submitted)
    gate_code, gate_reason, standing = quiz_gate(enrolment, quiz.module_id) if enrolment is not None else ("", "", None)
    unlocked = standing is not None and standing.unlocked
    wait_until = None
    if submitted and quiz.retake_wait_minutes:
        last = max(a.submitted_at for a in submitted if a.submitted_at is not None)
        wait_until = last + dt.timedelta(minutes=quiz.retake_wait_minutes)
        if wait_until <= now:
            wait_until = None
    code, reason = "", ""
    if enrolment is None:
        code, reason = "not_enrolled", _("Enrol in this course first.")
    elif gate_code:
        code, reason = gate_code, gate_reason
    elif left == 0:
        code, reason = "no_attempts_left", _("You have used all your attempts at this quiz.")
    elif wait_until is not None:
        minutes = math.ceil((wait_until - now).total_seconds() / 60)
        code = "wait"
        reason = _("You can try again in %(minutes)s minutes.") % {"minutes": format_number(minutes)}
    return QuizState(quiz=quiz, attempts=attempts, open_attempt=open_attempt, attempts_used=used, attempts_left=left,
                     best_score=max(scores) if scores else None, passed=passed, unlocked=unlocked,
                     wait_until=wait_until, blocked_code=code, blocked_reason=reason,
                     activities_finished=standing is not None and standing.activities_finished)


def attempt_questions(attempt: QuizAttempt) -> list[tuple[Question, list[Choice]]]:
    """The attempt's questions in the order shown, each with its choices in the order shown (2 queries)."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")}
    out: list[tuple[Question, list[Choice]]] = []
    for pk in attempt.question_ids:
        question = questions.get(pk)
        if question is None:  # removed since (a draft cannot change a published version, but be safe)
            continue
        by_id = {c.pk: c for c in question.choices.all()}
        order = attempt.choice_order.get(str(pk), [])
        choices = [by_id[c] for c in order if c in by_id] + [c for c in by_id.values() if c.pk not in order]
        out.append((question, choices))
    return out


def answer_key(question: Question) -> scoring.AnswerKey:
    """What makes an answer to this question right (its choices loaded), for `scoring`."""
    if question.kind == Question.Kind.NUMERIC:
        return scoring.AnswerKey(kind=scoring.NUMERIC, numeric_answer=question.numeric_answer,
                                 numeric_tolerance=question.numeric_tolerance or Decimal(0))
    return scoring.AnswerKey(kind=question.kind,
                             correct_choice_ids=frozenset(c.pk for c in question.choices.all() if c.is_correct))


@dataclass
class AnswerFeedback:
    question: Question
    choices: list[Choice]
    chosen_ids: set[int]
    values: list[str]
    correct: bool
    correct_number: str = ""


def attempt_feedback(attempt: QuizAttempt) -> list[AnswerFeedback]:
    """After submission: each question with her answer, whether it was right, and the right answer."""
    out = []
    for question, choices in attempt_questions(attempt):
        values = [str(v) for v in (attempt.answers or {}).get(str(question.pk), [])]
        chosen = {int(v) for v in values if v.isdigit()} if question.kind != Question.Kind.NUMERIC else set()
        out.append(AnswerFeedback(question=question, choices=choices, chosen_ids=chosen, values=values,
                                  correct=scoring.is_correct(answer_key(question), values),
                                  correct_number=plain_number(question.numeric_answer)))
    return out


def enrolled_families(user: User, families: list[Any]) -> set[Any]:
    """Which of these course families she is enrolled in (one query)."""
    return set(Enrolment.objects.filter(user=user, family__in=families).values_list("family", flat=True))


def plain_number(value: Decimal | None) -> str:
    """12.000 → "12", 12.500 → "12.5" (never an exponent)."""
    return "" if value is None else format(value.normalize(), "f")


def completed_enrolment(enrolment_id: int) -> Enrolment | None:
    """A completed enrolment with its learner and course loaded (None when missing or not completed):
    what `certificates` issues a certificate from."""
    return (Enrolment.objects.select_related("user", "course")
            .filter(pk=enrolment_id, completed_at__isnull=False).first())


def enrolments_completed_before(moment: dt.datetime) -> QuerySet[Enrolment]:
    """Enrolments completed before this moment, oldest completion first."""
    return (Enrolment.objects.filter(completed_at__isnull=False, completed_at__lt=moment)
            .order_by("completed_at", "pk"))


def area_enrolments(area: Q, *, completed: bool | None = None, school_id: int | None = None,
                    upazila_id: int | None = None) -> QuerySet[Enrolment]:
    """Enrolments placed in an area (`area`: a Scope filter such as `headed_or_overseen_q()`, on the enrolment's
    own indexed place ids), with learner and course, newest first; `completed` keeps the completed (True) or the
    unfinished (False) ones, ordered by completion for the completed. For the API's officers' lists."""
    enrolments = Enrolment.objects.filter(area).select_related("user", "course")
    if school_id is not None:
        enrolments = enrolments.filter(school_id=school_id)
    if upazila_id is not None:
        enrolments = enrolments.filter(upazila_id=upazila_id)
    if completed is None:
        return enrolments.order_by("-enrolled_at", "-pk")
    if completed:
        return enrolments.filter(completed_at__isnull=False).order_by("-completed_at", "-pk")
    return enrolments.filter(completed_at__isnull=True).order_by("-enrolled_at", "-pk")


# ------------------------------------------------------------------------------ for the home page (insights)

def learner_counts_in(area: Q) -> tuple[int, int]:
    """(people enrolled in any course, people who completed one) among enrolments placed in `area` (a `Scope`
    place filter): the "enrolled" and "completed" stages of the home page's funnel; one query."""
    counts = Enrolment.objects.filter(area).aggregate(
        enrolled=Count("user_id", distinct=True),
        completed=Count("user_id", distinct=True, filter=Q(completed_at__isnull=False)))
    return counts["enrolled"] or 0, counts["completed"] or 0


@dataclass
class CoursePosition:
    """Where she stands in the course she studies now, and the one page to open next (`next_url`: an activity,
    a quiz, or the course page when nothing is left to open). `next_kind` is "activity", "quiz" or "course";
    `next_title` the activity's title, or the quiz's module title."""

    enrolment: Enrolment
    course: Course
    module: Module | None          # the first open module not finished yet
    module_number: int
    modules_finished: int
    modules_total: int
    percent: int                   # activities done and quizzes passed, of all of them
    next_url: str
    next_kind: str
    next_title: str


def course_position(user: User) -> CoursePosition | None:
    """The course she studied last among those not completed yet, with her place in it (None when she has
    none): 1 query for the enrolment, the outline from the cache (else 2), 1 for her progress and 1 for the
    next activity's course row. Progress and the next step are the course pages' own (`course_module_states`,
    `next_step_url`), so the home page and the course agree."""
    from django.urls import Resolver404, resolve

    enrolment = (Enrolment.objects.filter(user_id=user.pk, completed_at__isnull=True).select_related("course")
                 .order_by(F("last_seen_at").desc(nulls_last=True), "-enrolled_at", "-pk").first())
    if enrolment is None:
        return None
    course = enrolment.course
    states = course_module_states(course, enrolment)
    url = next_step_url(states, enrolment, course)
    kind, title = "course", course.title
    try:
        match = resolve(url)
    except Resolver404:  # pragma: no cover - next_step_url answers our own addresses
        match = None
    if match is not None and match.url_name == "activity":
        activity = activity_with_course(int(match.kwargs["pk"]))
        kind, title = "activity", activity.title if activity is not None else ""
    elif match is not None and match.url_name == "quiz":
        pk = int(match.kwargs["pk"])
        kind = "quiz"
        title = next((s.module.title for s in states if s.quiz_id == pk), "")

    def finished(s: ModuleState) -> bool:  # open, every activity done, its quiz (if any) passed
        return s.unlocked and s.passed and s.activities_done >= s.activities_total

    current = next((s for s in states if s.unlocked and not finished(s)), None)
    steps = sum(s.activities_total + (s.quiz_id is not None) for s in states)
    done = sum(s.activities_done + (s.quiz_id is not None and s.passed) for s in states)
    return CoursePosition(
        enrolment=enrolment, course=course, module=current.module if current else None,
        module_number=current.number if current else len(states),
        modules_finished=sum(1 for s in states if finished(s)), modules_total=len(states),
        percent=(100 * done // steps) if steps else 0, next_url=url, next_kind=kind, next_title=title)


def courses_to_recommend(user: User, *, limit: int = 3) -> list[Course]:
    """Published courses she is not enrolled in (any version), for her home page; one query."""
    mine = Enrolment.objects.filter(user_id=user.pk).values("family")
    return list(published_catalogue().exclude(family__in=mine)[:limit])


def course_activities(course: Course) -> QuerySet[Activity]:
    """The course's activities in course order (module, then activity), their outline columns only: what the
    API lists under each module (1 query)."""
    return (Activity.objects.filter(module__course=course)
            .only("pk", "module_id", "position", "title", "summary", "duration_minutes", "short_code")
            .order_by("module__position", "module_id", "position", "pk"))


# ---------------------------------------------------------------- area progress (insights.progress)


def learner_counts_by_place(level: str, ids: list[int]) -> dict[int, tuple[int, int]]:
    """(people enrolled, people who completed) by the enrolment's `level` place id, for these ids: one grouped
    query on the indexed place column (the same rule as `learner_counts_in`)."""
    from shikhon.people.selectors import place_column

    column = place_column(level)
    rows = (Enrolment.objects.filter(**{f"{column}__in": list(ids)}).values(column)
            .annotate(enrolled=Count("user_id", distinct=True),
                      completed=Count("user_id", distinct=True, filter=Q(completed_at__isnull=False)))
            .order_by().values_list(column, "enrolled", "completed"))
    return {place_id: (enrolled, completed) for place_id, enrolled, completed in rows}


def learner_user_ids_in(area: Q, *, completed: bool = False) -> QuerySet[Enrolment, int]:
    """Ids of the people enrolled in (or, with `completed`, who completed) a course, their enrolment placed in
    `area`, for a subquery."""
    enrolments = Enrolment.objects.filter(area)
    if completed:
        enrolments = enrolments.filter(completed_at__isnull=False)
    return enrolments.values_list("user_id", flat=True)


@dataclass(frozen=True)
class CourseProgress:
    """One teacher's standing in one course, for a supervisor's list: `percent` counts activities done and
    quizzes passed of all of them (as `course_position` does; 100 once completed)."""

    enrolment_id: int
    title: str
    slug: str
    percent: int
    enrolled_at: dt.datetime
    last_seen_at: dt.datetime | None
    completed_at: dt.datetime | None


def course_progress_of(user_ids: list[int]) -> dict[int, list[CourseProgress]]:
    """Each person's enrolments with their progress, the course she studied last first; three queries
    whatever the number of people and courses (her enrolments, the steps of each course, her steps done)."""
    rows = list(Enrolment.objects.filter(user_id__in=list(user_ids))
                .order_by(F("last_seen_at").desc(nulls_last=True), "-enrolled_at", "-pk")
                .values_list("pk", "user_id", "course_id", "course__title", "course__slug", "enrolled_at",
                             "last_seen_at", "completed_at"))
    if not rows:
        return {}
    course_ids = sorted({row[2] for row in rows})
    one = Value(1, output_field=IntegerField())
    zero = Value(0, output_field=IntegerField())
    steps: dict[int, int] = dict.fromkeys(course_ids, 0)
    activities = (Activity.objects.filter(module__course_id__in=course_ids).values("module__course_id")
                  .annotate(n=Count("pk")).order_by().values_list(zero, "module__course_id", "n"))
    quizzes = (Quiz.objects.filter(module__course_id__in=course_ids).values("module__course_id")
               .annotate(n=Count("pk")).order_by().values_list(one, "module__course_id", "n"))
    for _kind, course_id, n in activities.union(quizzes, all=True):
        steps[course_id] += n
    enrolment_ids = [row[0] for row in rows]
    done: dict[int, int] = dict.fromkeys(enrolment_ids, 0)
    activities_done = (ActivityProgress.objects.filter(enrolment_id__in=enrolment_ids, done_at__isnull=False)
                       .values("enrolment_id").annotate(n=Count("activity_id", distinct=True)).order_by()
                       .values_list(zero, "enrolment_id", "n"))
    quizzes_passed = (QuizAttempt.objects.filter(enrolment_id__in=enrolment_ids, passed=True)
                      .values("enrolment_id").annotate(n=Count("quiz_id", distinct=True)).order_by()
                      .values_list(one, "enrolment_id", "n"))
    for _kind, enrolment_id, n in activities_done.union(quizzes_passed, all=True):
        done[enrolment_id] += n
    out: dict[int, list[CourseProgress]] = {}
    for pk, user_id, course_id, title, slug, enrolled_at, last_seen_at, completed_at in rows:
        total = steps[course_id]
        percent = 100 if completed_at is not None else (min(100 * done[pk] // total, 100) if total else 0)
        out.setdefault(user_id, []).append(CourseProgress(
            enrolment_id=pk, title=title, slug=slug, percent=percent, enrolled_at=enrolled_at,
            last_seen_at=last_seen_at, completed_at=completed_at))
    return out
