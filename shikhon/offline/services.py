"""The sync endpoint's work: each outbox item made on a phone goes through the same course service as
the online form, and its id is stored in a SyncReceipt in the same transaction as the write. A replay
answers the first result; nothing is made twice. The rules are written in docs/decisions/0006."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shikhon.core.bangla import format_number
from shikhon.courses import selectors as course_selectors
from shikhon.courses import services as learning
from shikhon.courses.models import Activity, QuizAttempt
from shikhon.offline.models import SyncReceipt
from shikhon.people.models import User

KINDS = ("quiz_submit", "activity_progress")
MAX_ITEMS = 50
MAX_BODY_BYTES = 64 * 1024
# A phone's clock may run a little fast; anything further ahead than this is refused.
CLOCK_SKEW = timedelta(minutes=10)


class BadBatch(ValueError):
    """The request body is not a batch of outbox items; the message is a sentence for the person."""


@dataclass(frozen=True)
class Item:
    id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    made_at_raw: str


@dataclass(frozen=True)
class Outcome:
    status: str  # created | duplicate | rejected
    message: str
    url: str = ""
    details: Mapping[str, Any] | None = None

    def as_json(self, item_id: uuid.UUID) -> dict[str, Any]:
        answer: dict[str, Any] = {"id": str(item_id), "status": self.status, "message": self.message,
                                  "url": self.url}
        if self.details:
            answer.update({k: v for k, v in self.details.items() if k not in answer})
        return answer


class _Rejected(Exception):
    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


def sync_batch_parse(data: Any) -> list[Item]:
    """Check the shape of a decoded JSON body: {"items": [{id, kind, payload, made_at}]}."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise BadBatch(_("The request must be a JSON object with a list of items."))
    raw_items: list[Any] = data["items"]
    if len(raw_items) > MAX_ITEMS:
        raise BadBatch(_("Send at most %(count)s items at a time.") % {"count": MAX_ITEMS})
    items: list[Item] = []
    seen: set[uuid.UUID] = set()
    for raw in raw_items:
        if not isinstance(raw, dict):
            raise BadBatch(_("Each item must be a JSON object."))
        try:
            key = uuid.UUID(str(raw.get("id")))
        except ValueError:
            raise BadBatch(_("Each item needs an id (a UUID).")) from None
        payload = raw.get("payload")
        if not isinstance(payload, dict) or not isinstance(raw.get("kind"), str):
            raise BadBatch(_("Each item needs a kind and a payload object."))
        if key in seen:
            continue  # the same item twice in one batch answers once
        seen.add(key)
        items.append(Item(id=key, kind=raw["kind"], payload=payload, made_at_raw=str(raw.get("made_at") or "")))
    return items


def sync_batch_apply(*, actor: User, items: list[Item]) -> list[dict[str, Any]]:
    """Apply each item in its own transaction and answer one result per item, in order."""
    return [_apply_one(actor=actor, item=item).as_json(item.id) for item in items]


def _receipt_outcome(receipt: SyncReceipt) -> Outcome:
    result = dict(receipt.result or {})
    if receipt.outcome == SyncReceipt.Outcome.REJECTED:
        return Outcome("rejected", str(result.get("message", "")), str(result.get("url", "")))
    return Outcome("duplicate", str(result.get("message", "")), str(result.get("url", "")), result)


def _apply_one(*, actor: User, item: Item) -> Outcome:
    existing = SyncReceipt.objects.filter(key=item.id).first()
    if existing is not None:
        if existing.user_id != actor.pk:
            return Outcome("rejected", _("This item could not be saved. Please answer again."))
        return _receipt_outcome(existing)
    try:
        with transaction.atomic():
            outcome = _run(actor=actor, item=item)
    except IntegrityError:
        # Another request stored the same id at the same moment: answer what it stored.
        existing = SyncReceipt.objects.filter(key=item.id).first()
        if existing is None or existing.user_id != actor.pk:
            return Outcome("rejected", _("This item could not be saved. Please answer again."))
        return _receipt_outcome(existing)
    return outcome


def _run(*, actor: User, item: Item) -> Outcome:
    """Inside the item's transaction: do the write and store its receipt (or store the rejection)."""
    made_at: datetime | None = None
    try:
        made_at = _made_at(item.made_at_raw)
        if item.kind == "quiz_submit":
            result = _quiz_submit(actor=actor, payload=item.payload, made_at=made_at)
        elif item.kind == "activity_progress":
            result = _activity_progress(actor=actor, payload=item.payload)
        else:
            raise _Rejected(_("This kind of offline work is not known. Please update the page and try again."))
    except _Rejected as rejected:
        # A permanent refusal: stored, so a replay answers the same sentence.
        with transaction.atomic():
            SyncReceipt.objects.create(key=item.id, user=actor, kind=item.kind[:40],
                                       outcome=SyncReceipt.Outcome.REJECTED, made_at=made_at,
                                       result={"message": rejected.message, "url": rejected.url})
        return Outcome("rejected", rejected.message, rejected.url)
    receipt = SyncReceipt(key=item.id, user=actor, kind=item.kind, outcome=SyncReceipt.Outcome.CREATED,
                          made_at=made_at, result=result)
    receipt.full_clean()
    receipt.save()
    return Outcome("created", str(result["message"]), str(result.get("url", "")), result)


def _made_at(raw: str) -> datetime:
    now = timezone.now()
    if not raw:
        return now
    try:
        made_at = parse_datetime(raw)
    except ValueError:
        made_at = None
    if made_at is None:
        raise _Rejected(_("The time this was made is not readable. Please answer again."))
    if timezone.is_naive(made_at):
        made_at = timezone.make_aware(made_at, timezone.get_current_timezone())
    if made_at > now + CLOCK_SKEW:
        raise _Rejected(_("The phone's clock is ahead of the real time. Please set the date and time on "
                          "your phone and answer again."))
    return min(made_at, now)


def _pk_from(url: Any, url_name: str) -> int:
    """The object id in a form's address (e.g. /attempts/12/submit/), checked against the expected page."""
    try:
        match = resolve(str(url))
    except Resolver404:
        raise _Rejected(_("This offline work points to a page that does not exist.")) from None
    if match.view_name != url_name or "pk" not in match.kwargs:
        raise _Rejected(_("This offline work points to a page that does not exist."))
    return int(match.kwargs["pk"])


def _fields(payload: Mapping[str, Any]) -> dict[str, list[str]]:
    raw = payload.get("fields")
    if not isinstance(raw, dict):
        raise _Rejected(_("The answers are missing. Please answer again."))
    fields: dict[str, list[str]] = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        fields[str(name)] = [str(v) for v in values if isinstance(v, str | int | float)]
    return fields


def _sentence(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _codes(error: ValidationError) -> set[str]:
    codes: set[str] = set()
    for part in error.error_list if hasattr(error, "error_list") else [error]:
        if part.code:
            codes.add(str(part.code))
    if hasattr(error, "error_dict"):
        for parts in error.error_dict.values():
            codes.update(str(p.code) for p in parts if p.code)
    return codes


def _quiz_submit(*, actor: User, payload: Mapping[str, Any], made_at: datetime) -> dict[str, Any]:
    pk = payload.get("attempt")
    if pk is None:
        pk = _pk_from(payload.get("url"), "courses:attempt_submit")
    try:
        attempt = (QuizAttempt.objects.select_related("enrolment", "quiz")
                   .get(pk=int(pk), enrolment__user=actor))
    except (QuizAttempt.DoesNotExist, ValueError, TypeError):
        raise _Rejected(_("This quiz attempt was not found. Please open the quiz and answer again.")) from None
    url = attempt.get_absolute_url()
    answers = learning.answers_from_fields(_fields(payload))
    try:
        attempt = learning.quiz_attempt_submit(actor=actor, attempt=attempt, answers=answers,
                                               source=QuizAttempt.Source.OFFLINE, answered_at=made_at)
    except ValidationError as error:
        if "already_submitted" in _codes(error):
            raise _Rejected(_("These answers were not counted: this quiz attempt had already been submitted. "
                              "See the result that counts."), url) from None
        raise _Rejected(_sentence(error) or _("These answers could not be saved."), url) from None
    except (PermissionDenied, ObjectDoesNotExist, Http404):
        raise _Rejected(_("This quiz attempt was not found. Please open the quiz and answer again.")) from None
    if attempt.passed:
        message = _("Your quiz answers were sent. You scored %(score)s%% and passed.")
    else:
        message = _("Your quiz answers were sent. You scored %(score)s%%.")
    return {"message": message % {"score": format_number(attempt.score_percent or 0)}, "url": url,
            "attempt": attempt.pk, "score": attempt.score_percent, "passed": attempt.passed}


def _activity_progress(*, actor: User, payload: Mapping[str, Any]) -> dict[str, Any]:
    pk = payload.get("activity")
    if pk is None:
        pk = _pk_from(payload.get("url"), "courses:activity_progress")
    try:
        activity = course_selectors.activities_visible(actor).select_related("module").get(pk=int(pk))
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise _Rejected(_("This activity was not found.")) from None
    fields = _fields(payload)
    done = (fields.get("done") or [""])[-1] in {"1", "true", "on"}
    watched: int | None = None
    share = [v for v in (fields.get("watched_percent") or fields.get("watched") or []) if v.strip()]
    if share:
        try:
            watched = int(float(share[-1]))
        except ValueError:
            raise _Rejected(_("The share of the video watched must be a number from 0 to 100.")) from None
        if not 0 <= watched <= 100:
            raise _Rejected(_("The share of the video watched must be a number from 0 to 100."))
    if watched is None and not done:
        raise _Rejected(_("There was no progress to save."))
    url = activity.get_absolute_url()
    try:
        progress = learning.activity_progress_record(actor=actor, activity=activity, watched_percent=watched,
                                                     done=done)
    except ValidationError as error:
        raise _Rejected(_sentence(error) or _("Your progress could not be saved."), url) from None
    except (PermissionDenied, ObjectDoesNotExist, Http404):
        raise _Rejected(_("You are not enrolled in this course, so progress was not saved."), url) from None
    return {"message": _("Your progress on “%(title)s” was saved.") % {"title": activity.title}, "url": url,
            "watched_percent": progress.watched_percent, "done": progress.done_at is not None}
