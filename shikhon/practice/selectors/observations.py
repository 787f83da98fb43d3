"""Reads for lesson observations: a teacher's observations and the requests waiting for her answer, an observer's
list, an area's list for her support line, and one observation as its page shows it — every entry (strengths
first), the things to try, the replies, the follow-up of the previous observation's things to try and the change
since last time. Every list starts from `permissions.observations_visible_to`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from shikhon.people.scope import user_scope
from shikhon.practice import permissions
from shikhon.practice.instruments import Definition, Item, Level, element_scores, parse_definition
from shikhon.practice.models import Observation, ObservationEntry, TryNext

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from shikhon.people.models import User

S = Observation.Status
LIST_LIMIT = 50
PROGRESS_LABELS = {"not_yet": _("Not yet"), "started": _("Started"), "done_well": _("Done well")}
CHANGE_LABELS = {"new": _("new"), "up": _("up"), "same": _("same"), "down": _("down")}


def _listed(rows: QuerySet[Observation]) -> QuerySet[Observation]:
    return rows.select_related("teacher", "observer", "instrument", "activity").order_by("-proposed_on", "-pk")


def observations_of_teacher(teacher: User) -> QuerySet[Observation]:
    """Her observations (every status), newest first."""
    return _listed(Observation.objects.filter(teacher_id=teacher.pk))


def waiting_for_answer(teacher: User) -> QuerySet[Observation]:
    """Requests to observe her lesson that wait for her answer."""
    return _listed(Observation.objects.filter(teacher_id=teacher.pk, status=S.PROPOSED))


def observations_by(observer: User) -> QuerySet[Observation]:
    """The observations she proposed or recorded as observer."""
    return _listed(Observation.objects.filter(observer_id=observer.pk))


def sees_area_observations(user: User) -> bool:
    scope = user_scope(user)
    return bool(scope.head_school_ids or scope.upazila_ids)


def observations_in_area(user: User) -> QuerySet[Observation]:
    """For her support line (head teacher of the school; mentors and officers of the upazila): the observations
    of others she may see. Empty for everyone else."""
    if not sees_area_observations(user):
        return Observation.objects.none()
    rows = Observation.objects.filter(permissions.observations_visible_to(user)).exclude(
        Q(teacher_id=user.pk) | Q(observer_id=user.pk))
    return _listed(rows)


def latest_recorded_of(teacher_id: int) -> Observation | None:
    return (Observation.objects.filter(teacher_id=teacher_id, status=S.RECORDED)
            .order_by("-observed_on", "-pk").first())


# ---------------------------------------------------------------- one observation


@dataclass(frozen=True)
class ItemChange:
    """One item of the instrument: the level now and last time, and the change ("new", "up", "same", "down")."""

    item: Item
    now: str | None
    before: str | None
    change: str

    @property
    def now_level(self) -> Level | None:
        return self.item.level(self.now) if self.now else None

    @property
    def before_level(self) -> Level | None:
        return self.item.level(self.before) if self.before else None


@dataclass(frozen=True)
class FollowUpRow:
    """One of the previous observation's things to try, with the progress this visit's entries gave it."""

    thing: TryNext
    progress: str  # "" (not followed up), not_yet, started, done_well

    @property
    def progress_label(self) -> str:
        return str(PROGRESS_LABELS.get(self.progress, ""))


@dataclass(frozen=True)
class EntryShown:
    """One entry as the page shows it: the items it rated with their levels, its moments, its follow-up."""

    entry: ObservationEntry
    rated: list[tuple[Item, Level]]
    snapshots: list[Level]
    follow_up: list[FollowUpRow]


@dataclass
class ObservationPage:
    observation: Observation
    definition: Definition
    entries: list[ObservationEntry]
    replies: list[object]
    ratings: dict[str, str]  # merged over the entries: a later entry's rating of an item counts
    previous: Observation | None
    follow_up: list[FollowUpRow] = field(default_factory=list)
    changes: list[ItemChange] = field(default_factory=list)
    scores: dict[str, int | None] = field(default_factory=dict)
    shown: list[EntryShown] = field(default_factory=list)

    def element_rows(self) -> list[tuple[str, int | None]]:
        """(element title, 1–5 score or None) in the instrument's order, for a Teach-shaped instrument."""
        return [(element.title, self.scores.get(element.code)) for element in self.definition.elements()]


def merged_ratings(entries: list[ObservationEntry]) -> dict[str, str]:
    ratings: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry.ratings, dict):
            ratings.update({str(k): str(v) for k, v in entry.ratings.items()})
    return ratings


def change_of(item: Item, now: str | None, before: str | None) -> str:
    """"new" when there is nothing to compare with, else "up", "same" or "down" by the levels' positions."""
    if now is None or before is None:
        return "new"
    a, b = item.position(now), item.position(before)
    if a is None or b is None:
        return "new"
    return "up" if a > b else "down" if a < b else "same"


def changes_since(definition: Definition, ratings: dict[str, str], previous: Observation | None,
                  previous_ratings: dict[str, str]) -> list[ItemChange]:
    """Per item rated now: the change since the previous observation. Compared only on the same instrument
    (the same code: versions keep their item codes and levels, else the item is "new")."""
    changes = []
    same = previous is not None
    for item in definition.items():
        now = ratings.get(item.code)
        if now is None:
            continue
        before = previous_ratings.get(item.code) if same else None
        changes.append(ItemChange(item=item, now=now, before=before, change=change_of(item, now, before)))
    return changes


def _entries(observation_id: int) -> list[ObservationEntry]:
    things = TryNext.objects.select_related("activity", "module").order_by("position")
    return list(ObservationEntry.objects.filter(observation_id=observation_id).select_related("author")
                .prefetch_related(Prefetch("try_next", queryset=things)).order_by("created_at", "pk"))


def observation_page(observation: Observation) -> ObservationPage:
    """Everything the observation's page shows (a handful of queries, whatever the number of entries)."""
    definition = parse_definition(observation.instrument.definition)
    entries = _entries(observation.pk)
    ratings = merged_ratings(entries)
    replies: list[object] = list(observation.replies.select_related("author").order_by("created_at", "pk"))
    previous = None
    if observation.follows_id is not None:
        previous = Observation.objects.select_related("instrument").filter(pk=observation.follows_id).first()
    page = ObservationPage(observation=observation, definition=definition, entries=entries, replies=replies,
                           ratings=ratings, previous=previous)
    if definition.scoring == "teach_elements" and ratings:
        page.scores = element_scores(definition, ratings)
    if previous is not None:
        before_entries = list(ObservationEntry.objects.filter(observation_id=previous.pk).order_by("created_at", "pk")
                              .prefetch_related(Prefetch("try_next", queryset=TryNext.objects.select_related(
                                  "activity", "module").order_by("position"))))
        progress: dict[str, str] = {}
        for entry in entries:
            if isinstance(entry.follow_up, dict):
                progress.update({str(k): str(v) for k, v in entry.follow_up.items()})
        page.follow_up = [FollowUpRow(thing=thing, progress=progress.get(str(thing.pk), ""))
                          for entry in before_entries for thing in entry.try_next.all()]
        if ratings:
            same_instrument = previous.instrument.code == observation.instrument.code
            page.changes = changes_since(definition, ratings, previous if same_instrument else None,
                                         merged_ratings(before_entries))
    things = {str(row.thing.pk): row.thing for row in page.follow_up}
    moments = {level.value: level for level in definition.snapshots.levels} if definition.snapshots else {}
    for entry in entries:
        rated = []
        for item in definition.items():
            level = item.level(str(entry.ratings.get(item.code, ""))) if isinstance(entry.ratings, dict) else None
            if level is not None:
                rated.append((item, level))
        shots = [moments[value] for value in (entry.snapshots or []) if isinstance(value, str) and value in moments]
        follow = [FollowUpRow(thing=things[key], progress=str(value))
                  for key, value in (entry.follow_up or {}).items() if key in things]
        page.shown.append(EntryShown(entry=entry, rated=rated, snapshots=shots, follow_up=follow))
    return page


def things_to_follow_up(observation: Observation) -> list[TryNext]:
    """The previous observation's things to try (for the record form's follow-up)."""
    if observation.follows_id is None:
        return []
    return list(TryNext.objects.filter(entry__observation_id=observation.follows_id)
                .select_related("activity", "module").order_by("entry__created_at", "entry_id", "position"))


# ---------------------------------------------------------------- whom to observe


def access_teacher_to_observe(user: User, teacher_id: object) -> User:
    """A teacher she may observe (her head teacher, a colleague of her school, her upazila's mentors and officers);
    anyone else, or no such person, is 404."""
    from shikhon.core.access import found_or_404, parse_pk
    from shikhon.people.selectors import people_by_name, placement_of

    pk = parse_pk(teacher_id)
    teacher = found_or_404(people_by_name([pk]).first() if pk else None)
    placement = placement_of(teacher)
    if not permissions.can_observe(user, teacher_id=teacher.pk, school_id=placement.school_id,
                                   upazila_id=placement.upazila_id):
        found_or_404(None)
    return teacher


def colleagues_to_observe(user: User) -> list[User]:
    """The teachers of her own schools (for a head teacher or a peer choosing whom to observe)."""
    from shikhon.people.selectors import school_teachers_now

    people: dict[int, User] = {}
    for school_id in sorted(user_scope(user).school_ids)[:3]:
        for person, _head in school_teachers_now(school_id):
            if person.pk != user.pk:
                people.setdefault(person.pk, person)
    return list(people.values())
