"""Lesson observations, built to encourage (decision 0011): an observer proposes a visit, the teacher agrees,
declines or asks for another date; only after she agrees may the observer record it. A record starts with
strengths, rates the instrument's items, gives at most three things to try (each linked to an activity or a
module of a published course) and follows up the things to try of her previous observation. Entries are
append-only: two phones recording the same visit add two entries; the same entry sent again (same client id) is
the entry already stored. She may reply.

Every write: keyword-only, permission checked here (PermissionDenied for someone who may not; pages answer 404),
refusals as sentences (ValidationError with a code), atomic, notifications after commit."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_date, format_number
from shikhon.core.clock import dhaka_today
from shikhon.courses import selectors as course_selectors
from shikhon.notify.services import notification_send
from shikhon.people.selectors import placement_of
from shikhon.practice import audit_actions, notifications, permissions
from shikhon.practice.instruments import InstrumentError, parse_definition, validate_ratings, validate_snapshots
from shikhon.practice.models import Instrument, Observation, ObservationEntry, ObservationReply, TryNext

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from shikhon.courses.models import Activity, Module
    from shikhon.people.models import User

S = Observation.Status
MAX_DAYS_AHEAD = 90
MAX_TRY_NEXT = 3
MESSAGE_MAX = 500
STRENGTHS_MAX = 2000
TRY_TEXT_MAX = 300
NOTES_MAX = 3000
REPLY_MAX = 2000
PROGRESS = ("not_yet", "started", "done_well")
ANSWERS = ("agree", "decline", "other_date")
OPEN = (S.PROPOSED, S.AGREED)  # a request the same observer may not repeat while it stands


@dataclass(frozen=True)
class TryNextSpec:
    """One thing to try: the words and the one activity or module (of a published course) that helps."""

    text: str
    activity_id: int | None = None
    module_id: int | None = None


# ---------------------------------------------------------------- helpers


def _refusal(field: str, message: str, code: str) -> ValidationError:
    """A refusal shown beside `field` (or at the top when the form has no such field), with its code."""
    return ValidationError({field: ValidationError(message, code=code)})


def _text(value: str, *, field: str, limit: int, required: str | None = None) -> str:
    text = (value or "").strip()
    if required is not None and not text:
        raise _refusal(field, required, "required")
    if len(text) > limit:
        raise _refusal(field, _("Write at most %(max)s characters here (it has %(count)s).")
                               % {"max": format_number(limit), "count": format_number(len(text))}, "max_length")
    return text


def _day_ahead(day: dt.date | None, *, field: str) -> dt.date:
    today = dhaka_today()
    if day is None:
        raise _refusal(field, _("Choose the date of the lesson."), "required")
    if day < today:
        raise _refusal(field, _("This date has passed. Choose today or a later date."), "past")
    if day > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise _refusal(field, _("Choose a date within %(days)s days from today.")
                               % {"days": format_number(MAX_DAYS_AHEAD)}, "too_far")
    return day


def _key(client_id: uuid.UUID | str | None) -> uuid.UUID:
    if client_id is None or client_id == "":
        return uuid.uuid4()
    try:
        return client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except ValueError:
        raise ValidationError(_("This form could not be read. Please open it again."), code="client_id") from None


def published_activities(actor: User) -> QuerySet[Activity]:
    """Activities of published courses (what an observation or a thing to try may point to)."""
    return course_selectors.activities_visible(actor).filter(module__course__status="published")


def published_modules(actor: User) -> QuerySet[Module]:
    return course_selectors.modules_visible(actor).filter(course__status="published")


def instruments_offered() -> list[Instrument]:
    """The newest version of each instrument, the default first."""
    newest: dict[str, Instrument] = {}
    for row in Instrument.objects.order_by("code", "-version"):
        newest.setdefault(row.code, row)
    return sorted(newest.values(), key=lambda row: (not row.is_default, row.code))


def default_instrument() -> Instrument:
    offered = instruments_offered()
    if not offered:
        raise ValidationError(_("No observation form is set up yet. Please ask the administrator."),
                              code="no_instrument")
    return offered[0]


def latest_recorded(teacher_id: int, *, before: Observation | None = None) -> Observation | None:
    """Her latest recorded observation by any observer (the one a new observation follows up)."""
    rows = Observation.objects.filter(teacher_id=teacher_id, status=S.RECORDED)
    if before is not None:
        rows = rows.exclude(pk=before.pk)
    return rows.order_by("-observed_on", "-pk").first()


# ---------------------------------------------------------------- propose and answer


@transaction.atomic
def observation_propose(*, actor: User, teacher: User, proposed_on: dt.date, instrument: Instrument | None = None,
                        activity: Activity | None = None, message: str = "",
                        client_id: uuid.UUID | str | None = None) -> Observation:
    """Ask to observe her lesson on a day (today up to 90 days ahead). Observers: her head teacher, a colleague
    of her school, the mentors and officers of her upazila. She is told, and her answer is awaited."""
    key = _key(client_id)
    existing = Observation.objects.filter(client_id=key).first()
    if existing is not None:
        if existing.observer_id != actor.pk:
            raise ValidationError(_("This form could not be read. Please open it again."), code="client_id")
        return existing  # the same request sent twice
    placement = placement_of(teacher)
    permissions.ensure_can_observe(actor, teacher_id=teacher.pk, school_id=placement.school_id,
                                   upazila_id=placement.upazila_id)
    proposed_on = _day_ahead(proposed_on, field="proposed_on")
    message = _text(message, field="message", limit=MESSAGE_MAX)
    instrument = instrument or default_instrument()
    if activity is not None and not published_activities(actor).filter(pk=activity.pk).exists():
        raise _refusal("activity", _("This activity is not part of a published course. Choose another."),
                       "activity_unpublished")
    if Observation.objects.filter(teacher=teacher, observer=actor, status__in=OPEN).exists():
        raise ValidationError(_("You have already asked to observe her lesson. Record that visit, or wait for her "
                                "answer, before asking again."), code="already_open")
    # A request she answered with another date gives way to this new one.
    Observation.objects.filter(teacher=teacher, observer=actor, status=S.OTHER_DATE).update(status=S.CANCELLED)
    observation = Observation(client_id=key, teacher=teacher, observer=actor, instrument=instrument,
                              activity=activity, proposed_on=proposed_on, message=message,
                              follows=latest_recorded(teacher.pk), **placement.as_fields())
    observation.full_clean()
    observation.save()
    audit_record(actor=actor, action=audit_actions.OBSERVATION_PROPOSED, target=observation,
                 summary="Lesson observation proposed", details={"teacher_id": teacher.pk,
                                                                  "proposed_on": proposed_on.isoformat()})
    params = {"name": actor.name_bn, "date": format_date(proposed_on, "bn")}
    url = observation.get_absolute_url()
    transaction.on_commit(lambda: notification_send(
        recipient=teacher, kind=notifications.OBSERVATION_PROPOSED, event_key=f"observation-proposed:{observation.pk}",
        params=params, url=url))
    return observation


def _answer_words(status: str, asked_date: dt.date | None) -> str:
    """Her answer in words for the observer's notification (stored in Bangla, like names and dates there)."""
    with translation.override("bn"):
        if status == S.AGREED:
            return _("she agreed.")
        if status == S.DECLINED:
            return _("she declined.")
        day = format_date(asked_date, "bn") if asked_date is not None else ""
        return _("she asked for another date: %(date)s.") % {"date": day}


@transaction.atomic
def observation_answer(*, actor: User, observation: Observation, answer: str, note: str = "",
                       asked_date: dt.date | None = None) -> Observation:
    """Her answer to a request: agree, decline, or ask for another date. Only hers, only while it waits."""
    permissions.ensure_is_observed_teacher(actor, observation)
    observation = Observation.objects.select_for_update(of=("self",)).select_related("observer").get(
        pk=observation.pk)
    if observation.status not in (S.PROPOSED, S.OTHER_DATE):
        raise ValidationError(_("This request has already been answered."), code="answered")
    if answer not in ANSWERS:
        raise _refusal("answer", _("Choose: agree, decline or ask for another date."), "answer")
    note = _text(note, field="note", limit=MESSAGE_MAX)
    if answer == "other_date":
        if asked_date is None:
            raise _refusal("asked_date", _("Write the date that suits you better."), "required")
        asked_date = _day_ahead(asked_date, field="asked_date")
        observation.status = S.OTHER_DATE
    else:
        asked_date = None
        observation.status = S.AGREED if answer == "agree" else S.DECLINED
    observation.asked_date = asked_date
    observation.answer_note = note
    observation.answered_at = timezone.now()
    observation.full_clean()
    observation.save(update_fields=["status", "asked_date", "answer_note", "answered_at"])
    audit_record(actor=actor, action=audit_actions.OBSERVATION_ANSWERED, target=observation,
                 summary=f"Lesson observation answered: {observation.status}",
                 details={"status": observation.status, "asked_date": asked_date.isoformat() if asked_date else None})
    observer, url = observation.observer, observation.get_absolute_url()
    params = {"name": actor.name_bn, "answer": _answer_words(observation.status, asked_date)}
    event_key = f"observation-answered:{observation.pk}:{observation.answered_at.timestamp():.0f}"
    transaction.on_commit(lambda: notification_send(
        recipient=observer, kind=notifications.OBSERVATION_ANSWERED, event_key=event_key, params=params, url=url))
    return observation


# ---------------------------------------------------------------- record (append-only entries)


def _refuse_without_consent(observation: Observation) -> None:
    if observation.status in (S.AGREED, S.RECORDED):
        return
    if observation.status in (S.PROPOSED, S.OTHER_DATE):
        raise ValidationError(_("She has not agreed to this visit yet. A lesson is observed only with the "
                                "teacher's consent: wait for her answer."), code="no_consent")
    if observation.status == S.DECLINED:
        raise ValidationError(_("She declined this visit, so it cannot be recorded."), code="declined")
    raise ValidationError(_("This visit was cancelled, so it cannot be recorded."), code="cancelled")


def _try_next_checked(actor: User, items: list[TryNextSpec]) -> list[TryNextSpec]:
    items = [item for item in items if (item.text or "").strip() or item.activity_id or item.module_id]
    if len(items) > MAX_TRY_NEXT:
        raise _refusal("try_next", _("Give at most %(max)s things to try: a few clear steps help more "
                                             "than many.") % {"max": format_number(MAX_TRY_NEXT)}, "too_many")
    clean: list[TryNextSpec] = []
    activity_ids = {item.activity_id for item in items if item.activity_id}
    module_ids = {item.module_id for item in items if item.module_id}
    known_activities = set(published_activities(actor).filter(pk__in=activity_ids).values_list("pk", flat=True))
    known_modules = set(published_modules(actor).filter(pk__in=module_ids).values_list("pk", flat=True))
    for number, item in enumerate(items, start=1):
        text = _text(item.text, field="try_next", limit=TRY_TEXT_MAX,
                     required=_("Thing to try %(n)s: write what to try.") % {"n": format_number(number)})
        if bool(item.activity_id) == bool(item.module_id):
            raise _refusal("try_next", _("Thing to try %(n)s: choose one activity or one module that "
                                                 "helps.") % {"n": format_number(number)}, "link")
        if (item.activity_id and item.activity_id not in known_activities) or (
                item.module_id and item.module_id not in known_modules):
            raise _refusal("try_next", _("Thing to try %(n)s: that activity or module is not part of a "
                                                 "published course. Choose another.")
                                   % {"n": format_number(number)}, "link_unpublished")
        clean.append(TryNextSpec(text=text, activity_id=item.activity_id or None, module_id=item.module_id or None))
    return clean


def previous_try_next_ids(observation: Observation) -> set[int]:
    if observation.follows_id is None:
        return set()
    return set(TryNext.objects.filter(entry__observation_id=observation.follows_id).values_list("pk", flat=True))


def _follow_up_checked(observation: Observation, follow_up: Any) -> dict[str, str]:
    if not isinstance(follow_up, dict):
        raise _refusal("follow_up", _("The follow-up could not be read."), "follow_up")
    answered = {str(key): value for key, value in follow_up.items() if value not in ("", None)}
    if not answered:
        return {}
    allowed = {str(pk) for pk in previous_try_next_ids(observation)}
    for key, value in answered.items():
        if key not in allowed or value not in PROGRESS:
            raise _refusal("follow_up", _("The follow-up names something that was not among the things "
                                                  "to try last time. Please open the form again."), "follow_up")
    return answered


def _instrument_sentence(error: InstrumentError) -> str:
    if error.code in ("unknown_item", "unknown_level", "ratings_shape", "missing_item"):
        return _("A rating does not match this observation form. Choose one of the levels shown for each item.")
    if error.code == "snapshots_too_many":
        return _("There are more time-on-task moments than this form has.")
    return _("A time-on-task moment does not match this observation form. Choose one of the levels shown.")


@transaction.atomic
def observation_entry_add(*, actor: User, observation: Observation, strengths: str, ratings: dict[str, Any],
                          try_next: list[TryNextSpec], follow_up: dict[str, Any] | None = None,
                          snapshots: list[Any] | None = None, notes: str = "",
                          client_id: uuid.UUID | str | None = None,
                          claimed_at: dt.datetime | None = None) -> ObservationEntry:
    """The observer's record of the visit, only after the teacher agreed. Appended, never overwriting: another
    phone's entry (another client id) is added beside it; the same client id again is the entry stored."""
    permissions.ensure_is_observer(actor, observation)
    key = _key(client_id)
    existing = ObservationEntry.objects.filter(client_id=key).first()
    if existing is not None:
        if existing.observation_id != observation.pk or existing.author_id != actor.pk:
            raise ValidationError(_("This form could not be read. Please open it again."), code="client_id")
        return existing
    observation = Observation.objects.select_for_update(of=("self",)).select_related("instrument", "teacher").get(
        pk=observation.pk)
    _refuse_without_consent(observation)
    if observation.status == S.AGREED and dhaka_today() < observation.proposed_on:
        raise ValidationError(_("This visit is agreed for %(date)s. Record it on that day or later.")
                              % {"date": format_date(observation.proposed_on)}, code="too_early")
    strengths = _text(strengths, field="strengths", limit=STRENGTHS_MAX,
                      required=_("Write her strengths first: what went well in this lesson."))
    notes = _text(notes, field="notes", limit=NOTES_MAX)
    definition = parse_definition(observation.instrument.definition)
    try:
        ratings = validate_ratings(definition, ratings)
        shots = validate_snapshots(definition, snapshots or [])
    except InstrumentError as error:
        raise _refusal("ratings", _instrument_sentence(error), "ratings") from None
    things = _try_next_checked(actor, list(try_next))
    progress = _follow_up_checked(observation, follow_up or {})
    if claimed_at is not None and timezone.is_naive(claimed_at):
        claimed_at = None  # a claim without a time zone says nothing
    entry = ObservationEntry(client_id=key, observation=observation, author=actor, strengths=strengths,
                             ratings=ratings, snapshots=shots, follow_up=progress, notes=notes,
                             claimed_at=claimed_at)
    entry.full_clean(exclude=["ratings", "snapshots", "follow_up"])  # checked above; empty is allowed
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # The same entry arrived at the same moment from another request: answer the one stored.
        stored = ObservationEntry.objects.filter(client_id=key, observation=observation, author=actor).first()
        if stored is None:
            raise
        return stored
    TryNext.objects.bulk_create([
        TryNext(entry=entry, position=number, text=item.text, activity_id=item.activity_id, module_id=item.module_id)
        for number, item in enumerate(things, start=1)])
    first = observation.status == S.AGREED
    if first:
        observation.status = S.RECORDED
        observation.observed_on = dhaka_today()
        observation.save(update_fields=["status", "observed_on"])
        teacher, url = observation.teacher, observation.get_absolute_url()
        params = {"name": actor.name_bn}
        transaction.on_commit(lambda: notification_send(
            recipient=teacher, kind=notifications.OBSERVATION_RECORDED,
            event_key=f"observation-recorded:{observation.pk}", params=params, url=url))
    return entry


# ---------------------------------------------------------------- reply


@transaction.atomic
def observation_reply(*, actor: User, observation: Observation, text: str,
                      client_id: uuid.UUID | str | None = None) -> ObservationReply:
    """Her reply to the observation of her lesson; the observer is told."""
    permissions.ensure_is_observed_teacher(actor, observation)
    key = _key(client_id)
    existing = ObservationReply.objects.filter(client_id=key).first()
    if existing is not None:
        if existing.observation_id != observation.pk or existing.author_id != actor.pk:
            raise ValidationError(_("This form could not be read. Please open it again."), code="client_id")
        return existing
    observation = Observation.objects.select_related("observer").get(pk=observation.pk)
    if observation.status != S.RECORDED:
        raise ValidationError(_("You can reply once the observation is recorded."), code="not_recorded")
    text = _text(text, field="text", limit=REPLY_MAX, required=_("Write your reply."))
    reply = ObservationReply(client_id=key, observation=observation, author=actor, text=text)
    reply.full_clean()
    reply.save()
    observer = observation.observer
    url = observation.get_absolute_url()
    params = {"name": actor.name_bn}
    transaction.on_commit(lambda: notification_send(
        recipient=observer, kind=notifications.OBSERVATION_REPLIED, event_key=f"observation-reply:{reply.pk}",
        params=params, url=url))
    return reply


def ensure_may_record(actor: User, observation: Observation) -> None:
    """For pages: PermissionDenied unless she is the observer (the page answers 404)."""
    if not permissions.is_observer(actor, observation):
        raise PermissionDenied
