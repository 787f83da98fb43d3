"""Reads for face-to-face training: who may be invited, batch summaries, attendance sheets, costs."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal
from uuid import UUID, uuid4

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from shikhon.certificates.selectors import certificate_counts_by_family, certified_user_ids
from shikhon.core.access import row_or_404
from shikhon.core.bangla import to_western_digits
from shikhon.core.clock import DHAKA, dhaka_today
from shikhon.people.scope import Scope, user_scope
from shikhon.people.selectors import teachers_in_area_of
from shikhon.training.constants import (
    REFERENCE_FACE_TO_FACE_COST_PER_TEACHER,
    REFERENCE_ONLINE_COST_PER_TEACHER,
)
from shikhon.training.models import Attendance, Batch, CourseCost, Invitation, Programme
from shikhon.training.money import per_teacher
from shikhon.training.permissions import (
    batches_organisable_by,
    batches_visible_to,
    can_manage_programmes,
    can_organise,
    can_take_attendance,
    costs_area_q,
    sees_batch_sheet,
)

if TYPE_CHECKING:
    from shikhon.people.models import User

OPEN_BATCH = (Batch.Status.PLANNED, Batch.Status.RUNNING)
HOLDING = (Invitation.Status.INVITED, Invitation.Status.ACCEPTED)
MAX_SEARCH = 60
MAX_CAPACITY_SHEET = 500  # one batch holds at most this many (constants.MAX_CAPACITY)


# ---------------------------------------------------------------- access_<thing>: the one way to load one
# Each answers the object or raises Http404, alike for a missing id and one this person may not have.

BatchUse = Literal["see", "organise", "attend"]


def access_batch(user: User, batch_id: int, *, to: BatchUse = "see") -> Batch:
    """A batch this person may see (`batches_visible_to`), with its programme and upazila; `to="organise"`
    also needs an officer over its venue, `to="attend"` an organiser or one of its trainers."""
    batch = (Batch.objects.filter(batches_visible_to(user)).select_related("programme", "upazila")
             .filter(pk=batch_id).first())
    if batch is None or (to == "organise" and not can_organise(user, batch)) \
            or (to == "attend" and not can_take_attendance(user, batch)):
        raise Http404
    return batch


def access_invitation(user: User, invitation_id: int) -> Invitation:
    """One of her own invitations, with its batch, programme and upazila."""
    invitations = Invitation.objects.filter(teacher_id=user.pk).select_related("batch__programme", "batch__upazila")
    return row_or_404(invitations, invitation_id)


def access_programme(user: User, programme_id: int) -> Programme:
    """A programme to edit (national admins keep programmes)."""
    programme = Programme.objects.filter(pk=programme_id).first() if can_manage_programmes(user) else None
    if programme is None:
        raise Http404
    return programme


def access_batch_invitation(batch: Batch, invitation_id: object) -> Invitation:
    """One invitation of a batch already loaded through `access_batch` (with her name); else 404."""
    return row_or_404(Invitation.objects.filter(batch=batch).select_related("teacher"), invitation_id)


def invitation_to(user: User, batch: Batch) -> Invitation | None:
    """Her invitation to this batch, if she has one."""
    return Invitation.objects.filter(batch=batch, teacher_id=user.pk).first() if user.pk else None


def invitation_may_answer(invitation: Invitation, *, today: dt.date | None = None) -> bool:
    """Whether she may still accept or decline (`services.invitation_respond`'s rule): the batch is planned and
    has not started (Dhaka's date), and the invitation was not withdrawn. Its batch must be loaded."""
    batch = invitation.batch
    return (batch.status == Batch.Status.PLANNED and batch.starts_on >= (today or dhaka_today())
            and invitation.status != Invitation.Status.CANCELLED)


def eligible_teachers(actor: User, batch: Batch, search: str = "") -> QuerySet[User]:
    """Teachers the actor may invite to this batch: a current school role in the actor's area; the
    certificate the programme asks for; not invited to this batch; not holding a place in another open
    batch of the programme; not having completed it. Each carries `school_name` (one query)."""
    programme = batch.programme
    users = teachers_in_area_of(actor)
    if programme.required_family is not None:
        users = users.filter(pk__in=certified_user_ids(programme.required_family))
    taken = Invitation.objects.filter(
        Q(batch=batch)
        | Q(batch__programme=programme, batch__status__in=OPEN_BATCH, status__in=HOLDING)
        | Q(batch__programme=programme, completed_at__isnull=False)
    ).values("teacher_id")
    users = users.exclude(pk__in=taken)
    text = to_western_digits(search or "").strip()[:MAX_SEARCH]
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        q = Q(name_bn__icontains=text) | Q(name_en__icontains=text)
        if len(digits) >= 4:
            q |= Q(phone__contains=digits.lstrip("0"))
        users = users.filter(q)
    return users.order_by("name_bn", "pk")


def batches_for_organiser(user: User) -> QuerySet[Batch]:
    return (Batch.objects.filter(batches_organisable_by(user)).select_related("programme", "upazila")
            .annotate(n_accepted=Count("invitations", filter=Q(invitations__status=Invitation.Status.ACCEPTED)),
                      n_invited=Count("invitations", filter=Q(invitations__status=Invitation.Status.INVITED)))
            .order_by("-starts_on", "pk"))


def batches_trained_by(user: User) -> QuerySet[Batch]:
    return (Batch.objects.filter(pk__in=Batch.trainers.through.objects.filter(user_id=user.pk).values("batch_id"))
            .select_related("programme", "upazila"))


def invitations_of(user: User) -> QuerySet[Invitation]:
    return (Invitation.objects.filter(teacher=user).exclude(status=Invitation.Status.CANCELLED)
            .select_related("batch__programme", "batch__upazila").order_by("-batch__starts_on", "-pk"))


def programmes_list() -> QuerySet[Programme]:
    return Programme.objects.select_related("required_course").order_by("-is_active", "title")


def programmes_for_batch(batch: Batch | None) -> QuerySet[Programme]:
    """The programmes a batch may belong to: the active ones, and its own (even when no longer active)."""
    q = Q(is_active=True)
    if batch is not None:
        q |= Q(pk=batch.programme_id)
    return Programme.objects.filter(q)


def batch_days(batch: Batch) -> list[dt.date]:
    return [batch.starts_on + dt.timedelta(days=i) for i in range((batch.ends_on - batch.starts_on).days + 1)]


COST_PARTS = ("cost_venue", "cost_allowances", "cost_materials", "cost_trainers")


def batch_total_cost(batch: Batch) -> Decimal:
    """The sum of the batch's cost lines (stored in whole taka, `money.whole_taka`): exactly what the parts
    shown add up to."""
    return sum((Decimal(getattr(batch, name)) for name in COST_PARTS), start=Decimal(0))


def batch_hours(batch: Batch) -> int:
    """Hours of training a batch gives: its days × the programme's hours a day."""
    return len(batch_days(batch)) * batch.programme.hours_per_day


def programme_titles_for_family(family: UUID) -> list[str]:
    """Titles of the open programmes that ask for a certificate of this course family (what a course
    certificate makes one eligible for; registered with certificates.eligibility)."""
    return list(Programme.objects.filter(required_family=family, is_active=True).order_by("title")
                .values_list("title", flat=True)[:5])


@dataclass(frozen=True)
class BatchSummary:
    invited: int
    accepted: int
    declined: int
    attended: int
    completed: int
    total_cost: Decimal
    cost_per_teacher: Decimal | None

    @property
    def holding(self) -> int:
        """Places taken: invited (not yet answered) and accepted."""
        return self.invited + self.accepted


def batch_summary(batch: Batch) -> BatchSummary:
    """Counts of the batch's invitations (one query) and what it cost per teacher who completed it."""
    S = Invitation.Status
    present = Attendance.objects.filter(invitation=OuterRef("pk"), present=True)
    counts = (Invitation.objects.filter(batch=batch).annotate(came=Exists(present)).aggregate(
        invited=Count("pk", filter=Q(status=S.INVITED)),
        accepted=Count("pk", filter=Q(status=S.ACCEPTED)),
        declined=Count("pk", filter=Q(status=S.DECLINED)),
        attended=Count("pk", filter=Q(came=True)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    ))
    total = batch_total_cost(batch)
    return BatchSummary(invited=counts["invited"], accepted=counts["accepted"], declined=counts["declined"],
                        attended=counts["attended"], completed=counts["completed"], total_cost=total,
                        cost_per_teacher=per_teacher(total, counts["completed"]))


def batch_summary_for(user: User, batch: Batch) -> BatchSummary | None:
    """The batch's counts for those who see its sheet (`permissions.sees_batch_sheet`: organisers, trainers,
    national people), as on the batch page; None for anyone else who may see the batch (a teacher invited to it)."""
    return batch_summary(batch) if sees_batch_sheet(user, batch) else None


def batch_invitees(batch: Batch) -> QuerySet[Invitation]:
    """Every invitation of the batch with the teacher and the number of days she was present."""
    return (Invitation.objects.filter(batch=batch).select_related("teacher")
            .annotate(days_present=Count("attendance", filter=Q(attendance__present=True)))
            .order_by("teacher__name_bn", "pk"))


def attendance_sheet(batch: Batch, day: dt.date) -> QuerySet[Invitation]:
    """Accepted invitees with `present` for that day (None: not marked yet), in one query."""
    mark = Attendance.objects.filter(invitation=OuterRef("pk"), day=day)
    return (Invitation.objects.filter(batch=batch, status=Invitation.Status.ACCEPTED).select_related("teacher")
            .annotate(present=Subquery(mark.values("present")[:1]))
            .order_by("teacher__name_bn", "pk"))


@dataclass(frozen=True)
class OnlineCost:
    total: Decimal
    certified: int
    per_teacher: Decimal | None
    reference: Decimal = REFERENCE_ONLINE_COST_PER_TEACHER


def online_cost_per_teacher(family: UUID, year: int | None = None) -> OnlineCost:
    """What the course family cost (all years, or one) divided by the certificates (not revoked) of
    that family issued in the same period."""
    costs = CourseCost.objects.filter(family=family)
    issued_from = issued_before = None
    if year is not None:
        costs = costs.filter(year=year)
        issued_from = dt.datetime(year, 1, 1, tzinfo=DHAKA)
        issued_before = dt.datetime(year + 1, 1, 1, tzinfo=DHAKA)
    total = costs.aggregate(t=Sum(F("development") + F("hosting") + F("sms") + F("other")))["t"] or Decimal(0)
    count = certificate_counts_by_family([family], issued_from=issued_from, issued_before=issued_before).get(family, 0)
    return OnlineCost(total=Decimal(total), certified=count, per_teacher=per_teacher(Decimal(total), count))


@dataclass(frozen=True)
class FaceToFaceCost:
    total: Decimal
    trained: int
    per_teacher: Decimal | None
    reference: Decimal = REFERENCE_FACE_TO_FACE_COST_PER_TEACHER


def face_to_face_cost_per_teacher(programme: Programme | None = None, *, area: Q | None = None) -> FaceToFaceCost:
    """Costs of completed batches (of `area`, a condition on batches: all when None) divided by the teachers
    who completed them."""
    batches = Batch.objects.filter(status=Batch.Status.COMPLETED)
    if area is not None:
        batches = batches.filter(area)
    if programme is not None:
        batches = batches.filter(programme=programme)
    total = batches.aggregate(
        t=Sum(F("cost_venue") + F("cost_allowances") + F("cost_materials") + F("cost_trainers")))["t"] or Decimal(0)
    trained = Invitation.objects.filter(batch__in=batches, completed_at__isnull=False).count()
    return FaceToFaceCost(total=Decimal(total), trained=trained, per_teacher=per_teacher(Decimal(total), trained))


def face_to_face_costs_for(user: User) -> FaceToFaceCost:
    """The face-to-face figure of the area a person may see costs of (`permissions.costs_area_q`)."""
    return face_to_face_cost_per_teacher(area=costs_area_q(user))


def course_costs() -> QuerySet[CourseCost]:
    return CourseCost.objects.select_related("course").order_by("-year", "pk")


@dataclass(frozen=True)
class OnlineCostRow:
    family: UUID
    course_title: str
    years: str
    total: Decimal
    certified: int
    per_teacher: Decimal | None


def online_costs_by_family(limit: int = 50) -> list[OnlineCostRow]:
    """Every costed course family (all years together): total, certificates and cost per certified
    teacher, in three queries whatever the number of families."""
    sums = list(CourseCost.objects.values("family").annotate(
        t=Sum(F("development") + F("hosting") + F("sms") + F("other"))).order_by("family")[:limit])
    families = [row["family"] for row in sums]
    titles: dict[UUID, str] = {}
    years: dict[UUID, list[int]] = {}
    for family, year, title in (CourseCost.objects.filter(family__in=families).order_by("-year")
                                .values_list("family", "year", "course__title")):
        titles.setdefault(family, title)
        years.setdefault(family, []).append(year)
    counts = certificate_counts_by_family(families)
    rows = []
    for row in sums:
        family, total = row["family"], Decimal(row["t"] or 0)
        n = counts.get(family, 0)
        rows.append(OnlineCostRow(family=family, course_title=titles.get(family, ""),
                                  years=", ".join(str(y) for y in sorted(years.get(family, []))),
                                  total=total, certified=n, per_teacher=per_teacher(total, n)))
    return rows


def batches_visible(user: User) -> QuerySet[Batch]:
    """Every batch this person may see (`batches_visible_to`), with programme and upazila, newest first."""
    return (Batch.objects.filter(batches_visible_to(user)).select_related("programme", "upazila")
            .order_by("-starts_on", "-pk"))


# ------------------------------------------------------------------------------ for the home page (insights)

def trained_count_in(area: Q) -> int:
    """Teachers who completed a face-to-face batch, by their invitation's place ids in `area` (a `Scope`
    place filter): the last stage of the home page's funnel; one query."""
    return (Invitation.objects.filter(area, completed_at__isnull=False)
            .values("teacher_id").distinct().count())


def programmes_unlocked_by(families: Iterable[UUID]) -> list[Programme]:
    """Active programmes whose entry rule is a certificate of one of these course families (one query;
    none without families)."""
    families = list(families)
    if not families:
        return []
    return list(Programme.objects.filter(is_active=True, required_family__in=families).order_by("title", "pk"))


def teachers_to_invite(officer: User) -> QuerySet[User]:
    """Teachers of the officer's area who hold the certificate an active programme asks for and are not
    invited to (nor holding a place in) an open batch of an active programme, nor trained in one: whom
    the officer could invite next. One query to read the programmes; the rest is one query when counted."""
    programmes = list(Programme.objects.filter(is_active=True, required_family__isnull=False)
                      .values_list("pk", "required_family"))
    if not programmes:
        return teachers_in_area_of(officer).none()
    certified = Q(pk__in=[])
    for family in {family for _pk, family in programmes if family is not None}:
        certified |= Q(pk__in=certified_user_ids(family))
    taken = Invitation.objects.filter(
        Q(batch__status__in=OPEN_BATCH, status__in=HOLDING) | Q(completed_at__isnull=False),
        batch__programme_id__in=[pk for pk, _family in programmes]).values("teacher_id")
    return teachers_in_area_of(officer).filter(certified).exclude(pk__in=taken)


# The officers' home card counts the teachers above on every visit: a count over her whole area (a division at
# national scale), so it is cached for a short while per area. Training's own writes that change who may be
# invited (invitations sent, answered, withdrawn; batches saved, cancelled, completed; programmes saved) replace
# the generation after they commit, which forgets every cached count at once; what other apps change (a course
# certificate issued or revoked, a teacher joining a school) shows within TO_INVITE_SECONDS.
TO_INVITE_SECONDS = 60
_TO_INVITE_GENERATION = "training:to-invite:generation"


def teachers_to_invite_changed() -> None:
    """Forget every cached count of teachers to invite (training's services call it after commit)."""
    cache.set(_TO_INVITE_GENERATION, uuid4().hex, None)


def _to_invite_key(scope: Scope) -> str:
    area = (scope.is_national_admin, sorted(scope.officer_upazila_ids), sorted(scope.officer_district_ids),
            sorted(scope.officer_division_ids))
    return "training:to-invite:" + hashlib.sha256(repr(area).encode()).hexdigest()[:24]


def teachers_to_invite_count(officer: User) -> int:
    """How many teachers the officer could invite next (`teachers_to_invite`): 0 without a query for someone who
    is no officer; else from the cache (one round trip) while the generation it was counted under holds and for
    at most TO_INVITE_SECONDS, otherwise two queries. A lost generation (evicted) is replaced by a new one, so a
    count made before it never answers again."""
    scope = user_scope(officer)
    if not (scope.is_national_admin or scope.officer_upazila_ids or scope.officer_district_ids
            or scope.officer_division_ids):
        return 0
    key = _to_invite_key(scope)
    held = cache.get_many([_TO_INVITE_GENERATION, key])
    generation = held.get(_TO_INVITE_GENERATION)
    if generation is None:
        cache.add(_TO_INVITE_GENERATION, uuid4().hex, None)
        generation = cache.get(_TO_INVITE_GENERATION)
    counted = held.get(key)
    if isinstance(counted, tuple) and len(counted) == 2 and counted[0] == generation:
        return int(counted[1])
    count = teachers_to_invite(officer).count()
    cache.set(key, (generation, count), TO_INVITE_SECONDS)
    return count


def next_open_batch(officer: User) -> Batch | None:
    """The soonest planned batch of the officer's area that has not started (where invitations go next)."""
    today = dt.datetime.now(DHAKA).date()
    return (Batch.objects.filter(batches_organisable_by(officer), status=Batch.Status.PLANNED,
                                 starts_on__gte=today).order_by("starts_on", "pk").first())


def batches_this_week(user: User, *, limit: int = 10) -> list[Batch]:
    """Planned or running batches she organises (officer of the venue's area) or trains that meet in the
    seven days from today (Dhaka), soonest first, with programme and upazila; one query."""
    today = dt.datetime.now(DHAKA).date()
    mine = batches_organisable_by(user)
    if user.pk:
        mine |= Q(pk__in=Batch.trainers.through.objects.filter(user_id=user.pk).values("batch_id"))
    return list(Batch.objects.filter(mine, status__in=OPEN_BATCH, starts_on__lte=today + dt.timedelta(days=6),
                                     ends_on__gte=today)
                .select_related("programme", "upazila").order_by("starts_on", "pk")[:limit])


# ---------------------------------------------------------------- area progress (insights.progress)


def trained_counts_by_place(level: str, ids: Iterable[int]) -> dict[int, int]:
    """People who completed a face-to-face batch, by their invitation's `level` place id, for these ids; one
    grouped query on the indexed place column."""
    from shikhon.people.selectors import place_column

    column = place_column(level)
    rows = (Invitation.objects.filter(completed_at__isnull=False, **{f"{column}__in": list(ids)})
            .values(column).annotate(n=Count("teacher_id", distinct=True)).order_by())
    return dict(rows.values_list(column, "n"))


def trained_user_ids_in(area: Q) -> QuerySet[Invitation, int]:
    """Ids of the people who completed a face-to-face batch, their invitation placed in `area`, for a subquery."""
    return Invitation.objects.filter(area, completed_at__isnull=False).values_list("teacher_id", flat=True)


@dataclass(frozen=True)
class TrainingStanding:
    """Where a teacher stands with face-to-face training: `trained`, `accepted`, `invited` or `declined`
    (her furthest invitation), with that batch's programme and days."""

    status: str
    programme: str
    starts_on: dt.date
    ends_on: dt.date
    completed_at: dt.datetime | None


_STANDING_RANK = {"trained": 0, Invitation.Status.ACCEPTED: 1, Invitation.Status.INVITED: 2,
                  Invitation.Status.DECLINED: 3}


def training_standing_of(user_ids: Iterable[int]) -> dict[int, TrainingStanding]:
    """Each person's furthest face-to-face training (completed, then accepted, invited, declined; withdrawn
    invitations and cancelled batches left out); one query. People never invited are left out."""
    best: dict[int, TrainingStanding] = {}
    rows = (Invitation.objects.filter(teacher_id__in=list(user_ids))
            .exclude(status=Invitation.Status.CANCELLED).exclude(batch__status=Batch.Status.CANCELLED)
            .order_by("-batch__starts_on", "-pk")
            .values_list("teacher_id", "status", "completed_at", "batch__programme__title", "batch__starts_on",
                         "batch__ends_on"))
    for teacher_id, status, completed_at, title, starts_on, ends_on in rows:
        standing = TrainingStanding(status="trained" if completed_at is not None else status, programme=title,
                                    starts_on=starts_on, ends_on=ends_on, completed_at=completed_at)
        held = best.get(teacher_id)
        if held is None or _STANDING_RANK.get(standing.status, 9) < _STANDING_RANK.get(held.status, 9):
            best[teacher_id] = standing
    return best
