"""Area progress for supervisors: division → district → upazila → school → teacher.

Each level lists the places one level down with five counts (teachers, enrolled, completed, certified,
trained face to face), read in ONE grouped query per measure on the indexed place ids of the rows
(`core.PlaceScopedModel`: Enrolment, Certificate, Invitation; a Role's place columns), whatever the number of
rows. A school lists its teachers with each one's course progress, last study day (Dhaka), certificate and
training. The counts mean what the home page's funnel means (funnel contract): distinct people, cumulative,
any course or programme.

Who sees what (decided from `people.scope`, like certificates' rule): a head teacher her school; officers and
mentors their upazila, district or division; national admins and national mentors everything. A researcher
sees the counts of every area down to an upazila's schools, but never a teacher's name (a school's teachers,
a teacher and a stage list answer 404), as researchers see no one's certificate today. Everything outside a
person's area answers 404, as if it did not exist.

The later dashboards issue builds on `counts_by_place`, `area_counts` and `teacher_rows`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.certificates.selectors import (
    certified_count_in,
    certified_counts_by_place,
    certified_user_ids_in,
    course_certificates_of,
)
from shikhon.core.access import parse_pk
from shikhon.core.clock import dhaka_date
from shikhon.courses.selectors import (
    CourseProgress,
    course_progress_of,
    learner_counts_by_place,
    learner_counts_in,
    learner_user_ids_in,
)
from shikhon.people.scope import Scope, everything_q, user_scope
from shikhon.people.selectors import (
    current_school_roles_of,
    people_by_name,
    placements_of,
    school_teachers_now,
    teacher_count_in,
    teacher_counts_by_place,
    teacher_user_ids_in,
)
from shikhon.places import selectors as places
from shikhon.training.selectors import (
    TrainingStanding,
    trained_count_in,
    trained_counts_by_place,
    trained_user_ids_in,
    training_standing_of,
)

if TYPE_CHECKING:
    from shikhon.certificates.models import Certificate
    from shikhon.people.models import User

LEVELS: tuple[str, ...] = ("division", "district", "upazila", "school")
CHILD_LEVEL: dict[str, str] = {"national": "division", "division": "district", "district": "upazila",
                               "upazila": "school"}
STAGES: tuple[str, ...] = ("teachers", "enrolled", "completed", "certified", "trained")
# A teacher's standing, furthest last: what `?sort=status` orders by.
STANDINGS: tuple[str, ...] = ("not_started", "enrolled", "completed", "certified", "trained")
SORTS: tuple[str, ...] = ("name", "progress", "activity", "status")

STAGE_LABELS = {"teachers": _("Teachers"), "enrolled": _("Enrolled"), "completed": _("Completed"),
                "certified": _("Certified"), "trained": _("Trained face to face")}
STAGE_TITLES = {"teachers": _("Teachers"), "enrolled": _("Teachers enrolled in a course"),
                "completed": _("Teachers who completed a course"),
                "certified": _("Teachers holding a course certificate"),
                "trained": _("Teachers trained face to face")}
STANDING_LABELS = {"not_started": _("Not started"), "enrolled": _("Studying"), "completed": _("Course completed"),
                   "certified": _("Certified"), "trained": _("Trained face to face")}
TRAINING_LABELS = {"trained": _("Trained face to face"), "accepted": _("Training place accepted"),
                   "invited": _("Invited to training"), "declined": _("Declined the training")}
SORT_LABELS = {"name": _("Name"), "progress": _("Progress"), "activity": _("Last studied"), "status": _("Stage")}
LEVEL_TITLES = {"national": _("Divisions"), "division": _("Districts"), "district": _("Upazilas"),
                "upazila": _("Schools"), "mine": _("Your schools and areas")}


# ---------------------------------------------------------------------------------------------- counts

@dataclass(frozen=True)
class Counts:
    """Distinct people at each stage of the funnel, cumulative (a certified teacher is also enrolled)."""

    teachers: int = 0
    enrolled: int = 0
    completed: int = 0
    certified: int = 0
    trained: int = 0

    def by_stage(self) -> list[tuple[str, str, int]]:
        """(stage, label, count) in funnel order."""
        return [(stage, str(STAGE_LABELS[stage]), getattr(self, stage)) for stage in STAGES]


def counts_by_place(level: str, ids: Iterable[int]) -> dict[int, Counts]:
    """The five counts of each place (`level`: school, upazila, district or division) among these ids: four
    grouped queries (roles, enrolments, certificates, invitations) whatever the number of places; none for
    no ids."""
    wanted = list(ids)
    if not wanted:
        return {}
    teachers = teacher_counts_by_place(level, wanted)
    learners = learner_counts_by_place(level, wanted)
    certified = certified_counts_by_place(level, wanted)
    trained = trained_counts_by_place(level, wanted)
    return {pk: Counts(teachers=teachers.get(pk, 0), enrolled=learners.get(pk, (0, 0))[0],
                       completed=learners.get(pk, (0, 0))[1], certified=certified.get(pk, 0),
                       trained=trained.get(pk, 0))
            for pk in wanted}


def area_counts(area: Q) -> Counts:
    """The five counts over a whole area (a `Scope` place filter): four queries, the home funnel's own."""
    enrolled, completed = learner_counts_in(area)
    return Counts(teachers=teacher_count_in(area), enrolled=enrolled, completed=completed,
                  certified=certified_count_in(area), trained=trained_count_in(area))


def stage_user_ids(stage: str, area: Q) -> Any:
    """Ids of the people at `stage` in the area, for a subquery (ValueError for an unknown stage)."""
    if stage == "teachers":
        return teacher_user_ids_in(area)
    if stage in ("enrolled", "completed"):
        return learner_user_ids_in(area, completed=stage == "completed")
    if stage == "certified":
        return certified_user_ids_in(area)
    if stage == "trained":
        return trained_user_ids_in(area)
    raise ValueError(f"Unknown stage {stage!r}")


def parse_stage(raw: object) -> str | None:
    """A stage named in the query string, or None (missing or unknown: the page shows everyone)."""
    text = str(raw or "").strip()
    return text if text in STAGES else None


# ---------------------------------------------------------------------------------------------- who may see

def sees_names(scope: Scope) -> bool:
    """Whether this person supervises anyone: she heads a school or oversees an area (or everything)."""
    return bool(scope.is_national or scope.head_school_ids or scope.upazila_ids or scope.district_ids
                or scope.division_ids)


def sees_progress(scope: Scope) -> bool:
    """Whether `/progress/` is there for this person at all (researchers: the counts)."""
    return sees_names(scope) or scope.is_researcher


def _holds(scope: Scope, *, school_id: int | None = None, upazila_id: int | None = None,
           district_id: int | None = None, division_id: int | None = None) -> bool:
    """The place lies in a school she heads or an area she oversees (officer or mentor; national: all)."""
    return (school_id is not None and scope.is_head_teacher_of(school_id)) or scope.oversees(
        upazila_id=upazila_id, district_id=district_id, division_id=division_id)


def place_ids(level: str, place: Any) -> dict[str, int | None]:
    """The school/upazila/district/division ids of a place at `level` (the wider ones from its columns)."""
    ids: dict[str, int | None] = {"school_id": None, "upazila_id": None, "district_id": None, "division_id": None}
    ids[f"{level}_id"] = place.pk
    for wider in LEVELS[:LEVELS.index(level)]:
        ids[f"{wider}_id"] = getattr(place, f"{wider}_id", None)
    return ids


def sees_names_at(scope: Scope, level: str, place: Any) -> bool:
    """May this person see the teachers (by name) of this place?"""
    return _holds(scope, **place_ids(level, place))


def sees_counts_at(scope: Scope, level: str, place: Any) -> bool:
    """May this person see the counts of this place? Researchers: every area (not a school's own page)."""
    return sees_names_at(scope, level, place) or (scope.is_researcher and level != "school")


def area_of(scope: Scope) -> Q:
    """The rows of her whole area: the schools she heads and the areas she oversees (the home funnel's area)."""
    if scope.is_researcher and not scope.is_national:
        return everything_q()
    return scope.headed_or_overseen_q()


def _get(level: str, raw: object) -> Any:
    """The place at `level` with this id (EIIN for a school), else None."""
    if level == "school":
        eiin = places.parse_eiin(raw)
        return places.school_get(eiin) if eiin else None
    pk = parse_pk(raw)
    if pk is None:
        return None
    getter = {"division": places.division_get, "district": places.district_get, "upazila": places.upazila_get}
    return getter[level](pk)


def access_place(user: User, level: object, raw_id: object, *, names: bool = False) -> Any:
    """The one way a progress page loads a place: the division, district, upazila or school (by EIIN) with this
    id, if this person may see its counts (with `names`, its teachers). Unknown level, malformed or missing id
    and a place outside her area are the same 404."""
    if level not in LEVELS:
        raise Http404
    place = _get(str(level), raw_id)
    scope = user_scope(user)
    allowed = sees_names_at if names else sees_counts_at
    if place is None or not allowed(scope, str(level), place):
        raise Http404
    return place


def access_area(user: User, *, school_id: int | None = None, upazila_id: int | None = None) -> Q:
    """The rows whose people this person may see by name — the schools she heads and the areas she oversees
    (`area_of`) — as a place filter, narrowed to a school or an upazila (by id) where she may see names, as the
    progress pages decide (`sees_names_at`). Someone who supervises no one (a teacher, a researcher) and a school
    or upazila outside her area, or missing, are the same 404. The API's area lists load their area here."""
    scope = user_scope(user)
    if not sees_names(scope):
        raise Http404
    area = area_of(scope)
    if upazila_id is not None:
        upazila = places.upazila_get(upazila_id)
        if upazila is None or not sees_names_at(scope, "upazila", upazila):
            raise Http404
        area &= Q(upazila_id=upazila.pk)
    if school_id is not None:
        school = places.schools_by_ids([school_id]).first()
        if school is None or not sees_names_at(scope, "school", school):
            raise Http404
        area &= Q(school_id=school.pk)
    return area


def access_teacher(user: User, raw_id: object) -> tuple[User, list[Any]]:
    """A person with a current teacher or head-teacher role at a school this person may see the teachers of,
    and those schools; one query. Anyone else (or a malformed id) is a 404."""
    scope = user_scope(user)
    roles = current_school_roles_of(parse_pk(raw_id))
    schools = [r.school for r in roles if r.school is not None
               and _holds(scope, school_id=r.school_id, upazila_id=r.upazila_id, district_id=r.district_id,
                          division_id=r.division_id)]
    if not schools:
        raise Http404
    return roles[0].user, list({s.pk: s for s in schools}.values())


# ---------------------------------------------------------------------------------------------- places

def place_url(level: str, place: Any) -> str:
    key = place.eiin if level == "school" else place.pk
    return reverse("insights:progress_place", kwargs={"level": level, "pk": key})


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str | None


def crumbs(scope: Scope, level: str, place: Any) -> list[Crumb]:
    """The wider places of this one, each linked when this person may open its page."""
    chain: list[tuple[str, Any]] = []
    if level == "school":
        chain = [("division", place.division), ("district", place.district), ("upazila", place.upazila)]
    elif level == "upazila":
        chain = [("division", place.division), ("district", place.district)]
    elif level == "district":
        chain = [("division", place.division)]
    out = []
    for wider, obj in chain:
        out.append(Crumb(str(obj), place_url(wider, obj) if sees_counts_at(scope, wider, obj) else None))
    return out


def children_of(level: str, place: Any) -> Any:
    """The places one level down, by name (a queryset to paginate): divisions of the country, districts of a
    division, upazilas of a district (with `school_count`), open schools of an upazila."""
    if level == "national":
        return places.divisions()
    if level == "division":
        return places.districts_of(place)
    if level == "district":
        return places.upazilas_with_school_counts(place)
    if level == "upazila":
        return places.upazila_schools(place)
    raise ValueError(f"No places below {level!r}")


@dataclass(frozen=True)
class PlaceRow:
    level: str
    place: Any
    url: str | None
    counts: Counts


def place_rows(scope: Scope, level: str, places_shown: Sequence[Any]) -> list[PlaceRow]:
    """A row per place (all of one `level`) with its counts (`counts_by_place`: four queries)."""
    counts = counts_by_place(level, [p.pk for p in places_shown])
    return [PlaceRow(level=level, place=p,
                     url=place_url(level, p) if (level != "school" or sees_names_at(scope, level, p)) else None,
                     counts=counts[p.pk])
            for p in places_shown]


def landing(scope: Scope) -> tuple[str, Any] | list[PlaceRow] | None:
    """Where `/progress/` opens for this person: ("national", None) for national people and researchers; the one
    place she heads or oversees as (level, place); the rows of her places when she holds several; None when she
    holds none (a teacher, a course author)."""
    if scope.is_national or scope.is_researcher:
        return ("national", None)
    held: list[tuple[str, list[Any]]] = []
    for level, ids in (("division", scope.division_ids), ("district", scope.district_ids),
                       ("upazila", scope.upazila_ids), ("school", scope.head_school_ids)):
        if ids:
            found = (list(places.schools_by_ids(ids).select_related("district", "division")) if level == "school"
                     else list(places.areas_by_ids(level, ids)))
            if found:
                held.append((level, sorted(found, key=str)))
    if not held:
        return None
    if len(held) == 1 and len(held[0][1]) == 1:
        return (held[0][0], held[0][1][0])
    rows: list[PlaceRow] = []
    for level, found in held:
        rows.extend(place_rows(scope, level, found))
    return rows


# ---------------------------------------------------------------------------------------------- teachers

@dataclass(frozen=True)
class TeacherRow:
    """One teacher as a supervisor sees her: the course she studied last (`course`), how many she is in, the
    day she last studied (Dhaka), her newest course certificate, her furthest training and her standing."""

    user: User
    is_head: bool
    course: CourseProgress | None
    courses: int
    last_studied: dt.date | None
    certificate: Certificate | None
    training: TrainingStanding | None
    standing: str
    school_name: str = ""

    @property
    def percent(self) -> int:
        return self.course.percent if self.course is not None else 0

    @property
    def rank(self) -> int:
        return STANDINGS.index(self.standing)

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS[self.standing])

    @property
    def training_label(self) -> str:
        return str(TRAINING_LABELS.get(self.training.status, "")) if self.training is not None else ""


def _standing(progress: list[CourseProgress], certificate: Certificate | None,
              training: TrainingStanding | None) -> str:
    if training is not None and training.status == "trained":
        return "trained"
    if certificate is not None and certificate.revoked_at is None:
        return "certified"
    if any(p.completed_at is not None for p in progress):
        return "completed"
    return "enrolled" if progress else "not_started"


def teacher_rows(people: Sequence[tuple[User, bool]], *, school_names: dict[int, str] | None = None
                 ) -> list[TeacherRow]:
    """A row per (person, is head teacher): five queries whatever the number of people (her courses: three;
    certificates; trainings)."""
    ids = [user.pk for user, _head in people]
    if not ids:
        return []
    progress = course_progress_of(ids)
    certificates = course_certificates_of(ids)
    trainings = training_standing_of(ids)
    rows = []
    for user, head in people:
        mine = progress.get(user.pk, [])
        held = certificates.get(user.pk, [])
        certificate = next((c for c in held if c.revoked_at is None), held[0] if held else None)
        seen = [p.last_seen_at for p in mine if p.last_seen_at is not None]
        training = trainings.get(user.pk)
        rows.append(TeacherRow(
            user=user, is_head=head, course=mine[0] if mine else None, courses=len(mine),
            last_studied=dhaka_date(max(seen)) if seen else None, certificate=certificate, training=training,
            standing=_standing(mine, certificate, training),
            school_name=(school_names or {}).get(user.pk, "")))
    return rows


def parse_sort(raw: object) -> tuple[str, bool]:
    """(key, descending) from `?sort=` (`name`, `-progress`, …); anything else is by name."""
    text = str(raw or "").strip()
    descending = text.startswith("-")
    key = text[1:] if descending else text
    return (key, descending) if key in SORTS else ("name", False)


def sort_rows(rows: list[TeacherRow], key: str, descending: bool) -> list[TeacherRow]:
    """Rows by name, progress, last study day (never studied counts as oldest) or standing; ties by name."""
    def name(row: TeacherRow) -> tuple[str, int]:
        return (row.user.display_name.casefold(), row.user.pk)

    by_name = sorted(rows, key=name)
    if key == "name":
        return list(reversed(by_name)) if descending else by_name
    measure = {
        "progress": lambda row: row.percent,
        "activity": lambda row: row.last_studied or dt.date.min,
        "status": lambda row: row.rank,
    }[key]
    return sorted(by_name, key=measure, reverse=descending)  # stable: ties keep the order by name


def school_teacher_rows(school: Any) -> list[TeacherRow]:
    """The teachers of one school (current teacher and head-teacher roles) with their progress; six queries."""
    return teacher_rows(school_teachers_now(school.pk))


def stage_page_rows(users: Sequence[User]) -> list[TeacherRow]:
    """Rows for a page of a stage list, each with her current school's name; eight queries."""
    ids = [u.pk for u in users]
    placements = placements_of(ids)
    schools = {s.pk: s for s in places.schools_by_ids({p.school_id for p in placements.values() if p.school_id})}
    names = {pk: str(schools[p.school_id]) for pk, p in placements.items() if p.school_id in schools}
    return teacher_rows([(u, False) for u in users], school_names=names)


@dataclass(frozen=True)
class TeacherDetail:
    courses: list[CourseProgress]
    certificates: list[Certificate]
    training: TrainingStanding | None
    last_studied: dt.date | None

    @property
    def training_label(self) -> str:
        return str(TRAINING_LABELS.get(self.training.status, "")) if self.training is not None else ""


def teacher_detail(teacher: User) -> TeacherDetail:
    """Every course she is in with its progress, her course certificates and her furthest training; five queries."""
    courses = course_progress_of([teacher.pk]).get(teacher.pk, [])
    seen = [p.last_seen_at for p in courses if p.last_seen_at is not None]
    return TeacherDetail(courses=courses, certificates=course_certificates_of([teacher.pk]).get(teacher.pk, []),
                         training=training_standing_of([teacher.pk]).get(teacher.pk),
                         last_studied=dhaka_date(max(seen)) if seen else None)


def stage_people(stage: str, area: Q) -> Any:
    """The people at `stage` in the area, by name (a queryset to paginate)."""
    return people_by_name(stage_user_ids(stage, area))
