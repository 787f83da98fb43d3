"""Ongoing users and the certificate of practice (decision 0011), decided by the rules in force (`rules.py`).

**Ongoing status.** `ongoing_evaluate` (one teacher: the nightly task, her "check now" button, other parts) and
`ongoing_evaluate_all` (the nightly task) count, for each teacher, in the window of the rule in force — the last
`window_days` Dhaka days, today included: `[on − (window_days − 1), on]` — her practice records, the different
activities they were on, and her support: circle meetings she attended (`Meeting.attendees`, by `held_on`) plus
observations of her lesson recorded (`Observation.status == recorded`, by `observed_on`). Records dated after
`on` do not count.

History rows: a new `OngoingStatus` row is written only when something changed — the status, a count, the rule
version, or where she works (the place ids the area counts read); the old row stops being the latest in the same
transaction (a conditional UPDATE of `is_latest`, then the insert; the partial unique constraint keeps one latest
row per teacher even when two evaluations race). When nothing changed, only the latest row's `evaluated_on` moves
to `on`, so her history is the list of changes and the latest row says when it was last checked. A change of
status (and a first status that is "ongoing") tells her.

**Certificate of practice.** `practice_certificate_progress(teacher, family)` lists each condition of the rule in
force with her numbers; `practice_certificates_issue` issues the certificate (once, by the issue key
"practice:<user id>:<family>") to every teacher who meets it, in bounded queries plus one issue per new
certificate."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import translation
from django.utils.translation import gettext as _

from shikhon.certificates.selectors import certificate_ids_by_key, certified_user_ids
from shikhon.certificates.services import certificate_issue_practice
from shikhon.core.clock import dhaka_today
from shikhon.courses.selectors import published_courses
from shikhon.notify.services import Tell, notifications_send_many
from shikhon.people.selectors import NOWHERE, placements_of
from shikhon.practice import notifications
from shikhon.practice.models import Meeting, Observation, OngoingStatus, PracticeRecord
from shikhon.practice.rules import CertificateRule, OngoingRule, certificate_rule, ongoing_rule

if TYPE_CHECKING:
    from shikhon.certificates.models import Certificate
    from shikhon.people.models import User

logger = logging.getLogger("shikhon.practice")

COUNT_KEYS: tuple[str, ...] = ("records", "activities", "meetings", "observations", "support")
PLACE_FIELDS: tuple[str, ...] = ("school_id", "upazila_id", "district_id", "division_id")
CHUNK = 1000


# ---------------------------------------------------------------------------------------------- ongoing status

def ongoing_window(rule: OngoingRule, on: dt.date) -> tuple[dt.date, dt.date]:
    """The Dhaka days the rule looks at on `on`: the last `window_days` days, `on` included."""
    return on - dt.timedelta(days=rule.params.window_days - 1), on


def _counts_for(teacher_ids: Sequence[int], *, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Each teacher's numbers in `[start, end]`: three grouped queries whatever the number of teachers."""
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(COUNT_KEYS, 0) for pk in teacher_ids}
    for teacher_id, records, activities in (
            PracticeRecord.objects.filter(teacher_id__in=teacher_ids, taught_on__gte=start, taught_on__lte=end)
            .values("teacher_id")
            # Distinct things practised: activities plus library contents (a record names exactly one of them).
            .annotate(n=Count("pk"), a=Count("activity_id", distinct=True) + Count("content_id", distinct=True))
            .order_by()
            .values_list("teacher_id", "n", "a")):
        counts[teacher_id]["records"], counts[teacher_id]["activities"] = records, activities
    attended = Meeting.attendees.through.objects.filter(
        user_id__in=teacher_ids, meeting__held_on__gte=start, meeting__held_on__lte=end)
    by_user = attended.values("user_id").annotate(n=Count("meeting_id", distinct=True)).order_by()
    for teacher_id, n in by_user.values_list("user_id", "n"):  # type: ignore[misc]
        counts[teacher_id]["meetings"] = n
    for teacher_id, n in (Observation.objects.filter(teacher_id__in=teacher_ids,
                                                      status=Observation.Status.RECORDED,
                                                      observed_on__gte=start, observed_on__lte=end)
                          .values("teacher_id").annotate(n=Count("pk")).order_by().values_list("teacher_id", "n")):
        counts[teacher_id]["observations"] = n
    for numbers in counts.values():
        numbers["support"] = numbers["meetings"] + numbers["observations"]
    return counts


def decides_ongoing(rule: OngoingRule, numbers: dict[str, int]) -> bool:
    """The rule's decision on these numbers (the sentence `rule.sentence()` says the same)."""
    p = rule.params
    return (numbers["records"] >= p.min_records and numbers["activities"] >= p.min_activities
            and numbers["support"] >= p.min_support)


def status_label(is_ongoing: bool) -> str:
    return _("an ongoing user") if is_ongoing else _("not an ongoing user yet")


def _stored_counts(rule: OngoingRule, numbers: dict[str, int]) -> dict[str, int]:
    return {**{key: numbers[key] for key in COUNT_KEYS}, "rule_version": rule.version}


def _evaluate_chunk(teacher_ids: Sequence[int], *, on: dt.date, rule: OngoingRule) -> dict[int, OngoingStatus]:
    """Evaluate these teachers in one transaction and a fixed number of queries; each one's latest row."""
    start, end = ongoing_window(rule, on)
    counts = _counts_for(teacher_ids, start=start, end=end)
    placements = placements_of(teacher_ids)
    with transaction.atomic():
        latest = {row.teacher_id: row for row in
                  OngoingStatus.objects.select_for_update().filter(teacher_id__in=teacher_ids, is_latest=True)}
        unchanged: list[int] = []
        replaced: list[int] = []
        new_rows: list[OngoingStatus] = []
        for teacher_id in teacher_ids:
            numbers = _stored_counts(rule, counts[teacher_id])
            is_ongoing = decides_ongoing(rule, counts[teacher_id])
            place = placements.get(teacher_id, NOWHERE).as_fields()
            old = latest.get(teacher_id)
            if old is not None and old.is_ongoing == is_ongoing and old.rule_version == rule.version \
                    and old.counts == numbers and all(getattr(old, f) == place[f] for f in PLACE_FIELDS):
                unchanged.append(old.pk)
                old.evaluated_on = on
                continue
            if old is not None:
                replaced.append(old.pk)
            row = OngoingStatus(teacher_id=teacher_id, is_ongoing=is_ongoing, rule_version=rule.version,
                                counts=numbers, evaluated_on=on, is_latest=True, **place)
            row.was_ongoing = old.is_ongoing if old is not None else None  # type: ignore[attr-defined]
            new_rows.append(row)
        if unchanged:
            OngoingStatus.objects.filter(pk__in=unchanged).update(evaluated_on=on)
        if replaced:
            OngoingStatus.objects.filter(pk__in=replaced, is_latest=True).update(is_latest=False)
        if new_rows:
            OngoingStatus.objects.bulk_create(new_rows)
            latest.update({row.teacher_id: row for row in new_rows})
            tells = _status_tells(new_rows)
            if tells:
                transaction.on_commit(lambda: notifications_send_many(tells=tells))
    return latest


def _status_tells(rows: Iterable[OngoingStatus]) -> list[Tell]:
    """Tell a teacher when her status changed (a first status only when it is "ongoing")."""
    from django.urls import reverse

    url = reverse("practice:status")
    tells = []
    for row in rows:
        was = getattr(row, "was_ongoing", None)
        if was == row.is_ongoing or (was is None and not row.is_ongoing):
            continue
        with translation.override("bn"):  # stored words: Bangla, the SMS's language and most teachers' first
            label = status_label(row.is_ongoing)
        tells.append(Tell(recipient_id=row.teacher_id, kind=notifications.ONGOING_STATUS_CHANGED,
                          event_key=f"ongoing-status:{row.teacher_id}:{row.pk or row.evaluated_on.isoformat()}",
                          params={"status": label, "ongoing": row.is_ongoing}, url=url))
    return tells


def ongoing_evaluate(*, teacher: User, on: dt.date | None = None) -> OngoingStatus:
    """Her status by the ongoing-user rule in force on `on` (default: today in Dhaka): a new history row when
    something changed, else the latest row with `evaluated_on` moved. Safe to run twice and to race."""
    on = on or dhaka_today()
    rule = ongoing_rule(on)
    try:
        return _evaluate_chunk([teacher.pk], on=on, rule=rule)[teacher.pk]
    except IntegrityError:  # another evaluation of her made the latest row first: count again against it
        return _evaluate_chunk([teacher.pk], on=on, rule=rule)[teacher.pk]


def ongoing_candidates(*, on: dt.date, rule: OngoingRule) -> list[int]:
    """Teachers to evaluate: anyone with practice, a meeting attended or an observation recorded in the window,
    and anyone with a current status (so a status that lapses is written)."""
    start, end = ongoing_window(rule, on)
    ids: set[int] = set(OngoingStatus.objects.filter(is_latest=True).values_list("teacher_id", flat=True))
    ids.update(PracticeRecord.objects.filter(taught_on__gte=start, taught_on__lte=end)
               .values_list("teacher_id", flat=True).distinct())
    ids.update(Meeting.attendees.through.objects.filter(meeting__held_on__gte=start, meeting__held_on__lte=end)
               .values_list("user_id", flat=True).distinct())
    ids.update(Observation.objects.filter(status=Observation.Status.RECORDED, observed_on__gte=start,
                                          observed_on__lte=end).values_list("teacher_id", flat=True).distinct())
    return sorted(ids)


def ongoing_evaluate_all(*, on: dt.date | None = None, chunk: int = CHUNK) -> dict[str, int]:
    """Evaluate every candidate teacher (`ongoing_candidates`), `chunk` at a time, each chunk in a fixed number of
    queries (grouped counts, one placement read, one bulk insert). Idempotent: a second run on the same day
    writes no new row. Returns how many were evaluated, changed and ongoing."""
    on = on or dhaka_today()
    rule = ongoing_rule(on)
    ids = ongoing_candidates(on=on, rule=rule)
    changed = ongoing = 0
    for begin in range(0, len(ids), max(1, chunk)):
        part = ids[begin:begin + max(1, chunk)]
        try:
            rows = _evaluate_chunk(part, on=on, rule=rule)
        except IntegrityError:  # an on-demand evaluation raced this chunk: one at a time
            rows = {pk: _evaluate_chunk([pk], on=on, rule=rule)[pk] for pk in part}
        changed += sum(1 for row in rows.values() if row.evaluated_on == on and hasattr(row, "was_ongoing"))
        ongoing += sum(1 for row in rows.values() if row.is_ongoing)
    return {"evaluated": len(ids), "changed": changed, "ongoing": ongoing}


# ---------------------------------------------------------------------------------------------- certificate

@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    have: int
    need: int

    @property
    def met(self) -> bool:
        return self.have >= self.need


@dataclass(frozen=True)
class CertificateProgress:
    family: UUID
    course_title: str
    rule: CertificateRule
    conditions: list[Condition] = field(default_factory=list)
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    certificate_id: int | None = None

    @property
    def met(self) -> bool:
        return all(c.met for c in self.conditions)


def issue_key(user_id: int, family: UUID) -> str:
    return f"practice:{user_id}:{family}"


def _weeks(first: dt.date | None, last: dt.date | None) -> int:
    """Whole weeks from her first to her last day of practice."""
    if first is None or last is None:
        return 0
    return (last - first).days // 7


def _conditions(rule: CertificateRule, *, certified: bool, records: int, weeks: int, modules: int,
                acknowledged: int, observations: int) -> list[Condition]:
    p = rule.params
    out = []
    if p.needs_course_certificate:
        out.append(Condition("course_certificate", _("The course certificate"), int(certified), 1))
    out += [
        Condition("records", _("Practice records of this course"), records, p.min_records),
        Condition("weeks", _("Weeks from the first to the last record"), weeks, p.min_weeks),
        Condition("modules", _("Modules practised"), modules, p.min_modules),
        Condition("acknowledged", _("Records acknowledged by the head teacher"), acknowledged, p.min_acknowledged),
        Condition("observations", _("Lesson observations recorded"), observations, p.min_observations),
    ]
    return out


def _family_aggregates(records: Any) -> Any:
    return records.values("teacher_id", "family").annotate(
        n=Count("pk"), first=Min("taught_on"), last=Max("taught_on"), modules=Count("module_id", distinct=True),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False))).order_by()


def course_titles(families: Iterable[UUID]) -> dict[UUID, str]:
    """The title of each course family: its published version's (one query), else the title of a version one of
    her records names (one query per family without a published version: retired courses, rare)."""
    wanted = set(families)
    titles: dict[UUID, str] = dict(published_courses().filter(family__in=wanted).values_list("family", "title"))
    for family in wanted - titles.keys():
        titles[family] = (PracticeRecord.objects.filter(family=family).order_by("-pk")
                          .values_list("module__course__title", flat=True).first()) or ""
    return titles


def practice_families_of(teacher: User) -> list[UUID]:
    """The course families she has practice records of (one query)."""
    return list(PracticeRecord.objects.filter(teacher_id=teacher.pk, family__isnull=False).order_by("family")
                .values_list("family", flat=True).distinct())  # type: ignore[arg-type]


def practice_certificate_progress(teacher: User, family: UUID, *, on: dt.date | None = None) -> CertificateProgress:
    """Each condition of the certificate-of-practice rule in force, with her numbers; four queries."""
    rule = certificate_rule(on)
    rows = list(_family_aggregates(PracticeRecord.objects.filter(teacher_id=teacher.pk, family=family)))
    row = rows[0] if rows else {}
    certified = certified_user_ids(family).filter(user_id=teacher.pk).exists()
    observations = Observation.objects.filter(teacher_id=teacher.pk, status=Observation.Status.RECORDED).count()
    key = issue_key(teacher.pk, family)
    return CertificateProgress(
        family=family, course_title=course_titles([family]).get(family, ""), rule=rule,
        conditions=_conditions(rule, certified=certified, records=row.get("n", 0),
                               weeks=_weeks(row.get("first"), row.get("last")), modules=row.get("modules", 0),
                               acknowledged=row.get("acknowledged", 0), observations=observations),
        first_day=row.get("first"), last_day=row.get("last"),
        certificate_id=certificate_ids_by_key([key]).get(key))


def _issue(teacher: User, row: dict[str, Any], title: str) -> Certificate:
    place = placements_of([teacher.pk]).get(teacher.pk, NOWHERE).as_fields()
    return certificate_issue_practice(key=issue_key(teacher.pk, row["family"]), user=teacher, title=title,
                                      held_from=row["first"], held_to=row["last"], place=place)


def practice_certificate_check(*, teacher: User, family: UUID) -> Certificate | None:
    """Her "check now": the certificate of practice of this course if she meets the rule (issued once), else
    None."""
    progress = practice_certificate_progress(teacher, family)
    if not progress.met:
        return None
    row = {"family": family, "first": progress.first_day, "last": progress.last_day}
    return _issue(teacher, row, progress.course_title)


def practice_certificates_issue(*, on: dt.date | None = None, limit: int = 500) -> int:
    """Issue the certificate of practice (once each) to every teacher who meets the rule in force for a course
    family: one grouped query over records (the thresholds in HAVING), one for observations, one per family for
    the course certificate, one for the certificates already issued; then one issue per new certificate (at
    most `limit` a run: the next run goes on). Returns how many were issued."""
    rule = certificate_rule(on)
    p = rule.params
    rows = [row for row in _family_aggregates(PracticeRecord.objects.filter(family__isnull=False))
            .filter(n__gte=p.min_records, modules__gte=p.min_modules, acknowledged__gte=p.min_acknowledged)
            if _weeks(row["first"], row["last"]) >= p.min_weeks]
    if not rows:
        return 0
    teacher_ids = sorted({row["teacher_id"] for row in rows})
    observed = dict(Observation.objects.filter(teacher_id__in=teacher_ids, status=Observation.Status.RECORDED)
                    .values("teacher_id").annotate(n=Count("pk")).order_by().values_list("teacher_id", "n"))
    rows = [row for row in rows if observed.get(row["teacher_id"], 0) >= p.min_observations]
    if p.needs_course_certificate:
        holders: dict[UUID, set[int]] = {}
        for family in {row["family"] for row in rows}:
            holders[family] = set(certified_user_ids(family).filter(user_id__in=teacher_ids))
        rows = [row for row in rows if row["teacher_id"] in holders.get(row["family"], set())]
    issued_already = certificate_ids_by_key(issue_key(row["teacher_id"], row["family"]) for row in rows)
    rows = [row for row in rows if issue_key(row["teacher_id"], row["family"]) not in issued_already][:limit]
    if not rows:
        return 0
    from shikhon.people.selectors import people_by_name

    teachers = {user.pk: user for user in people_by_name(row["teacher_id"] for row in rows)}
    titles = course_titles(row["family"] for row in rows)
    issued = 0
    for row in rows:
        teacher = teachers.get(row["teacher_id"])
        if teacher is None:  # no longer active
            continue
        _issue(teacher, row, titles.get(row["family"], ""))
        issued += 1
    if issued:
        logger.info("Issued %d certificates of practice (rule version %d)", issued, rule.version)
    return issued
