"""The weekly content champions: compute a week, confirm it, announce it — and the daily job that does it alone.

**When.** A week runs Sunday to Saturday in Dhaka (Bangladesh's school week is Sunday–Thursday; Friday and Saturday
are the weekend, so a Sunday start keeps a school week whole). The periodic job runs every day at 01:15 Dhaka
(`periodic_jobs.py`): on Sunday (or the first run after it) it computes the week that has just ended, if nobody has;
on Tuesday — two days after the week was computed — it announces it, **confirmed or not**. Confirming is optional,
as the issue puts it ("officers may confirm before the announcement"): a national admin or national mentor may look
at the three on the review page and confirm, or announce at once; if nobody does, the champions are still announced
on time, because a weekly recognition that waits for an officer stops being weekly. Anyone who thinks a week is
wrong has those two days: recomputing a computed week is allowed (it replaces its champions), while a confirmed or
announced week is never recomputed, so what was confirmed is what is announced and what was announced stays.

**Compute** is idempotent: the week's row is locked, its champions replaced in one transaction; the numbers and the
formula's version are kept on the rows. Only a finished week can be computed (ratings still move during the week).

**Announce** tells each champion through `notify` (in the site; by SMS only if she chose it for this kind).
"""

from __future__ import annotations

import datetime as dt
import heapq
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.bangla import format_date
from shikhon.core.clock import dhaka_date, dhaka_today
from shikhon.people.selectors import people_by_name, placements_of
from shikhon.places.selectors import schools_by_ids
from shikhon.recognition.activity import week_totals
from shikhon.recognition.formula import CHAMPIONS_PER_WEEK, CURRENT, Formula, Scored
from shikhon.recognition.models import SUNDAY, Champion, ChampionWeek
from shikhon.recognition.notifications import CHAMPION_ANNOUNCED
from shikhon.recognition.permissions import ensure_can_confirm

if TYPE_CHECKING:
    from shikhon.people.models import User

ANNOUNCE_AFTER = dt.timedelta(days=2)
# Champions are picked among the best few: enough spares for those whose account was closed.
SPARES = 10


def week_start_of(day: dt.date) -> dt.date:
    """The Sunday starting the week `day` falls in."""
    return day - dt.timedelta(days=(day.weekday() - SUNDAY) % 7)


def last_finished_week(today: dt.date | None = None) -> dt.date:
    """The Sunday of the last week that has ended by `today` (Dhaka)."""
    return week_start_of(today or dhaka_today()) - dt.timedelta(days=7)


def _check_week(starts_on: dt.date) -> None:
    if starts_on.weekday() != SUNDAY:
        raise ValidationError(_("A champions' week starts on a Sunday. Choose a Sunday."), code="not_sunday")
    if starts_on + dt.timedelta(days=7) > dhaka_today():
        raise ValidationError(_("The week of %(date)s is not over yet. Its champions can be chosen from the "
                                "Sunday after it.") % {"date": format_date(starts_on)}, code="not_over")


def week_select(*, starts_on: dt.date, formula: Formula = CURRENT) -> tuple[int, list[Scored]]:
    """How many teachers took part, and the best `CHAMPIONS_PER_WEEK` (plus spares) in order. The totals come from
    a few grouped queries (activity.py); the scoring runs over one row per taking-part author."""
    scored = [formula.score(totals) for totals in week_totals(starts_on=starts_on, formula=formula)]
    eligible = [s for s in scored if s.eligible]
    best = heapq.nsmallest(CHAMPIONS_PER_WEEK + SPARES, eligible, key=Scored.rank_key)
    return len(eligible), best


def _champions(week: ChampionWeek, best: list[Scored]) -> list[Champion]:
    people = {u.pk: u for u in people_by_name([s.teacher_id for s in best]).only("pk", "gender")}
    chosen = [s for s in best if s.teacher_id in people][:CHAMPIONS_PER_WEEK]
    placements = placements_of([s.teacher_id for s in chosen])
    localities = dict(schools_by_ids({p.school_id for p in placements.values() if p.school_id})
                      .values_list("pk", "locality"))
    champions = []
    for rank, scored in enumerate(chosen, start=1):
        person, placement = people[scored.teacher_id], placements.get(scored.teacher_id)
        locality = localities.get(placement.school_id) if placement and placement.school_id else ""
        champion = Champion(week=week, rank=rank, teacher_id=scored.teacher_id,
                            score=Decimal(str(scored.score)).quantize(Decimal("0.01")), numbers=scored.numbers,
                            is_woman=(person.gender == "female") if person.gender else None,
                            is_rural=(locality == "rural") if locality else None)
        champion.place_at(placement)
        champion.full_clean(exclude=["week", "teacher"], validate_unique=False, validate_constraints=False)
        champions.append(champion)
    return champions


def week_compute(*, starts_on: dt.date, actor: User | None = None) -> ChampionWeek:
    """Compute (or recompute) a finished week's champions. A confirmed or announced week is never recomputed
    (ValidationError). `actor` None is the periodic job; a person must be allowed to confirm."""
    if actor is not None:
        ensure_can_confirm(actor)
    _check_week(starts_on)
    formula = CURRENT
    candidates, best = week_select(starts_on=starts_on, formula=formula)
    try:
        with transaction.atomic():
            return _store(starts_on=starts_on, actor=actor, formula=formula, candidates=candidates, best=best)
    except IntegrityError:
        # Another compute created the week at the same moment: it is computed.
        with transaction.atomic():
            return _store(starts_on=starts_on, actor=actor, formula=formula, candidates=candidates, best=best)


def _store(*, starts_on: dt.date, actor: User | None, formula: Formula, candidates: int,
           best: list[Scored]) -> ChampionWeek:
    week = ChampionWeek.objects.select_for_update().filter(starts_on=starts_on).first()
    now = timezone.now()
    if week is not None and week.status != ChampionWeek.Status.COMPUTED:
        raise ValidationError(_("This week's champions are already %(status)s and are not computed again.") % {
            "status": week.get_status_display().lower()}, code="settled")
    if week is None:
        week = ChampionWeek(starts_on=starts_on)
    week.formula_version, week.formula = formula.version, formula.as_params()
    week.candidates, week.computed_at, week.computed_by = candidates, now, actor
    week.full_clean(exclude=["computed_by", "confirmed_by"], validate_unique=False)
    week.save()
    week.champions.all().delete()
    Champion.objects.bulk_create(_champions(week, best))
    return week


@transaction.atomic
def week_confirm(*, actor: User, week: ChampionWeek) -> ChampionWeek:
    """A national admin or mentor confirms a computed week (its champions will not be recomputed)."""
    ensure_can_confirm(actor)
    week = ChampionWeek.objects.select_for_update().get(pk=week.pk)
    if week.status != ChampionWeek.Status.COMPUTED:
        raise ValidationError(_("Only a computed week can be confirmed; this one is %(status)s.") % {
            "status": week.get_status_display().lower()}, code="not_computed")
    week.status, week.confirmed_by, week.confirmed_at = ChampionWeek.Status.CONFIRMED, actor, timezone.now()
    week.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return week


@transaction.atomic
def week_announce(*, actor: User | None, week: ChampionWeek) -> ChampionWeek:
    """Make a week public and tell its champions (once each: the notification's key is the week). `actor` None
    is the periodic job. Announcing an announced week changes nothing."""
    if actor is not None:
        ensure_can_confirm(actor)
    week = ChampionWeek.objects.select_for_update().get(pk=week.pk)
    if week.status == ChampionWeek.Status.ANNOUNCED:
        return week
    week.status, week.announced_at = ChampionWeek.Status.ANNOUNCED, timezone.now()
    week.save(update_fields=["status", "announced_at"])
    teacher_ids = list(week.champions.values_list("teacher_id", flat=True))
    url, starts_on = week.get_absolute_url(), week.starts_on

    def tell() -> None:
        from shikhon.notify.services import Tell, notifications_send_many

        notifications_send_many(tells=[
            Tell(recipient_id=teacher_id, kind=CHAMPION_ANNOUNCED, event_key=f"champion:{starts_on.isoformat()}",
                 params={"week": starts_on.isoformat()}, url=url)
            for teacher_id in teacher_ids])

    transaction.on_commit(tell, robust=True)
    return week


def champions_weekly_run(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """The daily job: compute the last finished week if it has no row yet; announce every computed or confirmed
    week computed at least two days ago (Dhaka dates). Safe to run any number of times."""
    moment = now or timezone.now()
    today = dhaka_date(moment)
    computed = None
    starts_on = last_finished_week(today)
    if not ChampionWeek.objects.filter(starts_on=starts_on).exists():
        try:
            computed = week_compute(starts_on=starts_on).starts_on.isoformat()
        except ValidationError:  # a concurrent run settled it first
            computed = None
    announced = []
    due = ChampionWeek.objects.filter(status__in=[ChampionWeek.Status.COMPUTED, ChampionWeek.Status.CONFIRMED],
                                      computed_at__lt=moment - ANNOUNCE_AFTER + dt.timedelta(hours=1))
    for week in due.order_by("starts_on")[:10]:
        week_announce(actor=None, week=week)
        announced.append(week.starts_on.isoformat())
    return {"computed": computed, "announced": ", ".join(announced) or None}
