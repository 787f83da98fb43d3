"""What the home page shows each person: her next step first.

- A teacher: the one thing to do next (answer a training invitation, continue her course where she left off or
  take the quiz that is ready, open her new certificate and the training it unlocks, enrol in a course), then
  the rest (certificates, trainings done, unread notifications). `learner_home`.
- A head teacher, an officer, a mentor: what needs them (approvals waiting, certified teachers to invite, batches
  meeting this week) and their area's funnel, each number a link to the list behind it. `supervisor_home`,
  `area_funnel` (the contract with the area progress pages: /work/notes/funnel-contract.md, README).
- Area and funnel counts are cached briefly: they are read on every visit and change slowly (a later issue moves
  them to rollup tables)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from shikhon.certificates.selectors import certificates_of, certified_count_in
from shikhon.core.clock import dhaka_today
from shikhon.courses.selectors import (
    CoursePosition,
    course_position,
    courses_to_recommend,
    learner_counts_in,
)
from shikhon.notify.selectors import unread_count, unread_latest
from shikhon.people.scope import Scope, everything_q, user_scope
from shikhon.people.selectors import (
    pending_approvals,
    school_role_counts,
    school_role_counts_by_place,
    teacher_count_in,
)
from shikhon.places.selectors import (
    active_school_count,
    active_school_counts_by_place,
    areas_by_ids,
    schools_by_ids,
    upazila_count,
)
from shikhon.training.selectors import (
    batches_this_week,
    invitation_may_answer,
    invitations_of,
    next_open_batch,
    programmes_unlocked_by,
    teachers_to_invite_count,
    trained_count_in,
)

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shikhon.certificates.models import Certificate
    from shikhon.courses.models import Course
    from shikhon.notify.models import Notification
    from shikhon.people.models import User
    from shikhon.training.models import Batch, Invitation, Programme

COUNT_TTL = 600
NEW_CERTIFICATE_DAYS = 30  # a certificate issued this recently is "just issued": her next step is to open it
SHOWN = 3                  # list heads on the home page (the full lists are one tap away)


# ------------------------------------------------------------------------------------------ the funnel

STAGES: tuple[tuple[str, Promise], ...] = (
    ("teachers", _("teachers")),
    ("enrolled", _("enrolled in a course")),
    ("completed", _("completed a course")),
    ("certified", _("certified")),
    ("trained", _("trained face to face")),
)


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: Promise
    count: int
    url: str  # "" when the numbers are not linked (researchers)


@dataclass(frozen=True)
class Funnel:
    """Distinct people at each stage, cumulative (a certified teacher is counted as enrolled and completed too)."""

    teachers: int
    enrolled: int
    completed: int
    certified: int
    trained: int
    linked: bool = True

    @property
    def area_url(self) -> str:
        """Her area's progress pages, place by place (researchers see counts there too)."""
        return progress_url()

    @property
    def stages(self) -> list[FunnelStage]:
        base = progress_url() if self.linked else ""
        return [FunnelStage(key=key, label=label, count=getattr(self, key),
                            url=f"{base}?stage={key}" if base else "") for key, label in STAGES]


def progress_url() -> str:
    """The area progress list (the supervisors' pages, `insights:progress`); its literal path until it exists."""
    try:
        return reverse("insights:progress")
    except NoReverseMatch:
        return "/progress/"


def funnel_area_q(scope: Scope) -> Q:
    """The rows a funnel counts: the schools she heads and the areas she oversees (every row for national
    people), on each table's own indexed place ids."""
    return scope.headed_or_overseen_q()


def _scope_key(scope: Scope) -> str:
    parts = (scope.is_national, sorted(scope.head_school_ids), sorted(scope.upazila_ids),
             sorted(scope.district_ids), sorted(scope.division_ids))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _funnel_counts(area: Q) -> dict[str, int]:
    enrolled, completed = learner_counts_in(area)
    return {"teachers": teacher_count_in(area), "enrolled": enrolled, "completed": completed,
            "certified": certified_count_in(area), "trained": trained_count_in(area)}


def area_funnel(user: User) -> Funnel | None:
    """Her area's funnel, teachers → enrolled → completed → certified → trained face to face (4 queries, cached
    10 minutes per area); None when she heads no school and oversees no area."""
    scope = user_scope(user)
    if not (scope.head_school_ids or scope.oversees_area):
        return None
    key = f"home-funnel:v1:{_scope_key(scope)}"
    counts = cache.get(key)
    if not isinstance(counts, dict):
        counts = _funnel_counts(funnel_area_q(scope))
        cache.set(key, counts, COUNT_TTL)
    return Funnel(**counts)


def national_funnel() -> Funnel:
    """The whole country's funnel, numbers only (for researchers: counts, no lists of people)."""
    counts = cache.get("home-funnel:v1:national")
    if not isinstance(counts, dict):
        counts = _funnel_counts(everything_q())
        cache.set("home-funnel:v1:national", counts, COUNT_TTL)
    return Funnel(**counts, linked=False)


# ------------------------------------------------------------------------------------------ a teacher

@dataclass
class LearnerHome:
    """A teacher's own learning. `cards` names the partials of templates/insights/home/ in the order shown:
    the first is her next step."""

    position: CoursePosition | None = None
    recommended: list[Course] = field(default_factory=list)
    to_answer: Invitation | None = None            # a training invitation waiting for her answer
    coming: Invitation | None = None               # a training she accepted that has not ended
    certificate: Certificate | None = None         # her newest course certificate (not revoked)
    certificate_is_new: bool = False
    unlocks: list[Programme] = field(default_factory=list)  # trainings that certificate makes her eligible for
    trained: Invitation | None = None              # her latest completed training
    training_certificate: Certificate | None = None
    certificates_total: int = 0
    unread: int = 0
    unread_head: list[Notification] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)


def _invitation_open(invitation: Invitation, today: dt.date) -> bool:
    """Waiting for her answer, while training's own rule still lets her give it (`invitation_may_answer`)."""
    return (invitation.status == "invited" and invitation.completed_at is None
            and invitation_may_answer(invitation, today=today))


def learner_home(user: User) -> LearnerHome:
    """Her next step first, then the rest. About 7 queries whatever her history (the course outline and her
    unread count come from the cache)."""
    today = dhaka_today()
    home = LearnerHome()
    home.position = course_position(user)
    if home.position is None:
        home.recommended = courses_to_recommend(user)
    certificates = list(certificates_of(user)[:10])
    valid = [c for c in certificates if c.revoked_at is None]
    home.certificates_total = len(valid)
    course_certificates = [c for c in valid if c.family is not None]
    home.training_certificate = next((c for c in valid if c.family is None), None)
    if course_certificates:
        home.certificate = course_certificates[0]
        home.certificate_is_new = (today - home.certificate.issued_on).days <= NEW_CERTIFICATE_DAYS
    invitations = list(invitations_of(user)[:10])
    home.to_answer = next((i for i in invitations if _invitation_open(i, today)), None)
    home.coming = next((i for i in invitations if i.status == "accepted" and i.completed_at is None
                        and i.batch.status in ("planned", "running") and i.batch.ends_on >= today), None)
    home.trained = next((i for i in invitations if i.completed_at is not None), None)
    if home.certificate is not None:
        # The trainings her certificate opens that she has not been invited to nor done yet.
        taken = {i.batch.programme_id for i in invitations if i.status != "declined"}
        home.unlocks = [p for p in programmes_unlocked_by({c.family for c in course_certificates if c.family})
                        if p.pk not in taken]
    home.unread = unread_count(user)
    if home.unread:
        home.unread_head = unread_latest(user, limit=SHOWN)
    home.cards = _learner_cards(home)
    return home


def _learner_cards(home: LearnerHome) -> list[str]:
    """Which cards, in which order: what waits for her answer, then her course, then what she has earned."""
    cards = []
    if home.to_answer is not None:
        cards.append("invitation")
    if home.position is not None:
        cards.append("course")
    if home.coming is not None:
        cards.append("coming")
    if home.certificate is not None and home.certificate_is_new:
        cards.append("certificate")
    if home.recommended:
        cards.append("recommend")
    if home.trained is not None:
        cards.append("trained")
    if home.certificate is not None and not home.certificate_is_new:
        cards.append("certificate")
    if home.unread:
        cards.append("notifications")
    return cards


# ------------------------------------------------------------------------------ head teachers and officers

@dataclass
class SupervisorHome:
    approvals: int = 0
    to_invite: int = 0
    invite_url: str = ""
    this_week: list[Batch] = field(default_factory=list)
    funnel: Funnel | None = None


def supervisor_home(user: User, scope: Scope) -> SupervisorHome:
    """What needs her: approvals waiting, certified teachers to invite (officers), batches meeting this week
    (officers and trainers), and her area's funnel."""
    home = SupervisorHome()
    if scope.head_school_ids or scope.is_officer:
        home.approvals = pending_approvals(user).count()
    officer = scope.is_area_officer
    if officer:
        home.to_invite = teachers_to_invite_count(user)  # cached briefly, forgotten by training's writes
        if home.to_invite:
            batch = next_open_batch(user)
            home.invite_url = (reverse("training:invite", kwargs={"pk": batch.pk}) if batch is not None
                               else reverse("training:batch_new"))
    if officer or scope.is_mentor:
        home.this_week = batches_this_week(user)
    home.funnel = area_funnel(user)
    return home


# ------------------------------------------------------------------------------------------ area counts

def _area_counts(level: str, place_id: int | None) -> dict[str, int]:
    key = f"area-counts:{level}:{place_id}"
    counts = cache.get(key)
    if counts is None:
        area = {} if level == "national" else {f"{level}_id": place_id}
        counts = {
            "schools": active_school_count(**area),
            **school_role_counts(**area),
        }
        cache.set(key, counts, COUNT_TTL)
    return counts


def _area_counts_many(level: str, ids: list[int]) -> dict[int, dict[str, int]]:
    """`_area_counts` of several places of one level: one cache read, and for the places not cached two grouped
    queries (open schools; teachers and head teachers), whatever their number."""
    keys = {pk: f"area-counts:{level}:{pk}" for pk in ids}
    held = cache.get_many(list(keys.values()))
    counts = {pk: held[key] for pk, key in keys.items() if isinstance(held.get(key), dict)}
    missing = [pk for pk in ids if pk not in counts]
    if missing:
        schools = active_school_counts_by_place(level, missing)
        roles = school_role_counts_by_place(level, missing)
        fresh = {pk: {"schools": schools.get(pk, 0), "teachers": 0, "head_teachers": 0, **roles.get(pk, {})}
                 for pk in missing}
        cache.set_many({keys[pk]: value for pk, value in fresh.items()}, COUNT_TTL)
        counts.update(fresh)
    return counts


def public_counts() -> dict[str, Any]:
    counts = cache.get("public-counts")
    if counts is None:
        counts = {
            "n_upazilas": upazila_count(),
            "n_schools": active_school_count(),
        }
        cache.set("public-counts", counts, COUNT_TTL)
    return counts


def home_for(user: User) -> dict[str, Any]:
    scope = user_scope(user)
    areas: list[dict[str, Any]] = []
    if scope.is_national:
        areas.append({"name": None, "level": "national", "url": None, **_area_counts("national", None)})
    for level, ids in (
        ("division", scope.division_ids),
        ("district", scope.district_ids),
        ("upazila", scope.upazila_ids),
    ):
        if not ids:  # most people oversee no area: don't even build the query
            continue
        held = list(areas_by_ids(level, ids))
        counts = _area_counts_many(level, [place.pk for place in held])
        for place in held:
            areas.append({"name": str(place), "level": level, "url": place.get_absolute_url(), **counts[place.pk]})
    schools = list(schools_by_ids(scope.school_ids)) if scope.school_ids else []
    pending_own = list(schools_by_ids(scope.pending_school_ids)) if scope.pending_school_ids else []
    supervises = bool(scope.head_school_ids or scope.oversees_area or scope.is_officer)
    supervisor = supervisor_home(user, scope) if supervises else None
    # Her own learning: everyone who works at a school (head teachers study too) or is waiting to.
    learner = learner_home(user) if (scope.school_ids or scope.pending_school_ids) else None
    return {
        "scope": scope,
        "schools": schools,
        "pending_schools": pending_own,
        "areas": areas,
        "approvals": supervisor.approvals if supervisor else 0,
        "supervisor": supervisor,
        "learner": learner,
        "research_funnel": national_funnel() if scope.is_researcher and not supervises else None,
    }
